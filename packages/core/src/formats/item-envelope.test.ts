import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { utf8 } from "../encoding/bytes.ts";
import { newItemId } from "../keys/ids.ts";
import { createItem, editItem, type Item, restoreItem, trashItem } from "../vault/item.ts";
import { ITEM_TYPES, TEMPLATES } from "../vault/templates.ts";
import { aad } from "./aad.ts";
import { sealEnvelope } from "./envelope.ts";
import { decryptItem, encryptItem } from "./item-envelope.ts";
import { freshAccountKeys } from "./test-keys.ts";

const itemArb = fc
  .record({
    type: fc.constantFrom(...ITEM_TYPES),
    title: fc.string({ maxLength: 80 }),
    notes: fc.string({ maxLength: 300 }),
    tags: fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 5 }),
    favorite: fc.boolean(),
    custom: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 100 }), { maxKeys: 4 }),
  })
  .map(({ type, title, notes, tags, favorite, custom }) => {
    const fields: Record<string, string> = { ...custom };
    for (const f of TEMPLATES.find((t) => t.type === type)!.fields) fields[f.name] = `${f.name}-value`;
    return createItem({ type, title, notes, tags: tags.filter((t) => t.trim()), favorite, fields });
  });

test("property: item round trip for every template", async () => {
  const keys = await freshAccountKeys();
  await fc.assert(
    fc.asyncProperty(itemArb, async (item) => {
      const back = await decryptItem(keys, item.id, await encryptItem(keys, item));
      assert.deepEqual(back, item);
    }),
    { numRuns: 200 },
  );
});

test("property: any flipped bit of an item ciphertext is rejected as tampered", async () => {
  const keys = await freshAccountKeys();
  const item = createItem({ type: "login", title: "Bank", fields: { username: "u", password: "p" } });
  const ct = await encryptItem(keys, item);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 8, max: ct.length * 8 - 1 }), async (bit) => {
      const b = ct.slice();
      b[bit >> 3]! ^= 1 << (bit & 7);
      await assert.rejects(decryptItem(keys, item.id, b), { code: "tampered" });
    }),
    { numRuns: 300 },
  );
  const v = ct.slice();
  v[0] = 9;
  await assert.rejects(decryptItem(keys, item.id, v), { code: "unsupported_format" });
});

test("a ciphertext moved to another item id or another account is rejected", async () => {
  const keys = await freshAccountKeys();
  const other = await freshAccountKeys();
  const item = createItem({ type: "login", title: "Mail" });
  const ct = await encryptItem(keys, item);
  await assert.rejects(decryptItem(keys, newItemId(), ct), { code: "tampered" });
  await assert.rejects(decryptItem(other, item.id, ct), { code: "tampered" });
});

test("a ciphertext that decrypts but breaks the schema is invalid_item", async () => {
  const keys = await freshAccountKeys();
  const id = newItemId();
  const bad = [{ v: 1, id, evil: true }, { ...createItem({ type: "login", title: "x" }), id, title: "x".repeat(600) }, "[[[["];
  for (const b of bad) {
    const ct = await sealEnvelope(keys.item, utf8(typeof b === "string" ? b : JSON.stringify(b)), aad("item", keys.accountId, id));
    await assert.rejects(decryptItem(keys, id, ct), { code: "invalid_item" });
  }
  // the id inside must match the id it is stored under
  const real = createItem({ type: "login", title: "x" });
  const ct = await sealEnvelope(keys.item, utf8(JSON.stringify(real)), aad("item", keys.accountId, id));
  await assert.rejects(decryptItem(keys, id, ct), { code: "tampered" });
});

test("edits bump the version counter and keep password history; trash and restore", () => {
  let item: Item = createItem({ type: "login", title: "Site", fields: { username: "ann", password: "one" } }, 1000);
  item = editItem(item, { fields: { password: "two" } }, 2000);
  item = editItem(item, { fields: { password: "three", pin: "1234" } }, 3000);
  assert.equal(item.rev, 3);
  assert.deepEqual(
    item.history.map((h) => h.value),
    ["two", "one"],
  );
  assert.equal(item.fields.find((f) => f.name === "pin")?.custom, true);
  item = trashItem(item, 4000);
  assert.equal(item.trashedAt, 4000);
  item = restoreItem(item, 5000);
  assert.equal(item.trashedAt, null);
  assert.equal(item.rev, 5);
});
