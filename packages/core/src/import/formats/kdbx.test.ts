// KeePass: a real KDBX 3.1 file written by keepassxc-cli from our KeePass XML fixture, the same database
// re-saved as KDBX 4 (Argon2d + AES, Argon2id + ChaCha20), and the XML itself. A note with a TAB keeps it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as kdbxNs from "kdbxweb";
import { fieldValue, type Item } from "../../vault/item.ts";
import { importFile, inspectImport } from "../import-file.ts";

const kdbxweb = ((kdbxNs as unknown as { default?: typeof kdbxNs }).default ?? kdbxNs) as typeof kdbxNs;
const PW = "kdbx pass ✓";
const xmlPath = new URL("../fixtures/keepass.xml", import.meta.url).pathname;
let dir: string;
let kdbx31: Uint8Array;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "cryptex-kdbx-"));
  const out = join(dir, "fixture.kdbx");
  // keepassxc-cli asks the new password twice on stdin; -t 100: the lowest decryption time it accepts
  execFileSync("keepassxc-cli", ["import", "-q", "-p", "-t", "100", xmlPath, out], { input: `${PW}\n${PW}\n` });
  kdbx31 = new Uint8Array(readFileSync(out));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function resave(kdf: string, cipher: string): Promise<Uint8Array> {
  await importFile(kdbx31, { password: PW }); // sets up kdbxweb's Argon2 (hash-wasm)
  const db = await kdbxweb.Kdbx.load(kdbx31.slice().buffer as ArrayBuffer, new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(PW)));
  db.setVersion(4);
  db.setKdf(kdf);
  db.header.dataCipherUuid = new kdbxweb.KdbxUuid(cipher);
  return new Uint8Array(await db.save());
}

function check(items: Item[]) {
  const by = (t: string) => items.find((i) => i.title === t)!;
  const git = by("Git 🔑 サーバー");
  assert.equal(git.folder, "Work/Dev");
  assert.equal(fieldValue(git, "password"), "p@ss word ");
  assert.equal(git.notes, "tab\there\nline two", "the TAB in the note survives");
  assert.match(fieldValue(git, "totp")!, /algorithm=SHA256/);
  assert.deepEqual(
    git.fields.filter((f) => f.kind === "url").map((f) => f.value),
    ["https://bücher.example/login", "https://xn--bcher-kva.example"],
  );
  assert.equal(fieldValue(git, "Recovery"), "RC-1");
  assert.deepEqual(git.tags, ["dev", "work"]);
  assert.equal(git.history.length, 7, "every old password");
  assert.equal(git.createdAt, Date.parse("2023-01-01T00:00:00Z"));
  const kp = by("KeePass TOTP");
  assert.equal(kp.folder, "Work");
  assert.match(fieldValue(kp, "totp")!, /^otpauth:\/\/totp\/.*algorithm=SHA256&digits=8&period=60/);
  assert.equal(fieldValue(kp, "Formula"), '=HYPERLINK("x")');
  assert.equal(fieldValue(by("שלום"), "password"), "סוד ");
  const old = by("Old thing");
  assert.ok(old.trashedAt !== null, "the recycle bin is the trash");
  assert.equal(old.folder, undefined);
}

test("KDBX 3.1 (AES-KDF) made by keepassxc-cli: everything kept; a wrong password exits as wrong_password", async () => {
  assert.equal(inspectImport(kdbx31).format.name, "kdbx");
  assert.equal(inspectImport(kdbx31).needsPassword, true);
  const { items, report } = await importFile(kdbx31, { password: PW });
  assert.equal(report.found, 4);
  check(items);
  await assert.rejects(importFile(kdbx31, { password: "wrong" }), { code: "wrong_password" });
  const cut = kdbx31.slice(0, kdbx31.length - 100);
  // KDBX 3.1 has no header MAC: a cut file may read as a wrong key; either way a typed error, nothing imported
  await assert.rejects(importFile(cut, { password: PW }), (e: Error & { code?: string }) =>
    ["invalid_input", "tampered", "wrong_password"].includes(e.code ?? ""),
  );
});

test("KDBX 4: Argon2d + AES and Argon2id + ChaCha20", async () => {
  for (const [kdf, cipher] of [
    [kdbxweb.Consts.KdfId.Argon2d, kdbxweb.Consts.CipherId.Aes],
    [kdbxweb.Consts.KdfId.Argon2id, kdbxweb.Consts.CipherId.ChaCha20],
  ] as const) {
    const file = await resave(kdf, cipher);
    assert.equal(file[10], 4, "major version 4");
    check((await importFile(file, { password: PW })).items);
  }
});

test("a database asking for absurd key-derivation work is refused before the work starts", async () => {
  const db = await kdbxweb.Kdbx.load(kdbx31.slice().buffer as ArrayBuffer, new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(PW)));
  db.setVersion(4);
  db.setKdf(kdbxweb.Consts.KdfId.Argon2id);
  // 4 GiB of memory: whoever opens it would hang or crash
  db.header.kdfParameters!.set("M", kdbxweb.VarDictionary.ValueType.UInt64, kdbxweb.Int64.from(4 * 1024 * 1024 * 1024));
  kdbxweb.CryptoEngine.setArgon2Impl(async () => new ArrayBuffer(32)); // saving needs no real Argon2; the import sets its own
  const file = new Uint8Array(await db.save());
  await assert.rejects(importFile(file, { password: PW }), { code: "kdf_params_rejected" });
});

test("a KDBX 3.1 asking for 10^12 AES-KDF rounds is refused before the work starts", async () => {
  const file = kdbx31.slice();
  const dv = new DataView(file.buffer);
  // KDBX 3.1 header: 12 bytes of signature and version, then fields (id u8, length u16 LE, data); 6 = transform rounds
  for (let at = 12; at < file.length && file[at] !== 0; at += 3 + dv.getUint16(at + 1, true)) {
    if (file[at] === 6) dv.setBigUint64(at + 3, 10n ** 12n, true);
  }
  await assert.rejects(importFile(file, { password: PW }), { code: "kdf_params_rejected" });
});

test("KeePass 2 XML export", async () => {
  const xml = new Uint8Array(readFileSync(xmlPath));
  const { items, report } = await importFile(xml);
  assert.equal(report.format, "keepass-xml");
  check(items);
});
