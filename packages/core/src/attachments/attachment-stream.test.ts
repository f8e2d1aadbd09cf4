import assert from "node:assert/strict";
import { createCipheriv } from "node:crypto";
import { test } from "node:test";
import { importAesKey } from "../crypto/aead.ts";
import { concat } from "../encoding/bytes.ts";
import { writeCryptexJson } from "../export/cryptex-json.ts";
import { type AccountId, newAccountId, newUuid } from "../keys/ids.ts";
import { parse } from "../schema/shape.ts";
import { addAttachment, createItem, itemShape, LIMITS, removeAttachment } from "../vault/item.ts";
import { attachmentBinding, cleanAttachmentName, newAttachment } from "./attachment.ts";
import {
  type AttachmentBinding,
  blobSize,
  CHUNK_BYTES,
  chunkCount,
  decryptAttachment,
  encryptAttachment,
  FRAME_BYTES,
  sealChunk,
} from "./attachment-stream.ts";

async function* once(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}
async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(p);
  return concat(...parts);
}
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

async function binding(accountId = newAccountId()): Promise<AttachmentBinding> {
  return attachmentBinding(accountId, newAttachment("f.bin", 0, "application/octet-stream"));
}
async function frames(b: AttachmentBinding, plain: Uint8Array): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const f of encryptAttachment(b, once(plain))) out.push(f);
  return out;
}
const rejects = (p: Promise<unknown>) => assert.rejects(p, (e: Error & { code?: string }) => e.code === "tampered");

test("round trip for sizes around chunk boundaries, fed in odd pieces", async () => {
  const b = await binding();
  for (const size of [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES, 3 * CHUNK_BYTES + 17]) {
    const plain = bytes(size);
    const pieces = [plain.subarray(0, 7), plain.subarray(7, 70000), plain.subarray(70000)];
    const blob = await collect(encryptAttachment(b, once(...pieces)));
    assert.equal(blob.length, blobSize(size), `blob size for ${size}`);
    assert.equal((await frames(b, plain)).length, chunkCount(size));
    // the blob arrives cut anywhere: 1000-byte pieces
    const cut = Array.from({ length: Math.ceil(blob.length / 1000) }, (_, i) => blob.subarray(i * 1000, (i + 1) * 1000));
    assert.deepEqual(await collect(decryptAttachment(b, once(...cut), size)), plain);
  }
});

test("a download resumed at a chunk boundary decrypts the rest", async () => {
  const b = await binding();
  const plain = bytes(5 * CHUNK_BYTES + 100);
  const blob = await collect(encryptAttachment(b, once(plain)));
  const rest = await collect(decryptAttachment(b, once(blob.subarray(2 * FRAME_BYTES)), plain.length, 2));
  assert.deepEqual(rest, plain.subarray(2 * CHUNK_BYTES));
  // and an upload resumed at chunk 2 produces frames that open as chunks 2.. of the same blob
  const tail = await collect(encryptAttachment(b, once(plain.subarray(2 * CHUNK_BYTES)), 2));
  const head = blob.subarray(0, 2 * FRAME_BYTES);
  assert.deepEqual(await collect(decryptAttachment(b, once(head, tail), plain.length)), plain);
});

test("truncation at a chunk boundary, mid-chunk, or to nothing is detected", async () => {
  const b = await binding();
  const plain = bytes(3 * CHUNK_BYTES + 5);
  const blob = await collect(encryptAttachment(b, once(plain)));
  await rejects(collect(decryptAttachment(b, once(blob.subarray(0, 2 * FRAME_BYTES)), plain.length)));
  await rejects(collect(decryptAttachment(b, once(blob.subarray(0, blob.length - 1)), plain.length)));
  await rejects(collect(decryptAttachment(b, once(), plain.length)));
  // a shorter file whose final chunk a lying server makes up cannot be forged: dropping the real final chunk and
  // claiming a smaller size still fails, since chunk 2 was sealed as not final
  await rejects(collect(decryptAttachment(b, once(blob.subarray(0, 3 * FRAME_BYTES)), 3 * CHUNK_BYTES)));
});

test("reordered, duplicated or extra chunks are detected", async () => {
  const b = await binding();
  const plain = bytes(3 * CHUNK_BYTES + 5);
  const f = await frames(b, plain);
  await rejects(collect(decryptAttachment(b, once(f[1]!, f[0]!, f[2]!, f[3]!), plain.length)));
  await rejects(collect(decryptAttachment(b, once(f[0]!, f[0]!, f[2]!, f[3]!), plain.length)));
  await rejects(collect(decryptAttachment(b, once(...f, f[3]!), plain.length)));
});

test("a blob of another attachment, or of the same attachment id in another account, does not open", async () => {
  const account = newAccountId();
  const a = newAttachment("a.txt", 10, "text/plain");
  const other = newAttachment("b.txt", 10, "text/plain");
  const ba = await attachmentBinding(account, a);
  const bOther = await attachmentBinding(account, other);
  const blobOther = await collect(encryptAttachment(bOther, once(bytes(10))));
  await rejects(collect(decryptAttachment(ba, once(blobOther), 10)));
  // same key and id, another account: only the AAD differs
  const elsewhere: AttachmentBinding = { ...ba, accountId: newAccountId() };
  const blobElsewhere = await collect(encryptAttachment(elsewhere, once(bytes(10))));
  await rejects(collect(decryptAttachment(ba, once(blobElsewhere), 10)));
  // same key and account, another attachment id (a record copied onto another item with a swapped blob)
  const moved: AttachmentBinding = { ...ba, attachmentId: newUuid() };
  const movedBlob = await collect(encryptAttachment(moved, once(bytes(10))));
  await rejects(collect(decryptAttachment(ba, once(movedBlob), 10)));
});

test("every flipped bit of a two-chunk blob is rejected", async () => {
  const b = await binding();
  const plain = bytes(CHUNK_BYTES + 3);
  const blob = await collect(encryptAttachment(b, once(plain)));
  // every bit of the short final frame and of the first frame's nonce, tag and a sample of its body
  const positions = [
    ...Array.from({ length: 12 + 32 }, (_, i) => i),
    ...Array.from({ length: blob.length - FRAME_BYTES }, (_, i) => FRAME_BYTES + i),
    FRAME_BYTES - 1,
  ];
  for (const pos of positions)
    for (let bit = 0; bit < 8; bit += 3) {
      const bad = blob.slice();
      bad[pos]! ^= 1 << bit;
      await rejects(collect(decryptAttachment(b, once(bad), plain.length)));
    }
});

test("known answer: chunk sealing matches AES-256-GCM computed independently with node:crypto", async () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  const nonce = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
  const accountId = "00112233-4455-4677-8899-aabbccddeeff" as AccountId;
  const attachmentId = "01234567-89ab-4def-8123-456789abcdef";
  const b: AttachmentBinding = { accountId, attachmentId, key: await importAesKey(key) };
  const plain = new TextEncoder().encode("cryptex attachment chunk");
  const frame = await sealChunk(b, 7, true, plain, nonce);
  // AAD layout: "cryptex/v1/attachment" ‖ 0x00 ‖ account id (16) ‖ attachment id (16) ‖ index (u32 BE) ‖ final flag
  const aadBytes = Buffer.concat([
    Buffer.from("cryptex/v1/attachment\0"),
    Buffer.from(accountId.replaceAll("-", ""), "hex"),
    Buffer.from(attachmentId.replaceAll("-", ""), "hex"),
    Buffer.from([0, 0, 0, 7, 1]),
  ]);
  const c = createCipheriv("aes-256-gcm", key, nonce);
  c.setAAD(aadBytes);
  const ref = Buffer.concat([nonce, c.update(plain), c.final(), c.getAuthTag()]);
  assert.equal(Buffer.from(frame).toString("hex"), ref.toString("hex"));
  // pinned, so a change of the layout cannot pass unnoticed
  assert.equal(Buffer.from(frame).toString("hex"), PINNED);
  const notFinal = await sealChunk(b, 7, false, plain, nonce);
  assert.notDeepEqual(notFinal, frame);
});
const PINNED = "a0a1a2a3a4a5a6a7a8a9aaab856a055d31ae7a9f0311f3b26412adbb1ed87973fac22c07cdf444fb8dddb9791660974a618d3edf";

test("records: bounded names and types, fresh keys, item schema bounds", async () => {
  assert.equal(cleanAttachmentName("../../etc/passwd"), "passwd");
  assert.equal(cleanAttachmentName("a\u0000b\nc.txt"), "abc.txt");
  assert.equal(cleanAttachmentName(".."), "attachment");
  const a = newAttachment("scan.PDF", 10, "Application/PDF; q=1");
  assert.equal(a.type, "application/pdf");
  assert.equal(newAttachment("x", 1, "not a type").type, "");
  assert.notEqual(newAttachment("x", 1, "").key, a.key);
  assert.throws(
    () => newAttachment("big", LIMITS.attachmentBytes + 1, ""),
    (e: Error & { code?: string }) => e.code === "too_large",
  );
  let item = createItem({ type: "login", title: "n" });
  item = addAttachment(item, a);
  assert.deepEqual(parse(itemShape, JSON.parse(JSON.stringify(item))), item);
  assert.throws(() => addAttachment(item, { ...newAttachment("scan.PDF", 1, ""), name: a.name }));
  assert.throws(() => parse(itemShape, { ...item, attachments: [{ ...a, key: "short" }] }));
  assert.throws(() => parse(itemShape, { ...item, attachments: [{ ...a, size: LIMITS.attachmentBytes + 1 }] }));
  assert.throws(() => parse(itemShape, { ...item, attachments: Array.from({ length: LIMITS.attachments + 1 }, () => a) }));
  const exported = writeCryptexJson([item]);
  assert.equal(exported.includes(a.key), false, "a plaintext export holds no attachment key");
  assert.equal(exported.includes("attachments"), false);
  const removed = removeAttachment(item, a.id);
  assert.equal(removed.attachments, undefined);
  assert.equal(removed.rev, item.rev + 1);
});
