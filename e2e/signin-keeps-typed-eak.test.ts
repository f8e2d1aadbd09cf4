// A new device signing in with the new password and the new QR code keeps the EAK that opened with the password
// typed, even when the server serves an older wrapped EAK (an authentic one of an earlier generation): before, the
// device stored the older EAK and afterwards opened only with the old password.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { changePassword, signIn, unlockWithPassword } from "@cryptex/core/client/account.ts";
import { startWorld, type World } from "./support/devices.ts";

const NEW_PASSWORD = "obsidian meadow 73 pilot quiver";
let world: World;
before(async () => {
  world = await startWorld();
});
after(async () => {
  await world?.stop();
});

test("sign-in with the new QR code and password keeps that EAK when the server serves an older one", async () => {
  const a = await world.signUpDevice("laptop");
  await a.api.account();
  const older = world.proxy.last("GET", "/api/v1/account")!.json as { wrappedEak: string; eakGeneration: number };
  assert.equal(older.eakGeneration, 0);
  const unlocked = await unlockWithPassword({ accountId: a.account.accountId, eak: a.account.eak.bytes }, a.password);
  const changed = await changePassword(a.api, unlocked, 0, NEW_PASSWORD, false);
  assert.equal(changed.eakGeneration, 1);

  // the server (or a stale replica) answers with the generation-0 wrapping
  world.proxy.onAnswer((x) =>
    x.method === "GET" && x.path === "/api/v1/account" ? { json: { ...(x.json as object), ...older } } : undefined,
  );
  const b = await signIn({ api: world.api(), email: a.email, password: NEW_PASSWORD, eakText: changed.eakText, deviceName: "phone" });
  world.proxy.onAnswer(undefined);
  assert.deepEqual(b.eak.bytes, changed.eak.bytes, "the EAK typed with the password is kept");
  assert.equal(b.eakGeneration, 0, "the generation the server showed is recorded, so a newer one is adopted later");
  const reopened = await unlockWithPassword({ accountId: b.accountId, eak: b.eak.bytes }, NEW_PASSWORD);
  assert.equal(reopened.accountKey, a.account.accountKey);
  await assert.rejects(unlockWithPassword({ accountId: b.accountId, eak: b.eak.bytes }, a.password), { code: "wrong_password" });
});
