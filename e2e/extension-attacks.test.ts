// The malicious-server suite against the browser extension: Debian's Chromium with the built extension loaded
// syncs through the hostile proxy in front of the real server, while the laptop (the real core engine over
// SQLite) writes. Swapped, moved, rolled-back, replayed, dropped and foreign items, forged tombstones, withheld
// or forged manifests, another account's answers and a forged new EAK: the extension's worker refuses each,
// says so in its sync note, never shows the tampered value, pushes nothing back, and keeps its data.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { b64uEncode } from "@cryptex/core/encoding/base64.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import { createItem, editItem, type Item } from "@cryptex/core/vault/item.ts";
import type { PullAnswer, WireItem } from "@cryptex/core/wire/api.ts";
import type { Page } from "playwright-core";
import { buildExtension } from "../packages/extension/build.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";
import { type ExtensionBrowser, launchWithExtension } from "./support/extension-browser.ts";

const OUT = new URL("../.test-output/extension/", import.meta.url).pathname;
const REFUSED = /older data than this device has seen|failed its integrity check|another account/;

let world: World;
let a: Device;
let other: Device; // another account on the same server
let ext: ExtensionBrowser;
let ctl: Page; // an extension page of ours: asks the worker what the popup would

type Answer = { ok: true; value: unknown } | { ok: false; code: string; text: string };
const ask = (req: Record<string, unknown>): Promise<Answer> => ctl.evaluate((r) => chrome.runtime.sendMessage(r), req);
async function value<T>(req: Record<string, unknown>): Promise<T> {
  const r = await ask(req);
  assert.ok(r.ok, `${String(req.type)} failed: ${JSON.stringify(r)}`);
  return r.value as T;
}
/** A sync from the worker (as on popup open); its note is what the popup shows. */
const sync = () => value<string>({ type: "sync" });
const titles = async (query = "") =>
  (await value<{ results: { title: string }[] }>({ type: "logins", tabId: -1, query })).results.map((r) => r.title);
const idOf = async (title: string) => {
  const rows = (await value<{ results: { id: ItemId; title: string }[] }>({ type: "logins", tabId: -1, query: title })).results;
  const row = rows.find((r) => r.title === title);
  assert.ok(row, `${title} is listed`);
  return row.id;
};
const passwordOf = async (id: ItemId) => (await value<{ password: string }>({ type: "reveal", id })).password;

const honest = () => {
  world.proxy.onAnswer(undefined);
  world.proxy.onRequest(undefined);
};
const isPull = (path: string) => path.startsWith("/api/v1/items?");
const rewritePulls = (f: (p: PullAnswer) => PullAnswer) =>
  world.proxy.onAnswer((x) => (x.method === "GET" && isPull(x.path) && x.status === 200 ? { json: f(x.json as PullAnswer) } : undefined));
const onAccount = (f: (acc: Record<string, unknown>) => Record<string, unknown>) =>
  world.proxy.onAnswer((x) =>
    x.method === "GET" && x.path === "/api/v1/account" ? { json: f(x.json as Record<string, unknown>) } : undefined,
  );

async function addItem(d: Device, title: string, password = `p4ss-${title}`): Promise<Item> {
  const item = createItem({ type: "login", title, fields: { username: "me", password, url: "https://example.test" } });
  await d.vault.save(item, null);
  return item;
}
async function edit(id: ItemId, password: string): Promise<void> {
  const base = await a.vault.get(id);
  await a.vault.save(editItem(base, { fields: { password } }), base);
}

/**
 * The extension as a new device, synced honestly: once a device has quarantined a server's version it reports
 * the problem on every later sync (the honest version is never pulled again), so such attacks do not share one.
 */
async function freshExtension(): Promise<void> {
  honest();
  await a.vault.sync(a.api);
  assert.deepEqual(await value({ type: "signOut", discardUnsynced: true }), "done");
  await value({ type: "signIn", serverUrl: world.proxy.url, email: a.email, password: a.password, eakText: a.account.eakText });
  assert.equal(await sync(), "Synced");
}

/** Runs `attack` and checks the extension sent no item back to the server meanwhile (nothing tampered is re-uploaded). */
async function noPush<T>(attack: () => Promise<T>): Promise<T> {
  const from = world.proxy.captured.length;
  const r = await attack();
  const pushes = world.proxy.captured.slice(from).filter((x) => x.method === "POST" && x.path === "/api/v1/items");
  assert.equal(pushes.length, 0, "nothing is pushed back");
  return r;
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  const dir = await buildExtension(mkdtempSync(join(tmpdir(), "cryptex-ext-build-")));
  world = await startWorld();
  a = await world.signUpDevice("laptop");
  other = await world.signUpDevice("intruder");
  await addItem(a, "seed", "seed-secret");
  await a.vault.sync(a.api);
  ext = await launchWithExtension(dir, [world.server.caPem], []);
  ctl = await ext.context.newPage();
  await ctl.goto(`chrome-extension://${ext.id}/popup.html?tab=-1`);
  await value({ type: "signIn", serverUrl: world.proxy.url, email: a.email, password: a.password, eakText: a.account.eakText });
});

// a test that fails mid-attack must not leave the next one facing a lying server
beforeEach(() => {
  if (world) honest();
});

after(async () => {
  await ext?.close();
  await world?.stop();
});

test("extension attack 1a: two items' ciphertexts swapped → refused, the popup says so, the old values are kept", async () => {
  const x = await addItem(a, "swap-x", "x-v1");
  const y = await addItem(a, "swap-y", "y-v1");
  await freshExtension();
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
  assert.match(await noPush(sync), REFUSED);
  // the popup, opened while the server still lies, shows the refusal and the kept logins
  const p = await ext.context.newPage();
  await p.setViewportSize({ width: 360, height: 600 });
  await p.goto(`chrome-extension://${ext.id}/popup.html?tab=-1`);
  await p.getByRole("status").getByText(REFUSED).waitFor({ timeout: 20_000 });
  await p.getByRole("button", { name: "Fill swap-x" }).waitFor();
  await p.screenshot({ path: join(OUT, "10-server-refused.png") });
  await p.close();
  honest();
  assert.equal(await passwordOf(x.id), "x-v1");
  assert.equal(await passwordOf(y.id), "y-v1");
});

test("extension attack 1b: an item's ciphertext moved to another id → refused, never listed", async () => {
  const x = await addItem(a, "move-x", "move-secret");
  await a.vault.sync(a.api);
  await freshExtension();
  const wire = (await a.api.pull(0)).items.find((w) => w.id === x.id)!;
  const trigger = await addItem(a, "move-trigger");
  await a.vault.sync(a.api);
  const stranger = "0b8a3c1e-5d2f-4e6a-9b7c-1d2e3f4a5b6c";
  rewritePulls((p) => ({ ...p, items: p.items.map((w) => (w.id === trigger.id ? { ...wire, id: stranger, revision: w.revision } : w)) }));
  assert.match(await noPush(sync), REFUSED);
  honest();
  assert.equal((await titles("move")).filter((t) => t === "move-x").length, 1, "listed once, under its own id only");
  assert.equal((await ask({ type: "reveal", id: stranger })).ok, false);
  assert.equal(await passwordOf(x.id), "move-secret");
});

test("extension attack 2a: an item rolled back to an older ciphertext → refused, the newer value is kept", async () => {
  const x = await addItem(a, "roll-x", "roll-v1-old");
  await a.vault.sync(a.api);
  const v1 = (await a.api.pull(0)).items.find((w) => w.id === x.id)!;
  await edit(x.id, "roll-v2-new");
  await freshExtension();
  assert.equal(await passwordOf(x.id), "roll-v2-new");
  const y = await addItem(a, "roll-trigger");
  await a.vault.sync(a.api);
  rewritePulls((p) => ({ ...p, items: p.items.map((w) => (w.id === y.id ? { ...v1, revision: w.revision } : w)) }));
  assert.match(await noPush(sync), /older data than this device has seen/);
  honest();
  assert.equal(await passwordOf(x.id), "roll-v2-new");
});

test("extension attack 2b: a deleted item replayed → refused, it stays deleted", async () => {
  const x = await addItem(a, "replay-x", "replay-secret");
  await a.vault.sync(a.api);
  const old = (await a.api.pull(0)).items.find((w) => w.id === x.id)!;
  await a.vault.purge(x.id, await a.vault.get(x.id));
  await freshExtension();
  assert.ok(!(await titles("replay")).includes("replay-x"));
  const y = await addItem(a, "replay-trigger");
  await a.vault.sync(a.api);
  rewritePulls((p) => ({ ...p, items: [...p.items.filter((w) => w.id !== y.id), { ...old, revision: p.revision }] }));
  assert.match(await noPush(sync), REFUSED);
  honest();
  assert.ok(!(await titles("replay")).includes("replay-x"));
  assert.equal((await ask({ type: "reveal", id: x.id })).ok, false);
});

test("extension attack 1c: items of another account served → refused, never listed, own logins kept", async () => {
  await addItem(other, "not-yours", "their-secret");
  await other.vault.sync(other.api);
  const theirs = (await other.api.pull(0)).items;
  await freshExtension();
  const before = await titles();
  await addItem(a, "trigger-1c");
  await a.vault.sync(a.api);
  rewritePulls((p) => ({ ...p, items: theirs.slice(0, 1).map((w) => ({ ...w, revision: p.items[0]!.revision })) }));
  assert.match(await noPush(sync), REFUSED);
  honest();
  const after = await titles();
  assert.ok(!after.includes("not-yours"));
  for (const t of before) assert.ok(after.includes(t), `${t} is still listed`);
});

test("extension attack 2c: a fresh extension served a truncated vault → the signed manifests report it, nothing missing is claimed synced", async () => {
  const z = await addItem(a, "drop-z", "drop-secret");
  await a.vault.sync(a.api);
  honest();
  assert.equal(await value({ type: "signOut", discardUnsynced: true }), "done");
  // a careful liar: the page cursor still matches the items it keeps
  rewritePulls((p) => {
    const items = p.items.filter((w) => w.id !== z.id);
    return { ...p, items, next: items.length ? items[items.length - 1]!.revision : 0 };
  });
  await value({ type: "signIn", serverUrl: world.proxy.url, email: a.email, password: a.password, eakText: a.account.eakText });
  const status = await value<{ sync: string }>({ type: "status" });
  assert.match(status.sync, /older data than this device has seen/);
  assert.ok(!(await titles("drop")).includes("drop-z"));
  honest();
});

test("extension attacks on an existing device: an empty vault, forged tombstones → refused, every login kept", async () => {
  await freshExtension();
  const listed = (await titles()).length;
  assert.ok(listed > 0);
  // 1. an empty account at revision 0
  world.proxy.onAnswer((x) => {
    if (x.method === "GET" && x.path === "/api/v1/account") return { json: { ...(x.json as object), revision: 0 } };
    if (x.method === "GET" && isPull(x.path)) return { json: { items: [], revision: 0, more: false, next: 0 } };
    return undefined;
  });
  assert.match(await noPush(sync), /older data than this device has seen/);
  assert.equal((await titles()).length, listed);
  // 2. every item "not held" by the server: data-less entries at new revisions (the server cannot delete)
  honest();
  await addItem(a, "tombstone-trigger");
  await a.vault.sync(a.api);
  const all = (await a.api.pull(0)).items;
  const n = all.length;
  world.proxy.onAnswer((x) => {
    if (x.method === "GET" && x.path === "/api/v1/account")
      return { json: { ...(x.json as { revision: number }), revision: (x.json as { revision: number }).revision + n } };
    if (x.method !== "GET" || !isPull(x.path)) return undefined;
    const p = x.json as PullAnswer;
    const items = all.map((w, i) => ({ id: w.id, revision: p.revision + 1 + i }));
    return { json: { items, revision: p.revision + n, more: false, next: p.revision + n } };
  });
  assert.match(await noPush(sync), REFUSED);
  honest();
  assert.equal((await titles()).length, listed, "nothing disappears on the server's word");
  assert.equal(await passwordOf(await idOf("seed")), "seed-secret");
});

test("extension manifest attacks: withheld, rolled back to older counters, or forged → refused; the honest server syncs again", async () => {
  await freshExtension();
  const older = (await a.api.manifests()).manifests;
  await addItem(a, "manifest-1");
  await a.vault.sync(a.api);
  assert.equal(await sync(), "Synced");
  const lie = async (rewrite: (ms: { deviceId: string; data: string; updatedAt: number }[]) => unknown) => {
    await addItem(a, `manifest-${Math.random()}`);
    await a.vault.sync(a.api);
    world.proxy.onAnswer((x) =>
      x.method === "GET" && x.path === "/api/v1/manifests"
        ? { json: { manifests: rewrite((x.json as { manifests: [] }).manifests) } }
        : undefined,
    );
    assert.match(await noPush(sync), REFUSED);
    honest();
    assert.equal(await sync(), "Synced", "no lasting damage: the next sync verifies again and passes");
  };
  await lie(() => older);
  await lie(() => []);
  await lie((ms) => ms.map((m) => ({ ...m, data: `${m.data.slice(0, 100)}${m.data[100] === "A" ? "B" : "A"}${m.data.slice(101)}` })));
  assert.ok((await titles("manifest-1")).includes("manifest-1"));
});

test("extension attack: another account's /account answer → refused, nothing changed", async () => {
  await freshExtension();
  const before = await titles();
  const theirs = await other.api.account();
  world.proxy.onAnswer((x) => (x.path === "/api/v1/account" && x.method === "GET" ? { json: theirs } : undefined));
  assert.match(await noPush(sync), /another account/);
  honest();
  assert.deepEqual(await titles(), before);
  assert.equal(await sync(), "Synced");
});

test("extension attack 4: a forged new EAK → refused, the stored EAK is unchanged, the old password still unlocks", async () => {
  await freshExtension();
  const device = () => ctl.evaluate(async () => (await chrome.storage.local.get("device")).device as { eak: string });
  const before = await device();
  const random = b64uEncode(crypto.getRandomValues(new Uint8Array(200)));
  for (const forged of [random, undefined]) {
    // a random blob, then the real wrapped EAK replayed under a higher generation (the generation is in the AAD)
    onAccount((acc) => ({ ...acc, eakGeneration: (acc.eakGeneration as number) + 3, ...(forged ? { wrappedEak: forged } : {}) }));
    assert.match(await noPush(sync), REFUSED);
    honest();
  }
  assert.deepEqual(await device(), before, "the EAK kept in chrome.storage.local is unchanged");
  await value({ type: "lock" });
  assert.equal((await value<{ state: string }>({ type: "status" })).state, "locked");
  await value({ type: "unlock", password: a.password });
  assert.equal(await passwordOf(await idOf("seed")), "seed-secret");
});
