// Size limits end to end (issue 9): one LIMITS for schema, wire, server and editors. An item over the limit
// is refused by the engine before it is saved; one already stored (saved before the limit) is never sent,
// is reported, stays on the device, and does not stop the other changes; pushes stay within the body bound;
// a push refused as a request (one bad item, a smaller body limit in front) is split until the refused item
// stands alone. Real engine, real SQLite, real server process (behind the test proxy for the refusals).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isCryptexError } from "@cryptex/core/errors.ts";
import { encryptItem } from "@cryptex/core/formats/item-envelope.ts";
import { createItem, fieldValue, itemSize, LIMITS } from "@cryptex/core/vault/item.ts";
import { LIMITS as WIRE_LIMITS } from "@cryptex/core/wire/api.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let b: Device;

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("limits-a");
  b = await world.signInDevice(a, "limits-b");
});
after(() => world.stop());

/** An item of about `bytes` bytes that the per-part bounds allow: 3-byte characters in notes and fields. */
function bigItem(title: string, bytes: number) {
  const chars = Math.floor(bytes / 3);
  const notes = "€".repeat(Math.min(chars, LIMITS.notes));
  const fields: Record<string, string> = {};
  let left = chars - notes.length;
  for (let i = 0; left > 0; i++) {
    fields[`part${i}`] = "€".repeat(Math.min(left, LIMITS.fieldValue));
    left -= LIMITS.fieldValue;
  }
  return createItem({ type: "secure-note", title, notes, fields });
}

test("one LIMITS object: the item schema, the wire and the editors read the same bounds", () => {
  assert.equal(LIMITS, WIRE_LIMITS);
  assert.ok(LIMITS.itemBytes < LIMITS.itemCiphertext && Math.ceil((LIMITS.itemCiphertext * 4) / 3) <= LIMITS.itemData);
});

test("the engine refuses an item over the limit before saving it, with a typed error", async () => {
  const big = bigItem("too big", LIMITS.itemBytes + 4096);
  assert.ok(itemSize(big) > LIMITS.itemBytes);
  await assert.rejects(a.vault.save(big, null), (e) => isCryptexError(e, "too_large") && /limit/.test(e.message));
  assert.equal(await a.store.readItem(big.id), undefined, "nothing was stored");
});

test("a stored item over the wire limit is reported and kept; the other changes are sent", async () => {
  // an item saved before the limit existed (written as that older code did, bypassing the check)
  const legacy = bigItem("legacy giant", LIMITS.itemBytes + 200 * 1024);
  const data = await encryptItem(a.account.keys, legacy);
  assert.ok(Math.ceil((data.length * 4) / 3) > LIMITS.itemData);
  await a.store.write({ putItems: [{ id: legacy.id, data, deleted: false, revision: 0, pending: true, seenRev: 0 }] });
  const small1 = createItem({ type: "login", title: "small one", fields: { password: "s1" } });
  const small2 = createItem({ type: "login", title: "small two", fields: { password: "s2" } });
  await a.vault.save(small1, null);
  await a.vault.save(small2, null);
  const r = await a.vault.sync(a.api);
  assert.deepEqual(r.refused, [{ id: legacy.id, reason: "too_large" }]);
  assert.equal(r.pushed, 2);
  const kept = await a.store.readItem(legacy.id);
  assert.ok(kept?.pending, "the refused item stays on the device, pending");
  assert.equal((await a.vault.get(legacy.id)).title, "legacy giant");
  const rb = await b.vault.sync(b.api);
  assert.equal(rb.refused.length, 0);
  const titles = new Set(b.vault.list().map((e) => e.title));
  assert.ok(titles.has("small one") && titles.has("small two") && !titles.has("legacy giant"));
  // the next sync reports it again (nothing is dropped silently) and still sends what is new
  await a.vault.save(createItem({ type: "login", title: "small three", fields: { password: "s3" } }), null);
  const again = await a.vault.sync(a.api);
  assert.deepEqual(
    again.refused.map((x) => x.id),
    [legacy.id],
  );
  assert.equal(again.pushed, 1);
  // once it is made smaller, it syncs
  await a.vault.save({ ...legacy, notes: "shortened", fields: [], rev: legacy.rev + 1 }, legacy);
  const fixed = await a.vault.sync(a.api);
  assert.deepEqual(fixed.refused, []);
  await b.vault.sync(b.api);
  assert.equal((await b.vault.get(legacy.id)).notes, "shortened");
});

test("large items go in several push requests, each within the body bound: every item arrives", async () => {
  // each item under the item limit, together well over the request body bound
  const n = Math.ceil(LIMITS.body / (LIMITS.itemBytes * (4 / 3))) + 2;
  const saved: string[] = [];
  for (let i = 0; i < n; i++) {
    const it = bigItem(`bulk ${i}`, LIMITS.itemBytes - 8192);
    await a.vault.save(it, null);
    saved.push(it.id);
  }
  const from = world.proxy.captured.length;
  const r = await a.vault.sync(a.api);
  assert.deepEqual(r.refused, []);
  assert.equal(r.pushed, n);
  const pushes = world.proxy.captured.slice(from).filter((x) => x.method === "POST" && x.path === "/api/v1/items");
  assert.ok(pushes.length >= 2, `${pushes.length} push requests`);
  for (const x of pushes) {
    assert.equal(x.status, 200);
    assert.ok(x.requestBody.length <= LIMITS.body, `a push of ${x.requestBody.length} bytes`);
  }
  await b.vault.sync(b.api);
  for (const id of saved) assert.ok(fieldValue(await b.vault.get(id as never), "part0")?.startsWith("€"));
});

test("a push the server refuses because of one item: that item is reported and kept, the others are sent", async () => {
  const items = ["ok 1", "poisoned", "ok 2", "ok 3", "ok 4"].map((title) =>
    createItem({ type: "login", title, fields: { password: `${title}-pw` } }),
  );
  for (const it of items) await a.vault.save(it, null);
  const poison = items[1]!.id;
  // the server (here: the proxy in front of it, without forwarding) refuses every request that carries it
  world.proxy.onRequest((x) =>
    x.method === "POST" && x.path === "/api/v1/items" && x.body.includes(poison)
      ? { status: 400, json: { code: "bad_request", message: "items[1]: refused" } }
      : undefined,
  );
  try {
    const r = await a.vault.sync(a.api);
    assert.deepEqual(r.refused, [{ id: poison, reason: "bad_request" }]);
    assert.equal(r.pushed, 4);
    assert.ok((await a.store.readItem(poison))?.pending, "the refused item stays, pending");
  } finally {
    world.proxy.onRequest(undefined);
  }
  await b.vault.sync(b.api);
  const titles = new Set(b.vault.list().map((e) => e.title));
  assert.ok(["ok 1", "ok 2", "ok 3", "ok 4"].every((t) => titles.has(t)) && !titles.has("poisoned"));
  const later = await a.vault.sync(a.api);
  assert.deepEqual(later.refused, []);
  assert.equal(later.pushed, 1, "once the server takes it, it is sent");
});

test("a front proxy with a smaller body limit (413): the batch is split until each part passes", async () => {
  const CAP = 3 * 1024 * 1024;
  const saved: string[] = [];
  for (let i = 0; i < 6; i++) {
    const it = bigItem(`capped ${i}`, 900 * 1024);
    await a.vault.save(it, null);
    saved.push(it.id);
  }
  let refusedBodies = 0;
  world.proxy.onRequest((x) => {
    if (x.method !== "POST" || x.path !== "/api/v1/items" || x.body.length <= CAP) return undefined;
    refusedBodies++;
    return { status: 413, json: { code: "too_large", message: `request body is larger than ${CAP} bytes` } };
  });
  try {
    const r = await a.vault.sync(a.api);
    assert.deepEqual(r.refused, []);
    assert.equal(r.pushed, 6);
    assert.ok(refusedBodies > 0, "the whole batch was refused first");
  } finally {
    world.proxy.onRequest(undefined);
  }
  await b.vault.sync(b.api);
  for (const id of saved) assert.equal((await b.vault.get(id as never)).id, id);
});
