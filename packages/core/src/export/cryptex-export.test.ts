// The export file: round trip, wrong password, tampering, unknown version, hostile KDF parameters.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createItem } from "../vault/item.ts";
import { readExport, writeExport } from "./cryptex-export.ts";

test("export file: round trip; wrong password, altered bytes, unknown version and weak KDF are refused", async () => {
  const items = [createItem({ type: "login", title: "Mail", fields: { username: "a", password: "s3cret-value" } })];
  const file = await writeExport(items, "export pass 42 banana");
  assert.equal(new TextDecoder().decode(file).includes("s3cret-value"), false, "no plaintext in the file");
  assert.deepEqual(await readExport(file, "export pass 42 banana"), items);
  await assert.rejects(readExport(file, "another password 42"), { code: "wrong_password" });
  const flipped = file.slice();
  flipped[flipped.length - 5]! ^= 1;
  await assert.rejects(readExport(flipped, "export pass 42 banana"), { code: "wrong_password" });
  const v2 = file.slice();
  v2[4] = 2;
  await assert.rejects(readExport(v2, "x"), { code: "unsupported_format" });
  const weak = file.slice();
  new DataView(weak.buffer).setUint32(22, 1024); // m = 1 MiB, below the floor
  await assert.rejects(readExport(weak, "x"), { code: "kdf_params_rejected" });
  await assert.rejects(readExport(new Uint8Array([1, 2, 3]), "x"), { code: "unsupported_format" });
});
