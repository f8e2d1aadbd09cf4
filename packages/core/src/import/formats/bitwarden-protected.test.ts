// Password-protected Bitwarden exports, sealed here the way Bitwarden seals them (AES-256-CBC + HMAC
// under PBKDF2-SHA256 or Argon2id keys), open with the right password and refuse a wrong one.
import assert from "node:assert/strict";
import { createCipheriv, createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fieldValue } from "../../vault/item.ts";
import { importFile, inspectImport } from "../import-file.ts";
import { type BitwardenKdf, bitwardenKeys } from "./bitwarden-protected.ts";

function encString(plain: Uint8Array, keys: { enc: Uint8Array; mac: Uint8Array }): string {
  const iv = randomBytes(16);
  const c = createCipheriv("aes-256-cbc", keys.enc, iv);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  const mac = createHmac("sha256", keys.mac)
    .update(Buffer.concat([iv, ct]))
    .digest();
  return `2.${iv.toString("base64")}|${ct.toString("base64")}|${mac.toString("base64")}`;
}

async function seal(plainJson: Uint8Array, password: string, kdf: BitwardenKdf): Promise<Uint8Array> {
  const salt = randomBytes(16).toString("base64");
  const keys = await bitwardenKeys(password, salt, kdf);
  const file = {
    encrypted: true,
    passwordProtected: true,
    salt,
    ...kdf,
    encKeyValidation_DO_NOT_EDIT: encString(new TextEncoder().encode(crypto.randomUUID()), keys),
    data: encString(plainJson, keys),
  };
  return new TextEncoder().encode(JSON.stringify(file));
}

const plain = new Uint8Array(readFileSync(new URL("../fixtures/bitwarden.json", import.meta.url)));

for (const kdf of [
  { kdfType: 0, kdfIterations: 600000 },
  { kdfType: 1, kdfIterations: 3, kdfMemory: 64, kdfParallelism: 4 },
] as BitwardenKdf[]) {
  test(`Bitwarden password-protected JSON (${kdf.kdfType === 0 ? "PBKDF2-SHA256" : "Argon2id"}): opens, and a wrong password says so`, async () => {
    const file = await seal(plain, "file pass ✓", kdf);
    assert.deepEqual(
      { name: inspectImport(file).format.name, needs: inspectImport(file).needsPassword },
      { name: "bitwarden-json", needs: true },
    );
    const { items, report } = await importFile(file, { password: "file pass ✓" });
    assert.equal(report.found, 6);
    assert.equal(fieldValue(items.find((i) => i.title === "Git 🔑 サーバー")!, "password"), "p@ss word ");
    await assert.rejects(importFile(file, { password: "not the password" }), { code: "wrong_password" });
    await assert.rejects(importFile(file), { code: "wrong_password" });
  });
}

test("Bitwarden password-protected JSON: out-of-range KDF settings are refused before any work", async () => {
  const file = JSON.parse(new TextDecoder().decode(await seal(plain, "pw", { kdfType: 0, kdfIterations: 5000 })));
  file.kdfIterations = 1e12;
  await assert.rejects(importFile(new TextEncoder().encode(JSON.stringify(file)), { password: "pw" }), { code: "kdf_params_rejected" });
});
