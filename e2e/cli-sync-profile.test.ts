// The account's sync method on the server: a signed-in CLI device that chooses a folder stores the method,
// sealed, for the account; the server holds only ciphertext; a new device signing in is told the one step
// left (exit 0, also without a terminal), and learns it in --json too.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { b64uDecode } from "@cryptex/core/encoding/base64.ts";
import { openSyncProfile } from "@cryptex/core/sync/log/sync-profile.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let env: Record<string, string>;

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("laptop");
  writeFileSync(join(world.dir, "ca.pem"), world.server.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(world.dir, "ca.pem") };
});
after(() => world.stop());

const signin = (home: string, extra: string[] = []) =>
  runCli(["signin", "--server", world.proxy.url, "--email", a.email, "--qr-text", a.account.eakText, "--password-stdin", ...extra], {
    home,
    stdin: `${a.password}\n`,
    env,
  });

test("a folder chosen on one device is stored sealed for the account; a new device is told the step left", async () => {
  const first = join(world.dir, "first");
  let r = await signin(first);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /shared folder/, "an account without a stored method syncs through the server");
  const dropbox = join(world.dir, "Dropbox");
  mkdirSync(dropbox);
  r = await runCli(["sync", "method", "folder", dropbox, "--password-stdin", "--json"], { home: first, stdin: `${a.password}\n`, env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).published, true);

  // what the server holds opens only with the account's keys, and says no path
  const { profile } = await a.api.syncProfile();
  assert.ok(profile);
  const bytes = b64uDecode(profile.data)!;
  assert.doesNotMatch(new TextDecoder().decode(bytes), /Dropbox|folder/);
  assert.deepEqual(await openSyncProfile(a.account.keys, bytes), { kind: "folder", hint: "Dropbox" });

  const second = join(world.dir, "second");
  r = await signin(second);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /This account syncs through a shared folder \("Dropbox"\): run cryptex sync method folder DIR/);
  const third = join(world.dir, "third");
  r = await signin(third, ["--json"]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { syncMethod: string; nextStep: string };
  assert.equal(j.syncMethod, "folder");
  assert.match(j.nextStep, /cryptex sync method folder DIR/);
});

test("a key rotation moves the profile to the new key; an account syncing through a folder cannot rotate", async () => {
  const first = join(world.dir, "first"); // chose the folder in the test above
  const before = (await a.api.account()).eakGeneration;
  let r = await runCli(["account", "rotate-key", "--password-stdin"], { home: first, stdin: `${a.password}\n`, env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /syncs through a shared folder.*cryptex sync method server/);
  // a device of the same account still on the server method is refused by the account's published method
  const second = join(world.dir, "second");
  r = await runCli(["account", "rotate-key", "--password-stdin"], { home: second, stdin: `${a.password}\n`, env });
  assert.equal(r.code, 19, r.stderr);
  assert.match(r.stderr, /syncs through a shared folder, whose log is sealed under the current Account Key/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace");
  assert.equal((await a.api.account()).eakGeneration, before, "nothing changed on the server");

  r = await runCli(["sync", "method", "none", "--password-stdin", "--json"], { home: second, stdin: `${a.password}\n`, env });
  assert.equal(r.code, 0, r.stderr);
  r = await runCli(["account", "rotate-key", "--password-stdin", "--json"], { home: second, stdin: `${a.password}\n`, env });
  assert.equal(r.code, 0, r.stderr);
  r = await runCli(["account", "qr", "--json", "--password-stdin"], { home: second, stdin: `${a.password}\n`, env });
  assert.equal(r.code, 0, r.stderr);
  const newText = (JSON.parse(r.stdout) as { eakText: string }).eakText;
  assert.notEqual(newText, a.account.eakText);

  const fourth = join(world.dir, "fourth");
  r = await runCli(["signin", "--server", world.proxy.url, "--email", a.email, "--qr-text", newText, "--password-stdin", "--json"], {
    home: fourth,
    stdin: `${a.password}\n`,
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /could not be read/, "the profile was re-sealed under the new key");
  assert.equal((JSON.parse(r.stdout) as { syncMethod: string }).syncMethod, "none");
});
