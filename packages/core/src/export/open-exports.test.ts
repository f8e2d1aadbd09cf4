// Round trips through every open export: random items -> export -> import -> the same items. What a
// format cannot carry is named in docs/import.md and left out of that format's comparison, nothing else.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { importFile } from "../import/import-file.ts";
import { createItem, type Field, type Item } from "../vault/item.ts";
import { type ItemType, template } from "../vault/templates.ts";
import { writeBitwardenJson } from "./bitwarden-json-export.ts";
import { writeCryptexJson } from "./cryptex-json.ts";
import { writeCryptexCsv } from "./csv-export.ts";

const TYPES: ItemType[] = ["login", "secure-note", "credit-card", "identity", "wifi", "passport", "software-license"];
const text = (min = 0) => fc.string({ unit: "grapheme", minLength: min, maxLength: 12 }).filter((s) => !s.includes("\r"));
const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,8}[A-Za-z0-9]$/);
const time = fc.integer({ min: 0, max: 4102444800000 });

const itemArb = (customKinds: Field["kind"][]) =>
  fc
    .record({
      type: fc.constantFrom(...TYPES),
      title: text(1).filter((s) => s.trim().length > 0),
      slotValues: fc.array(
        text(1).filter((s) => s.trim().length > 0),
        { minLength: 8, maxLength: 8 },
      ),
      slotMask: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      custom: fc.uniqueArray(fc.record({ name: word, kind: fc.constantFrom(...customKinds), value: text() }), {
        maxLength: 3,
        selector: (f) => f.name.toLowerCase(),
      }),
      notes: text(),
      tags: fc.uniqueArray(word, { maxLength: 3 }),
      favorite: fc.boolean(),
      folder: fc.array(word, { maxLength: 3 }).map((s) => s.join("/")),
      trashed: fc.boolean(),
      history: fc.array(fc.record({ value: text(1), changedAt: time }), { maxLength: 8 }),
      createdAt: time,
      updatedAt: time,
    })
    .map((r): Item => {
      const tpl = template(r.type);
      const fields: Field[] = tpl.fields
        .filter((_, i) => r.slotMask[i])
        .map((f, i) => ({ name: f.name, kind: f.kind, value: f.name === "expiry" ? "03/2031" : r.slotValues[i]! }));
      for (const c of r.custom) fields.push({ name: `c-${c.name}`, kind: c.kind, value: c.value, custom: true });
      const base = createItem({
        type: r.type,
        title: r.title,
        fields,
        notes: r.notes,
        tags: r.tags,
        favorite: r.favorite,
        folder: r.folder,
      });
      return {
        ...base,
        trashedAt: r.trashed ? 1 : null,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        history: r.history.map((h) => ({ field: "password", ...h })).sort((a, b) => b.changedAt - a.changedAt),
      };
    });

/** What must survive: fields as a set (order is the exporter's), trash as a flag (the import dates it). */
function essence(i: Item, keep: { history: boolean; dates: boolean }) {
  return {
    type: i.type,
    title: i.title,
    fields: i.fields.map((f) => `${f.custom ? "custom" : "slot"}|${f.name}|${f.kind}|${f.value}`).sort(),
    notes: i.notes,
    tags: i.tags,
    favorite: i.favorite,
    folder: i.folder ?? "",
    trashed: i.trashedAt !== null,
    ...(keep.history ? { history: i.history.map((h) => [h.field, h.value, h.changedAt]) } : {}),
    ...(keep.dates ? { createdAt: i.createdAt, updatedAt: i.updatedAt } : {}),
  };
}

const cases = [
  {
    name: "Cryptex JSON",
    write: writeCryptexJson,
    kinds: ["text", "hidden", "url", "email", "phone", "date", "totp", "note", "number"],
    keep: { history: true, dates: true },
  },
  { name: "Bitwarden JSON", write: writeBitwardenJson, kinds: ["text", "hidden"], keep: { history: true, dates: true } },
  {
    name: "Cryptex CSV",
    write: writeCryptexCsv,
    kinds: ["text", "hidden", "url", "email", "date", "note"],
    keep: { history: false, dates: false },
  },
] as const;

for (const c of cases) {
  test(`round trip through ${c.name} loses nothing it claims to keep`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb([...c.kinds]), { minLength: 1, maxLength: 6 }), async (items) => {
        const { items: back, report } = await importFile(new TextEncoder().encode(c.write(items)));
        assert.equal(back.length, items.length);
        assert.deepEqual(
          back.map((i) => essence(i, c.keep)),
          items.map((i) => essence(i, c.keep)),
        );
        assert.deepEqual(
          report.notes.filter((n) => n.kept === "lost"),
          [],
        );
      }),
      { numRuns: 60 },
    );
  });
}
