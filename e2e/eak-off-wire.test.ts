// The EAK stays on the device unless a mail was asked for: a recording TLS proxy sits between the real core
// client and the real server through a sign-up, a password change and an account reset, all with sendEmail
// false. No request carries any EAK in any encoding (its text; its bytes raw, hex, base64, base64url, base32),
// and nothing the server keeps or logs does. Control: with sendEmail true the EAK text is seen, and only in the
// one request that asks for the mail.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { changePassword, resetAccount, unlockWithPassword } from "@cryptex/core/client/account.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";
import { filesUnder, scan } from "./support/leak-scan.ts";

let world: World;
before(async () => {
  world = await startWorld();
});
after(() => world?.stop());

/** Every form of one EAK: its text, its bytes, and a slice of them (a partial copy is a leak too). */
const eakForms = (eak: { bytes: Uint8Array }, text: string) => [text, text.slice("CRYPTEX:".length), eak.bytes, eak.bytes.subarray(16, 48)];

function requests(from: number) {
  return world.proxy.captured
    .slice(from)
    .map((x, i) => ({ where: `request ${from + i} ${x.method} ${x.path}`, bytes: Buffer.concat([Buffer.from(x.path), x.requestBody]) }));
}

test("no EAK in any request of a sign-up, password change and reset without mail, nor on the server", async () => {
  const from = world.proxy.captured.length;
  const a: Device = await world.signUpDevice("laptop", { sendEmail: false });
  const secrets: (string | Uint8Array)[] = eakForms(a.account.eak, a.account.eakText);

  const unlocked = await unlockWithPassword({ accountId: a.account.accountId, eak: a.account.eak.bytes }, a.password);
  const newPassword = "a different long passphrase 9!";
  const changed = await changePassword(a.api, unlocked, a.account.eakGeneration, newPassword, false);
  secrets.push(...eakForms(changed.eak, changed.eakText));

  const unlocked2 = await unlockWithPassword({ accountId: a.account.accountId, eak: changed.eak.bytes }, newPassword);
  const reset = await resetAccount(a.api, unlocked2, a.email, "a third long passphrase for reset 3?", false);
  secrets.push(...eakForms(reset.eak, reset.eakText));

  const seen = requests(from);
  const paths = seen.map((s) => s.where);
  for (const p of ["POST /api/v1/accounts", "POST /api/v1/accounts/confirm", "POST /api/v1/account/password", "POST /api/v1/account/reset"])
    assert.ok(
      paths.some((w) => w.endsWith(p)),
      `the proxy recorded ${p}`,
    );
  assert.deepEqual(scan(seen, secrets), [], "an EAK left the device");
  const server = [
    ...filesUnder(world.server.dataDir).filter((f) => !f.where.includes("/tls/")),
    { where: "server logs", bytes: Buffer.from(world.server.logs()) },
  ];
  assert.deepEqual(scan(server, secrets), [], "the server holds an EAK");
});

test("control: asking for the mail sends the EAK text once, to the endpoint that mails it", async () => {
  const from = world.proxy.captured.length;
  const b = await world.signUpDevice("desktop", { sendEmail: true });
  const hits = scan(requests(from), [b.account.eakText]);
  assert.deepEqual(
    hits.map((h) => h.where.replace(/^request \d+ /, "")),
    ["POST /api/v1/accounts/confirm"],
  );
});
