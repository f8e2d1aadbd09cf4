import assert from "node:assert/strict";
import { test } from "node:test";
import { decode as decodePng, encode as encodePng } from "fast-png";
import { encode as encodeJpeg } from "jpeg-js";
import { generateAccountKey } from "../keys/account-key.ts";
import { newAccountId } from "../keys/ids.ts";
import { createEak, eakToText } from "./eak.ts";
import { qrToPng, qrToSvg, qrToTerminal } from "./qr.ts";
import { decodeQrImage } from "./qr-decode.ts";

test("QR: EAK text -> PNG -> decode is identical, for 50 random keys", async () => {
  // One Argon2id run; the other 49 texts vary the whole ciphertext like real EAKs do.
  const { eak } = await createEak("tangerine-Quartz-velvet-42-moor", generateAccountKey(), newAccountId());
  const texts = [eakToText(eak)];
  for (let i = 1; i < 50; i++) {
    const b = eak.bytes.slice();
    crypto.getRandomValues(b.subarray(5));
    texts.push(eakToText({ header: eak.header, bytes: b }));
  }
  for (const t of texts) assert.equal(decodeQrImage(qrToPng(t)), t);
});

test("QR: decodes from JPEG; SVG and terminal renderings are square", () => {
  const text = `CRYPTEX:${"A".repeat(200)}`;
  const png = decodePng(qrToPng(text, 6));
  const rgba = new Uint8Array(png.width * png.height * 4);
  for (let i = 0; i < png.width * png.height; i++) {
    rgba.fill(png.data[i]!, i * 4, i * 4 + 3);
    rgba[i * 4 + 3] = 255;
  }
  const jpg = encodeJpeg({ width: png.width, height: png.height, data: rgba }, 85).data;
  assert.equal(decodeQrImage(new Uint8Array(jpg)), text);
  assert.match(qrToSvg(text), /^<svg [^>]*viewBox="0 0 (\d+) \1"/);
  const term = qrToTerminal(text).split("\n");
  assert.ok(term.length > 20 && term.every((l) => l.length === term[0]!.length));
});

test("QR: hostile images give qr_unreadable", () => {
  assert.throws(() => decodeQrImage(new Uint8Array([1, 2, 3])), { code: "qr_unreadable" });
  const blank = encodePng({ width: 64, height: 64, data: new Uint8Array(64 * 64).fill(255), channels: 1, depth: 8 });
  assert.throws(() => decodeQrImage(blank), { code: "qr_unreadable" });
  const huge = blank.slice();
  new DataView(huge.buffer).setUint32(16, 100000);
  assert.throws(() => decodeQrImage(huge), { code: "qr_unreadable" });
  const truncated = blank.slice(0, 40);
  assert.throws(() => decodeQrImage(truncated), { code: "qr_unreadable" });
  const jpg = encodeJpeg({ width: 8, height: 8, data: new Uint8Array(256).fill(255) }, 90).data;
  assert.throws(() => decodeQrImage(new Uint8Array(jpg)), { code: "qr_unreadable" });
});
