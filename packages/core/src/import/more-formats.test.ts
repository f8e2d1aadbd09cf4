// 1Password (1PUX, CSV), mSecure 6 CSV, Proton Pass (JSON, zip), Enpass JSON, Dashlane (CSV, zip):
// each fixture's tricky content arrives intact, and what has no slot is named in the report.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { fieldValue, type Item } from "../vault/item.ts";
import { importFile } from "./import-file.ts";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const byTitle = (items: Item[], title: string) => {
  const i = items.find((x) => x.title === title);
  assert.ok(i, `no item "${title}" in ${items.map((x) => x.title).join(", ")}`);
  return i;
};
const TOTP_URI = /algorithm=SHA256.*digits=8.*period=60/;
const urls = (i: Item) => i.fields.filter((f) => f.kind === "url").map((f) => f.value);

test("1Password 1PUX: vault as folder, sections, TOTP, history, archived, documents named as lost", async () => {
  const zip = zipSync({
    "export.attributes": strToU8("{}"),
    "export.data": fixture("1password-export.data.json"),
    "files/d1__passport.pdf": strToU8("%PDF"),
  });
  const { items, report } = await importFile(zip);
  assert.equal(report.format, "1password-1pux");
  const git = byTitle(items, "Git 🔑 サーバー");
  assert.equal(git.folder, "Work/Dev");
  assert.equal(fieldValue(git, "password"), "p@ss word ");
  assert.match(fieldValue(git, "totp")!, TOTP_URI);
  assert.deepEqual(urls(git), ["https://bücher.example", "https://xn--bcher-kva.example"]);
  assert.equal(git.fields.find((f) => f.name === "Recovery code")?.kind, "hidden");
  assert.equal(fieldValue(git, "Formula"), '=HYPERLINK("x")');
  assert.equal(git.history.length, 7);
  assert.equal(git.favorite, true);
  assert.equal(git.notes, "line one\nline two");
  assert.deepEqual(git.tags, ["a/b", "dev"]);
  const visa = byTitle(items, "Visa");
  assert.equal(visa.type, "credit-card");
  assert.equal(fieldValue(visa, "expiry"), "03/2029");
  assert.equal(fieldValue(visa, "credit limit"), "5000");
  assert.ok(visa.tags.includes("archived"));
  const wifi = byTitle(items, "Home WiFi");
  assert.equal(wifi.type, "wifi");
  assert.equal(fieldValue(wifi, "password"), "wifi pass ");
  const lost = report.notes.filter((n) => n.kept === "lost").map((n) => n.what);
  assert.ok(lost.some((w) => w.includes("passport.pdf")));
  assert.ok(lost.some((w) => w.includes("attached file")));
});

test("1Password CSV", async () => {
  const { items, report } = await importFile(fixture("1password.csv"));
  assert.equal(report.format, "1password-csv");
  const git = byTitle(items, "Git 🔑");
  assert.equal(fieldValue(git, "password"), "p@ss word ");
  assert.deepEqual(git.tags, ["dev", "work"]);
  assert.equal(git.favorite, true);
  assert.ok(byTitle(items, "Old").tags.includes("archived"));
});

test("mSecure 6 CSV: types and labels map to our templates exactly; unknown types stay notes, tagged", async () => {
  const { items, report } = await importFile(fixture("msecure.csv"));
  assert.equal(report.format, "msecure-csv");
  const git = byTitle(items, "Git 🔑");
  assert.equal(git.type, "login");
  assert.equal(git.folder, "Work");
  assert.equal(fieldValue(git, "username"), "alice");
  assert.equal(fieldValue(git, "password"), "p@ss word ");
  assert.equal(fieldValue(git, "url"), "https://bücher.example");
  assert.match(fieldValue(git, "totp")!, TOTP_URI);
  assert.equal(fieldValue(git, "Formula"), '=HYPERLINK("x")');
  assert.equal(git.notes, "line one\nline two");
  const visa = byTitle(items, "My Visa");
  assert.equal(visa.type, "credit-card");
  assert.equal(visa.folder, undefined, "Unassigned is no folder");
  assert.deepEqual(
    visa.fields.map((f) => [f.name, f.value]),
    [
      ["number", "4111111111111111"],
      ["cardholder", "Alice A"],
      ["expiry", "03/2029"],
      ["cvv", "123"],
      ["pin", "1234"],
      ["card-type", "Visa"],
    ],
  );
  assert.equal(fieldValue(byTitle(items, "Home"), "password"), "wifi pass |x", "a | inside the value is kept");
  const tip = byTitle(items, "Tip");
  assert.equal(tip.type, "secure-note");
  assert.deepEqual(tip.tags, ["Recipe"]);
  assert.ok(report.notes.some((n) => n.item === "Tip" && n.kept === "tag"));
});

test("Proton Pass: JSON and zip; pinned, trash, passkeys named as lost", async () => {
  const json = fixture("proton-pass.json");
  for (const file of [json, zipSync({ "Proton Pass/data.json": json })]) {
    const { items, report } = await importFile(file);
    assert.equal(report.format, "proton-pass");
    const git = byTitle(items, "Git 🔑");
    assert.equal(git.folder, "Personal");
    assert.equal(fieldValue(git, "password"), "p@ss word ");
    assert.equal(fieldValue(git, "Email"), "alice@example.com");
    assert.deepEqual(urls(git), ["https://bücher.example", "https://xn--bcher-kva.example"]);
    assert.equal(git.favorite, true);
    assert.equal(git.fields.find((f) => f.name === "2nd TOTP")?.kind, "totp");
    const card = byTitle(items, "Card");
    assert.equal(fieldValue(card, "expiry"), "03/2029");
    assert.ok(card.trashedAt !== null);
    assert.ok(report.notes.some((n) => n.what.includes("passkey") && n.kept === "lost"));
  }
  const enc = new TextEncoder().encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(json)), encrypted: true }));
  await assert.rejects(importFile(enc), { code: "unsupported_format" });
});

test("Enpass JSON: nested folders, field history, archived and trashed", async () => {
  const { items, report } = await importFile(fixture("enpass.json"));
  assert.equal(report.format, "enpass-json");
  const git = byTitle(items, "Git 🔑");
  assert.equal(git.folder, "Work/Dev");
  assert.equal(fieldValue(git, "password"), "p@ss word ");
  assert.equal(git.history.length, 7);
  assert.deepEqual(urls(git), ["https://bücher.example", "https://xn--bcher-kva.example"]);
  assert.match(fieldValue(git, "totp")!, TOTP_URI);
  const old = byTitle(items, "Old");
  assert.ok(old.trashedAt !== null);
  assert.ok(old.tags.includes("archived"));
  assert.ok(report.notes.some((n) => n.what.includes("attachment")));
});

test("Dashlane: credentials.csv alone, and the zip of CSVs", async () => {
  const csv = fixture("dashlane-credentials.csv");
  const single = await importFile(csv);
  assert.equal(single.report.format, "dashlane-csv");
  const git = byTitle(single.items, "Git 🔑");
  assert.equal(fieldValue(git, "password"), "p@ss word ");
  assert.equal(fieldValue(git, "Username 2"), "alice2");
  assert.equal(git.folder, "Work");
  const zip = zipSync({
    "credentials.csv": csv,
    "securenotes.csv": strToU8('title,note\r\nSafe,"combo 1-2-3"\r\n'),
    "payments.csv": strToU8(
      "type,account_name,account_holder,cc_number,code,expiration_month,expiration_year,routing_number,account_number,country,issuing_bank,note,name\r\npayment_card,Visa,Alice A,4111111111111111,123,3,2029,,,US,ACME,,\r\n",
    ),
  });
  const all = await importFile(zip);
  assert.equal(all.report.format, "dashlane-zip");
  assert.equal(fieldValue(byTitle(all.items, "Visa"), "expiry"), "03/2029");
  assert.equal(fieldValue(byTitle(all.items, "Visa"), "country"), "US");
  assert.equal(byTitle(all.items, "Safe").notes, "combo 1-2-3");
});

test("Proton Pass PGP-encrypted export: opens with the passphrase, refuses a wrong one", async () => {
  const openpgp = await import("openpgp");
  const zip = zipSync({ "Proton Pass/data.json": fixture("proton-pass.json") });
  const armored = await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: zip }),
    passwords: ["pgp pass ✓"],
    format: "armored",
  });
  const file = new TextEncoder().encode(armored as string);
  const { items, report } = await importFile(file, { password: "pgp pass ✓" });
  assert.equal(report.format, "proton-pass-pgp");
  assert.equal(fieldValue(byTitle(items, "Git 🔑"), "password"), "p@ss word ");
  await assert.rejects(importFile(file, { password: "not it" }), { code: "wrong_password" });
});
