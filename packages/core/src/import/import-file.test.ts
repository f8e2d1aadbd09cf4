// Every format's fixture imports with the tricky content intact and every loss named in the report;
// malformed files fail with the record named; password-protected Bitwarden files open (PBKDF2, Argon2id).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fieldValue, type Item } from "../vault/item.ts";
import { importFile, inspectImport } from "./import-file.ts";
import { reportText } from "./import-report.ts";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const byTitle = (items: Item[], title: string) => {
  const i = items.find((x) => x.title === title);
  assert.ok(i, `no item "${title}" in ${items.map((x) => x.title).join(", ")}`);
  return i;
};
const TOTP_URI = /algorithm=SHA256.*digits=8.*period=60|period=60.*digits=8.*algorithm=SHA256/;

test("Bitwarden JSON: typed items, folders, every URI, TOTP parameters, full history, trash, losses named", async () => {
  const { items, report } = await importFile(fixture("bitwarden.json"));
  assert.equal(report.format, "bitwarden-json");
  assert.equal(report.found, 6);
  const git = byTitle(items, "Git 🔑 サーバー");
  assert.equal(fieldValue(git, "password"), "p@ss word ", "trailing space kept");
  assert.equal(git.folder, "Work/Dev");
  assert.equal(git.favorite, true);
  assert.equal(git.notes, "line one\nline two\n", "CRLF normalised in notes only");
  assert.match(fieldValue(git, "totp")!, TOTP_URI);
  assert.deepEqual(
    git.fields.filter((f) => f.kind === "url").map((f) => f.value),
    ["https://bücher.example/login", "https://xn--bcher-kva.example", "https://git.example.com"],
  );
  assert.equal(fieldValue(git, "Formula"), '=HYPERLINK("http://evil.example","x")');
  assert.equal(git.fields.find((f) => f.name === "Recovery code")?.kind, "hidden");
  assert.equal(git.history.length, 7, "history beyond five kept");
  assert.equal(git.history[0]!.value, "old-pass-6", "newest first");
  assert.equal(git.createdAt, Date.parse("2023-01-01T00:00:00.000Z"));
  assert.equal(byTitle(items, "שלום note").notes, "مرحبا\tTAB");
  const card = byTitle(items, "Visa");
  assert.equal(card.type, "credit-card");
  assert.equal(fieldValue(card, "expiry"), "03/2029");
  assert.equal(fieldValue(card, "cvv"), "123");
  const me = byTitle(items, "Me");
  assert.equal(me.type, "identity");
  assert.equal(fieldValue(me, "address"), "1 Main St\n62701 Springfield\nIL\nUS");
  assert.equal(fieldValue(me, "Passport number"), "P123");
  assert.ok(byTitle(items, "Old forum").trashedAt !== null, "deleted in the source: into the trash");
  assert.equal(report.trashed, 1);
  assert.ok(byTitle(items, "Server key").fields.some((f) => f.name === "Private key" && f.kind === "hidden"));
  const lost = report.notes.filter((n) => n.kept === "lost").map((n) => n.what);
  assert.ok(lost.some((w) => /attachment/.test(w)));
  assert.ok(lost.some((w) => /passkey/.test(w)));
  assert.ok(report.notes.some((n) => n.item === "Me" && n.what.includes("Middle name") && n.kept === "custom-field"));
  assert.deepEqual(report.folders, ["Personal", "Work/Dev"]);
  assert.match(reportText(report), /NOT imported \(2\)/);
});

test("Bitwarden CSV: quoted newlines, several URIs, custom fields, formula kept literally", async () => {
  const { items, report } = await importFile(fixture("bitwarden.csv"));
  assert.equal(report.format, "bitwarden-csv");
  const git = byTitle(items, "Git 🔑");
  assert.equal(fieldValue(git, "password"), "p@ss word ");
  assert.equal(fieldValue(git, "Formula"), '=HYPERLINK("x")');
  assert.equal(git.fields.filter((f) => f.kind === "url").length, 2);
  assert.match(fieldValue(git, "totp")!, TOTP_URI);
  assert.equal(git.notes, "line one\nline two");
  assert.equal(byTitle(items, "Wi-Fi note").notes, "مرحبا 世界");
});

test("LastPass CSV: typed secure notes, backslash folders, unknown note types kept with their fields", async () => {
  const { items, report } = await importFile(fixture("lastpass.csv"));
  assert.equal(report.format, "lastpass-csv");
  const books = byTitle(items, "Books");
  assert.equal(books.folder, "Shopping/Online");
  assert.equal(fieldValue(books, "password"), "p@ss word ");
  assert.equal(books.favorite, true);
  const visa = byTitle(items, "My Visa");
  assert.equal(visa.type, "credit-card");
  assert.equal(fieldValue(visa, "number"), "4111111111111111");
  assert.equal(fieldValue(visa, "expiry"), "March,2029");
  assert.equal(visa.notes, "multi\nline notes");
  const wifi = byTitle(items, "Home WiFi");
  assert.equal(wifi.type, "wifi");
  assert.equal(fieldValue(wifi, "password"), "wifi pass ");
  assert.equal(fieldValue(wifi, "Connection Type"), "WPA2");
  const health = byTitle(items, "Health");
  assert.equal(health.type, "secure-note");
  assert.equal(fieldValue(health, "Member ID"), "H-1");
  assert.equal(byTitle(items, "Plain note").notes, 'just a =HYPERLINK("x") note');
});

test("browser and KeePassXC CSVs", async () => {
  const chrome = await importFile(fixture("chrome.csv"));
  assert.equal(chrome.report.format, "chrome-csv");
  assert.equal(fieldValue(byTitle(chrome.items, "example.com"), "password"), 'secret,with "quotes"');
  assert.equal(byTitle(chrome.items, "bücher.example").notes, '=HYPERLINK("http://x")');
  const ff = await importFile(fixture("firefox.csv"));
  assert.equal(ff.report.format, "firefox-csv");
  const org = byTitle(ff.items, "example.org");
  assert.equal(fieldValue(org, "password"), "pw 😀 ");
  assert.equal(org.createdAt, 1700000000000);
  const safari = await importFile(fixture("safari.csv"));
  assert.equal(safari.report.format, "safari-csv");
  assert.match(fieldValue(byTitle(safari.items, "Example (dave)"), "totp")!, TOTP_URI);
  const kx = await importFile(fixture("keepassxc.csv"));
  assert.equal(kx.report.format, "keepassxc-csv");
  const srv = byTitle(kx.items, "Server");
  assert.equal(srv.folder, "Work/Dev");
  assert.equal(srv.notes, "note with\ttab");
  assert.match(fieldValue(srv, "totp")!, TOTP_URI);
  assert.equal(byTitle(kx.items, "Top").folder, undefined);
});

test("duplicates are reported, and skipped on request; a malformed file names the record and yields nothing", async () => {
  const first = await importFile(fixture("chrome.csv"));
  const { toIndexEntry } = await import("../formats/vault-index.ts");
  const existing = first.items.map(toIndexEntry);
  const again = await importFile(fixture("chrome.csv"), { existing });
  assert.equal(again.report.duplicates.length, 2);
  assert.equal(again.items.length, 2);
  const skipped = await importFile(fixture("chrome.csv"), { existing, skipDuplicates: true });
  assert.equal(skipped.items.length, 0);
  const broken = new TextEncoder().encode('name,url,username,password,note\r\na,b,c,"unterminated\r\n');
  await assert.rejects(importFile(broken), (e: Error & { code?: string }) => e.code === "invalid_input" && /row 2/.test(e.message));
  const badType = new TextEncoder().encode(
    JSON.stringify({
      encrypted: false,
      folders: [],
      items: [
        { type: 1, name: "ok", login: {} },
        { type: 9, name: "bad" },
      ],
    }),
  );
  await assert.rejects(importFile(badType), /item 2/);
  await assert.rejects(importFile(new TextEncoder().encode("just some text")), { code: "unsupported_format" });
  assert.throws(() => inspectImport(new Uint8Array([1]), "no-such-format"), { code: "invalid_input" });
});

test("the web app's earlier plaintext download (cryptex-export v1) imports as Cryptex JSON, folders and history intact", async () => {
  const { createItem } = await import("../vault/item.ts");
  const item = {
    ...createItem({ type: "wifi", title: "Home", fields: { ssid: "net", password: "pw " }, folder: "House" }),
    history: [{ field: "password", value: "old", changedAt: 5 }],
  };
  const legacy = { format: "cryptex-export", version: 1, exportedAt: "2026-01-02T03:04:05.000Z", items: [item] };
  const { items, report } = await importFile(new TextEncoder().encode(JSON.stringify(legacy, null, 2)));
  assert.equal(report.format, "cryptex-json");
  assert.notEqual(items[0]!.id, item.id, "a fresh id");
  assert.deepEqual({ ...items[0]!, id: item.id }, item);
  const v2 = new TextEncoder().encode(JSON.stringify({ ...legacy, version: 2 }));
  await assert.rejects(importFile(v2), { code: "unsupported_format" });
});

test("a Cryptex export: an item this vault already holds (by id) is not imported again; one over the size limit is named", async () => {
  const { createItem, LIMITS } = await import("../vault/item.ts");
  const { toIndexEntry } = await import("../formats/vault-index.ts");
  const { writeCryptexJson } = await import("../export/cryptex-json.ts");
  const held = createItem({ type: "login", title: "Held", fields: { password: "a" } });
  const fresh = createItem({ type: "login", title: "Fresh", fields: { password: "b" } });
  const huge = createItem({
    type: "secure-note",
    title: "Huge",
    notes: "€".repeat(LIMITS.notes),
    fields: { a: "€".repeat(LIMITS.fieldValue), b: "€".repeat(LIMITS.fieldValue) },
  });
  const bytes = new TextEncoder().encode(writeCryptexJson([held, fresh, huge]));
  const { items, report } = await importFile(bytes, { existing: [toIndexEntry(held)] });
  assert.deepEqual(
    items.map((i) => i.title),
    ["Fresh"],
  );
  assert.deepEqual(report.duplicates, [{ item: "Held", of: "vault", skipped: true }]);
  assert.equal(report.skipped.length, 1);
  assert.match(`${report.skipped[0]!.item}: ${report.skipped[0]!.reason}`, /^Huge: too large to save and sync/);
  assert.match(reportText(report), /Huge: too large to save and sync/);
});
