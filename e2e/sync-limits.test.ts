// Size limits end to end (issue 9): one LIMITS for schema, wire, server and editors. An item over the limit
// is refused by the engine before it is saved; one already stored (saved before the limit) is never sent,
// is reported, stays on the device, and does not stop the other changes; a batch whose request body is over
// the server's bound is split until the server takes it. Real engine, real SQLite, real server process.
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

test("a batch whose request is over the server's body bound is split until it is taken: every item arrives", async () => {
  // each item under the item limit, together well over the request body bound
  const n = Math.ceil(LIMITS.body / (LIMITS.itemBytes * (4 / 3))) + 2;
  const saved: string[] = [];
  for (let i = 0; i < n; i++) {
    const it = bigItem(`bulk ${i}`, LIMITS.itemBytes - 8192);
    await a.vault.save(it, null);
    saved.push(it.id);
  }
  const r = await a.vault.sync(a.api);
  assert.deepEqual(r.refused, []);
  assert.equal(r.pushed, n);
  const pushes = world.proxy.captured.filter((x) => x.method === "POST" && x.path === "/api/v1/items");
  assert.ok(
    pushes.some((x) => x.status === 413),
    "the server refused the whole batch first",
  );
  await b.vault.sync(b.api);
  for (const id of saved) assert.ok(fieldValue(await b.vault.get(id as never), "part0")?.startsWith("€"));
});
