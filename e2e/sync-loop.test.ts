// Core's sync loop (sync/sync-loop.ts), the one every app's vault session runs, against a real server: the live
// channel brings another device's change without a manual sync; calls during a sync fold into one more round;
// a revoked session leaves the loop signed out, where further calls neither reach the server nor flip the
// state through "syncing"; resume() after signing in again syncs.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { signIn } from "@cryptex/core/client/account.ts";
import type { ApiClient } from "@cryptex/core/client/api-client.ts";
import { type LiveServer, SyncLoop, type SyncState } from "@cryptex/core/sync/sync-loop.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let b: Device;

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("laptop");
  b = await world.signInDevice(a, "phone");
});
after(() => world.stop());

/** The real client, with its pulls counted. */
function counted(api: ApiClient): LiveServer & { pulls: number } {
  const s = {
    pulls: 0,
    account: () => api.account(),
    pull: (since: number, limit?: number) => {
      s.pulls++;
      return api.pull(since, limit);
    },
    push: (items: Parameters<ApiClient["push"]>[0]) => api.push(items),
    manifests: () => api.manifests(),
    putManifest: (deviceId: string, data: string) => api.putManifest(deviceId, data),
    events: (signal: AbortSignal) => api.events(signal),
  };
  return s;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("the sync loop: live changes, folded calls, signed out stays signed out, resume", async () => {
  let server = counted(a.api);
  const states: SyncState[] = [];
  const loop = new SyncLoop({ vault: a.vault, server: () => server, onState: (s) => states.push(s) });
  try {
    await loop.sync();
    assert.equal(loop.state.code, "synced");
    loop.startLive();

    // another device's save reaches this one over the live channel alone
    const item = createItem({ type: "login", title: "From the phone", fields: { username: "p" } });
    await b.vault.save(item, null);
    await b.vault.sync(b.api);
    await until("the live change", () => a.vault.index.entries.has(item.id));

    // five calls while one runs: at most one more round
    await until("the live sync to settle", () => loop.state.code === "synced");
    const before = server.pulls;
    await Promise.all([loop.sync(), loop.sync(), loop.sync(), loop.sync(), loop.sync()]);
    assert.ok(server.pulls - before <= 2 * 2, `folded into two rounds at most (pulls: ${server.pulls - before})`);

    // revoked from the phone: signed out, and it stays so without asking the server again
    const mine = (await a.api.sessions()).sessions.find((s) => s.current)!;
    await b.api.revokeSession(mine.id);
    await loop.sync();
    assert.deepEqual([loop.state.status, loop.state.code], ["signed-out", "signed_out"]);
    const pullsWhenOut = server.pulls;
    const statesWhenOut = states.length;
    await b.vault.save(createItem({ type: "login", title: "While out", fields: {} }), null);
    await b.vault.sync(b.api);
    await loop.sync();
    await loop.sync();
    assert.equal(server.pulls, pullsWhenOut, "no request with the dead session");
    assert.equal(states.length, statesWhenOut, "no flip through syncing");

    // signed in again: resume syncs what was missed
    const again = await signIn({
      api: world.api(),
      email: a.email,
      password: a.password,
      eakText: a.account.eakText,
      deviceName: "laptop",
    });
    server = counted(world.api(again.session.token));
    await loop.resume();
    assert.equal(loop.state.code, "synced");
    assert.ok([...a.vault.index.entries.values()].some((e) => e.title === "While out"));
  } finally {
    loop.close();
  }
});
