// The `cryptex` program as a process under a lying server (issue 6): device A is the real core engine, device
// B is the real CLI (its own SQLite file) behind the hostile proxy. Swapped ciphertexts and a rolled-back
// item: `cryptex sync` fails (or reports the quarantine), `cryptex status` shows it, `cryptex get` never
// prints the tampered or older value. A forged new EAK: sync refuses, the local EAK stays, the old password
// still unlocks.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openSqliteStore } from "@cryptex/cli/src/store/sqlite-store.ts";
import { type CliResult, runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { b64uEncode } from "@cryptex/core/encoding/base64.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import { createItem, editItem, type Item } from "@cryptex/core/vault/item.ts";
import type { PullAnswer, WireItem } from "@cryptex/core/wire/api.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let env: Record<string, string>;
let home: string;
let session = "";

const cli = (args: string[], stdin = ""): Promise<CliResult> =>
  runCli(args, { home, stdin, env: { ...env, ...(session ? { CRYPTEX_SESSION: session } : {}) } });
const ok = async (args: string[], stdin = "") => {
  const r = await cli(args, stdin);
  assert.equal(r.code, 0, `cryptex ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r;
};
const honest = () => {
  world.proxy.onAnswer(undefined);
  world.proxy.onRequest(undefined);
};
const rewritePulls = (f: (p: PullAnswer) => PullAnswer) =>
  world.proxy.onAnswer((x) =>
    x.method === "GET" && x.path.startsWith("/api/v1/items?") && x.status === 200 ? { json: f(x.json as PullAnswer) } : undefined,
  );

async function addItem(title: string, password: string): Promise<Item> {
  const item = createItem({ type: "login", title, fields: { username: "me", password } });
  await a.vault.save(item, null);
  return item;
}
async function edit(id: ItemId, password: string): Promise<void> {
  const base = await a.vault.get(id);
  await a.vault.save(editItem(base, { fields: { password } }), base);
}
const status = async () => JSON.parse((await ok(["status", "--json"])).stdout) as { quarantined: number; revision: number };
/** Everything `cryptex get` shows of an item: the one field, and the whole item revealed. */
const shown = async (title: string) => {
  const field = await cli(["get", title, "--field", "password"]);
  const full = await cli(["get", title, "--reveal"]);
  return { field: field.stdout, all: field.stdout + field.stderr + full.stdout + full.stderr, code: field.code };
};
const noStack = (r: CliResult) => assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, "no stack trace");

/**
 * A new CLI device for each attack: once a device has quarantined a server's version and moved past it,
 * it reports `rollback` on every later sync (the honest version is never pulled again), so attacks
 * must not share one.
 */
async function freshCli(name: string): Promise<void> {
  honest();
  home = join(world.dir, name);
  session = "";
  await ok(
    ["signin", "--server", world.proxy.url, "--email", a.email, "--qr-text", a.account.eakText, "--password-stdin"],
    `${a.password}\n`,
  );
  session = (await ok(["unlock", "--raw", "--password-stdin"], `${a.password}\n`)).stdout.trim();
}

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("laptop");
  await addItem("seed", "seed-secret");
  await a.vault.sync(a.api);
  writeFileSync(join(world.dir, "ca.pem"), world.server.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(world.dir, "ca.pem") };
});
after(() => world.stop());

test("cli attack 1a: swapped item ciphertexts → sync fails, status shows the quarantine, get prints the old values", async () => {
  const x = await addItem("cli-swap-x", "x-v1");
  const y = await addItem("cli-swap-y", "y-v1");
  await a.vault.sync(a.api);
  await freshCli("cli-1a");
  await edit(x.id, "x-v2-swapped");
  await edit(y.id, "y-v2-swapped");
  await a.vault.sync(a.api);
  rewritePulls((p) => {
    const ix = p.items.findIndex((w) => w.id === x.id);
    const iy = p.items.findIndex((w) => w.id === y.id);
    const items = [...p.items];
    items[ix] = { ...p.items[ix]!, data: p.items[iy]!.data } as WireItem;
    items[iy] = { ...p.items[iy]!, data: p.items[ix]!.data } as WireItem;
    return { ...p, items };
  });
  const s = await cli(["sync"]);
  honest();
  assert.ok(s.code !== 0 || /quarantin/i.test(s.stdout + s.stderr), `sync must fail or report it: ${s.code} ${s.stderr}`);
  assert.equal(s.code, 9, s.stderr);
  noStack(s);
  assert.ok((await status()).quarantined >= 2);
  assert.match((await ok(["status"])).stdout, /quarantined/);
  const sx = await shown("cli-swap-x");
  const sy = await shown("cli-swap-y");
  assert.equal(sx.field, "x-v1");
  assert.equal(sy.field, "y-v1");
  for (const v of ["x-v2-swapped", "y-v2-swapped"]) assert.ok(!sx.all.includes(v) && !sy.all.includes(v), `${v} never printed`);
});

test("cli attack 2a: an item rolled back to an older ciphertext → sync fails, status shows it, get prints the newer value", async () => {
  const x = await addItem("cli-roll-x", "roll-v1-old");
  await a.vault.sync(a.api);
  const v1 = (await a.api.pull(0)).items.find((w) => w.id === x.id)!;
  await edit(x.id, "roll-v2-new");
  await a.vault.sync(a.api);
  await freshCli("cli-2a");
  assert.equal((await shown("cli-roll-x")).field, "roll-v2-new");
  const before = (await status()).quarantined;
  const y = await addItem("cli-roll-trigger", "t");
  await a.vault.sync(a.api);
  rewritePulls((p) => ({ ...p, items: p.items.map((w) => (w.id === y.id ? { ...v1, revision: w.revision } : w)) }));
  const s = await cli(["sync"]);
  honest();
  assert.equal(s.code, 9, s.stderr);
  noStack(s);
  assert.ok((await status()).quarantined > before);
  const sx = await shown("cli-roll-x");
  assert.equal(sx.field, "roll-v2-new");
  assert.ok(!sx.all.includes("roll-v1-old"), "the older value is never printed");
  const list = (await ok(["list", "--json"])).stdout;
  assert.ok(!list.includes("roll-v1-old"));
});

test("cli attack 4: a forged new EAK after a password change → sync refuses, local EAK unchanged, the old password unlocks", async () => {
  await freshCli("cli-4");
  const store = openSqliteStore(join(home, "vault.sqlite"));
  const before = await store.readMeta();
  await store.close();
  const random = b64uEncode(crypto.getRandomValues(new Uint8Array(200)));
  for (const forged of [random, undefined]) {
    // a random blob, then the real wrapped EAK replayed under a higher generation (the generation is in the AAD)
    world.proxy.onAnswer((x) =>
      x.method === "GET" && x.path === "/api/v1/account"
        ? {
            json: {
              ...(x.json as Record<string, unknown>),
              eakGeneration: ((x.json as { eakGeneration: number }).eakGeneration ?? 0) + 3,
              ...(forged ? { wrappedEak: forged } : {}),
            },
          }
        : undefined,
    );
    const s = await cli(["sync", "--password-stdin"], "some new password 123\n");
    honest();
    assert.equal(s.code, 9, `${s.code} ${s.stderr}`);
    noStack(s);
    assert.doesNotMatch(s.stderr, /password was changed/i);
  }
  const check = openSqliteStore(join(home, "vault.sqlite"));
  const after = await check.readMeta();
  await check.close();
  assert.deepEqual(after?.eak, before?.eak, "the local EAK is unchanged");
  assert.equal(after?.eakGeneration, before?.eakGeneration);
  await ok(["lock"]);
  session = "";
  session = (await ok(["unlock", "--raw", "--password-stdin"], `${a.password}\n`)).stdout.trim();
  assert.equal((await ok(["get", "seed", "--field", "password"])).stdout, "seed-secret");
});
