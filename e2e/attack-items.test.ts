// A lying server vs. vault integrity (issue 6, attacks 1–2 and 5b): the real server behind a hostile proxy,
// the real core engine over real SQLite files. Each attack must be detected (typed error or quarantine
// with a reason), and the tampered data must never be shown by Vault.get/list nor pushed back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isCryptexError } from "@cryptex/core/errors.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import { newItemId } from "@cryptex/core/ids.ts";
import { createItem, editItem, type Item } from "@cryptex/core/vault/item.ts";
import type { PullAnswer, WireItem } from "@cryptex/core/wire/api.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let other: Device; // another account on the same server

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("laptop");
  other = await world.signUpDevice("intruder");
});
after(() => world.stop());

const isPull = (path: string) => path.startsWith("/api/v1/items?");
/** Rewrites pull answers (only while a test's hook is set). */
const rewritePulls = (f: (p: PullAnswer) => PullAnswer) =>
  world.proxy.onAnswer((x) => (x.method === "GET" && isPull(x.path) && x.status === 200 ? { json: f(x.json as PullAnswer) } : undefined));
const honest = () => {
  world.proxy.onAnswer(undefined);
  world.proxy.onRequest(undefined);
};

async function addItem(d: Device, title: string, password = `p4ss-${title}`): Promise<Item> {
  const item = createItem({ type: "login", title, fields: { username: "me", password, url: "https://example.test" } });
  await d.vault.save(item, null);
  return item;
}
async function edit(d: Device, id: ItemId, password: string): Promise<Item> {
  const base = await d.vault.get(id);
  const next = editItem(base, { fields: { password } });
  await d.vault.save(next, base);
  return next;
}
const password = (it: Item) => it.fields.find((f) => f.name === "password")?.value;

/** A second device, fresh for each attack, synced honestly first. */
async function freshDevice(): Promise<Device> {
  honest();
  await a.vault.sync(a.api);
  const b = await world.signInDevice(a, "phone");
  await b.vault.sync(b.api);
  return b;
}

async function assertNothingPending(d: Device) {
  assert.deepEqual(await d.store.readPending(10), [], "nothing tampered is queued for re-upload");
}

test("attack 1a: two items' ciphertexts swapped → both quarantined `tampered`, old versions kept", async () => {
  const x = await addItem(a, "swap-x");
  const y = await addItem(a, "swap-y");
  const b = await freshDevice();
  await edit(a, x.id, "x-v2");
  await edit(a, y.id, "y-v2");
  await a.vault.sync(a.api);
  rewritePulls((p) => {
    const ix = p.items.findIndex((w) => w.id === x.id);
    const iy = p.items.findIndex((w) => w.id === y.id);
    const items = [...p.items];
    items[ix] = { ...p.items[ix]!, data: p.items[iy]!.data } as WireItem;
    items[iy] = { ...p.items[iy]!, data: p.items[ix]!.data } as WireItem;
    return { ...p, items };
  });
  // the quarantine is written, then the manifest check stops the sync: the server withholds what A published
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e, "rollback"));
  const q = await b.store.readQuarantine();
  assert.deepEqual(
    q.map((e) => [e.id, e.reason]).sort(),
    [
      [x.id, "tampered"],
      [y.id, "tampered"],
    ].sort(),
  );
  assert.equal(password(await b.vault.get(x.id)), `p4ss-swap-x`);
  assert.equal(password(await b.vault.get(y.id)), `p4ss-swap-y`);
  await assertNothingPending(b);
  honest();
});

test("attack 1b: an item's ciphertext moved to another id → quarantined, never listed", async () => {
  const x = await addItem(a, "move-x");
  await a.vault.sync(a.api);
  const b = await world.signInDevice(a, "phone");
  const ghost = newItemId();
  rewritePulls((p) => ({ ...p, items: p.items.map((w) => (w.id === x.id ? { ...w, id: ghost } : w)) }));
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e, "rollback")); // x itself is missing: the manifest says so
  assert.ok((await b.store.readQuarantine()).some((e) => e.id === ghost && e.reason === "tampered"));
  assert.ok(!b.vault.list().some((e) => e.id === ghost || e.id === x.id));
  await assert.rejects(b.vault.get(ghost as ItemId), (e) => isCryptexError(e));
  await assertNothingPending(b);
  honest();
});

test("attack 1c / 5b: items of another account served after sign-in → all quarantined `tampered`", async () => {
  await addItem(other, "not-yours");
  await other.vault.sync(other.api);
  const theirs = (await other.api.pull(0)).items;
  const b = await freshDevice();
  await addItem(a, "trigger-1c");
  await a.vault.sync(a.api);
  rewritePulls((p) => ({ ...p, items: theirs.map((w, i) => ({ ...w, revision: p.items[0]!.revision + 0 * i })).slice(0, 1) }));
  const before = b.vault.list().length;
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e));
  const q = await b.store.readQuarantine();
  assert.ok(q.length >= 1 && q.every((e) => e.reason === "tampered"), JSON.stringify(q));
  assert.equal(b.vault.list().length, before);
  assert.ok(!b.vault.list().some((e) => e.title === "not-yours"));
  // and an /account answer of the other account is refused outright
  const theirAccount = await other.api.account();
  world.proxy.onAnswer((x) => (x.path === "/api/v1/account" && x.method === "GET" ? { json: theirAccount } : undefined));
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e, "foreign_key"));
  await assertNothingPending(b);
  honest();
});

test("attack 2a: an item rolled back to an older ciphertext it had → quarantined `rollback`", async () => {
  const x = await addItem(a, "roll-x");
  await a.vault.sync(a.api);
  const v1 = (await a.api.pull(0)).items.find((w) => w.id === x.id)!;
  await edit(a, x.id, "roll-v2");
  await a.vault.sync(a.api);
  const b = await freshDevice();
  assert.equal(password(await b.vault.get(x.id)), "roll-v2");
  const y = await addItem(a, "roll-trigger");
  await a.vault.sync(a.api);
  // the server answers the next pull with the old ciphertext of x at a fresh revision
  rewritePulls((p) => ({ ...p, items: p.items.map((w) => (w.id === y.id ? { ...v1, revision: w.revision } : w)) }));
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e, "rollback")); // and y is missing
  assert.ok((await b.store.readQuarantine()).some((e) => e.id === x.id && e.reason === "rollback"));
  assert.equal(password(await b.vault.get(x.id)), "roll-v2");
  await assertNothingPending(b);
  honest();
});

test("attack 2b: a deleted item replayed → quarantined `rollback`, stays deleted", async () => {
  const x = await addItem(a, "replay-x");
  await a.vault.sync(a.api);
  const old = (await a.api.pull(0)).items.find((w) => w.id === x.id)!;
  await a.vault.purge(x.id, await a.vault.get(x.id));
  await a.vault.sync(a.api);
  const b = await freshDevice();
  assert.ok(!b.vault.list().some((e) => e.id === x.id));
  const y = await addItem(a, "replay-trigger");
  await a.vault.sync(a.api);
  rewritePulls((p) => ({ ...p, items: [...p.items.filter((w) => w.id !== y.id), { ...old, revision: p.revision }] }));
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e));
  assert.ok((await b.store.readQuarantine()).some((e) => e.id === x.id && e.reason === "rollback"));
  assert.ok(!b.vault.list().some((e) => e.id === x.id));
  await assert.rejects(b.vault.get(x.id), (e) => isCryptexError(e));
  honest();
});

test("attack 2c: one item dropped silently → the signed manifest reports it missing (fresh device too)", async () => {
  const z = await addItem(a, "drop-z");
  await a.vault.sync(a.api);
  const b = await world.signInDevice(a, "fresh-phone");
  // a careful liar: the page cursor still matches the items it keeps
  rewritePulls((p) => {
    const items = p.items.filter((w) => w.id !== z.id);
    return { ...p, items, next: items.length ? items[items.length - 1]!.revision : 0 };
  });
  await assert.rejects(b.vault.sync(b.api), (e) => {
    assert.ok(isCryptexError(e, "rollback"), String(e));
    const problems = (e.detail?.problems ?? []) as { id: string; reason: string }[];
    assert.ok(
      problems.some((p) => p.id === z.id && p.reason === "missing"),
      JSON.stringify(problems),
    );
    return true;
  });
  honest();
});

test("attack 2d: every item dropped (empty vault served) → `rollback`; forged server tombstones → quarantined, items kept", async () => {
  const b = await freshDevice();
  const listed = b.vault.list().length;
  assert.ok(listed > 0);
  // 1. an empty account at revision 0
  world.proxy.onAnswer((x) => {
    if (x.method === "GET" && x.path === "/api/v1/account") return { json: { ...(x.json as object), revision: 0 } };
    if (x.method === "GET" && isPull(x.path)) return { json: { items: [], revision: 0, more: false, next: 0 } };
    return undefined;
  });
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e, "rollback"));
  // 2. the same revision, but every item "not held" by the server: data-less entries (the server cannot delete)
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
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e));
  const q = await b.store.readQuarantine();
  assert.ok(q.filter((e) => e.reason === "unauthenticated_delete").length >= listed, JSON.stringify(q));
  assert.equal(b.vault.list().length, listed, "nothing disappears on the server's word");
  // 3. a fresh device offered an empty vault while the manifests list items
  const c = await world.signInDevice(a, "fresh-tablet");
  rewritePulls((p) => ({ ...p, items: [] }));
  await assert.rejects(c.vault.sync(c.api), (e) => isCryptexError(e, "rollback"));
  assert.equal(c.vault.list().length, 0);
  honest();
});

test("manifest attacks: withheld, rolled back to an older counter, or forged → typed errors", async () => {
  const b = await freshDevice();
  await addItem(a, "manifest-1");
  await a.vault.sync(a.api);
  const olderManifests = (await a.api.manifests()).manifests;
  await addItem(a, "manifest-2");
  await a.vault.sync(a.api);
  await b.vault.sync(b.api);
  const manifestsPath = "/api/v1/manifests";
  // a sync that pulls nothing has no new state to judge and does not fetch manifests (delta sync stays small)
  const before = world.proxy.captured.filter((x) => x.path === manifestsPath).length;
  await b.vault.sync(b.api);
  assert.equal(world.proxy.captured.filter((x) => x.path === manifestsPath).length, before);
  // every sync that pulls verifies them: A writes, then the server lies to B about the manifests
  const lie = async (rewrite: (ms: { deviceId: string; data: string; updatedAt: number }[]) => unknown, ok: (e: unknown) => boolean) => {
    await addItem(a, `manifest-${Math.random()}`);
    await a.vault.sync(a.api);
    world.proxy.onAnswer((x) =>
      x.method === "GET" && x.path === manifestsPath
        ? { json: { manifests: rewrite((x.json as { manifests: [] }).manifests) } }
        : undefined,
    );
    await assert.rejects(b.vault.sync(b.api), ok);
    honest();
    // a failed check is never taken as done: the next sync verifies again
    const fetched = world.proxy.captured.filter((x) => x.path === manifestsPath).length;
    await b.vault.sync(b.api);
    assert.equal(world.proxy.captured.filter((x) => x.path === manifestsPath).length, fetched + 1);
  };
  await lie(
    () => olderManifests,
    (e) => isCryptexError(e, "rollback"),
  );
  await lie(
    () => [],
    (e) => isCryptexError(e, "rollback"),
  );
  await lie(
    (ms) => ms.map((m) => ({ ...m, data: `${m.data.slice(0, 100)}${m.data[100] === "A" ? "B" : "A"}${m.data.slice(101)}` })),
    (e) => isCryptexError(e, "tampered") || isCryptexError(e, "invalid_input"),
  );
  honest();
  await b.vault.sync(b.api); // the honest server again: no lasting damage
});

test("no false alarm: two devices pushing concurrently, many rounds, converge and lose nothing", async () => {
  const b = await freshDevice();
  const titles = new Set<string>();
  for (let round = 0; round < 6; round++) {
    const ta = `conc-a-${round}`;
    const tb = `conc-b-${round}`;
    titles.add(ta).add(tb);
    await addItem(a, ta);
    await addItem(b, tb);
    await Promise.all([a.vault.sync(a.api), b.vault.sync(b.api)]);
  }
  await a.vault.sync(a.api);
  await b.vault.sync(b.api);
  await a.vault.sync(a.api);
  for (const d of [a, b]) {
    const have = new Set(d.vault.list().map((e) => e.title));
    for (const t of titles) assert.ok(have.has(t), `${d.name} has ${t}`);
  }
  assert.deepEqual(await b.store.readQuarantine(), []);
});

// Known gap: a device that quarantined a server's version has moved its cursor past
// it, so it never pulls the honest version again; every later sync stops at the manifest check with
// `rollback`, and its own local changes are not pushed. Runs as a todo until the engine re-pulls
// quarantined items from an honest server (see the issue-6 report).
test("recovery: after a detected swap, an honest server again lets the device sync and push", async () => {
  const x = await addItem(a, "recover-x");
  const b = await freshDevice();
  await edit(a, x.id, "recover-v2");
  const y = await addItem(a, "recover-y");
  await a.vault.sync(a.api);
  rewritePulls((p) => {
    const ix = p.items.findIndex((w) => w.id === x.id);
    const iy = p.items.findIndex((w) => w.id === y.id);
    const items = [...p.items];
    items[ix] = { ...p.items[ix]!, data: p.items[iy]!.data } as WireItem;
    items[iy] = { ...p.items[iy]!, data: p.items[ix]!.data } as WireItem;
    return { ...p, items };
  });
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e));
  honest();
  const mine = await addItem(b, "recover-local");
  await b.vault.sync(b.api);
  assert.equal(password(await b.vault.get(x.id)), "recover-v2");
  await a.vault.sync(a.api);
  assert.equal(password(await a.vault.get(mine.id)), "p4ss-recover-local");
});

test("recovery re-pulls only what was quarantined: a pending local edit elsewhere is no conflict", async () => {
  const b = await freshDevice();
  const x = await addItem(a, "requarantine-x");
  await a.vault.sync(a.api);
  await b.vault.sync(b.api);
  // a quarantine entry from an old lie, far below the cursor: the next sync pulls again from there
  await b.store.write({ quarantine: [{ id: x.id, revision: 1, reason: "tampered", at: Date.now() }] });
  const mine = await edit(b, x.id, "edited-on-b");
  const report = await b.vault.sync(b.api);
  assert.deepEqual(report.conflicts, [], "our own earlier version is not a conflict");
  assert.equal(b.vault.list().filter((e) => e.conflictOf).length, 0);
  assert.equal(password(await b.vault.get(x.id)), password(mine));
  assert.deepEqual(await b.store.readQuarantine(), [], "re-judged and honest: the entry is gone");
});
