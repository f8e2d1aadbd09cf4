import assert from "node:assert/strict";
import { test } from "node:test";
import { newUuid } from "../keys/ids.ts";
import { blobSize, FRAME_BYTES } from "./attachment-stream.ts";
import {
  attachmentBlobPath,
  BLOB_HEADER_BYTES,
  blobFileHeader,
  blobFileSize,
  checkBlobFile,
  isUnwrittenFrame,
  parseAttachmentBlobPath,
  sealedFrames,
} from "./blob-file.ts";

const dev = newUuid();
const a = { id: newUuid(), size: 200_000 };

test("blob paths carry only the writer's and the attachment's random ids, and sync-client copies are recognised", () => {
  const p = attachmentBlobPath(dev, a.id);
  assert.equal(p, `att/${dev}/${a.id}.cxa`);
  assert.deepEqual(parseAttachmentBlobPath(p), { deviceId: dev, attachmentId: a.id, path: p });
  assert.equal(parseAttachmentBlobPath(`att/${dev}/${a.id}.cxa.sync-conflict-20261201-030405-ABCDEFG`)?.attachmentId, a.id);
  assert.equal(parseAttachmentBlobPath(`att/${dev}/${a.id} (conflicted copy 2026-12-01).cxa`)?.attachmentId, a.id);
  for (const bad of [
    `att/${dev}/${a.id}.cxa.tmp`,
    `att/${a.id}.cxa`,
    `att/${dev}/../${a.id}.cxa`,
    `log/${dev}/${a.id}.cxa`,
    `att/${dev}/.${a.id}.cxa`,
  ])
    assert.equal(parseAttachmentBlobPath(bad), undefined, bad);
});

test("a blob file is judged by size and header: short or unwritten is 'not here yet', another attachment's or longer is refused", () => {
  const size = blobFileSize(a);
  assert.equal(size, BLOB_HEADER_BYTES + blobSize(a.size));
  const head = blobFileHeader(a.id);
  assert.deepEqual(checkBlobFile(a, size, head), { kind: "ok" });
  assert.deepEqual(checkBlobFile(a, size - 1, head), { kind: "incomplete" });
  assert.deepEqual(checkBlobFile(a, 0, new Uint8Array(0)), { kind: "incomplete" });
  assert.deepEqual(checkBlobFile(a, size, new Uint8Array(BLOB_HEADER_BYTES)), { kind: "incomplete" }, "a header still zeros");
  assert.deepEqual(checkBlobFile(a, size + 1, head), { kind: "mismatch", reason: "too_long" });
  assert.deepEqual(checkBlobFile(a, size, blobFileHeader(newUuid())), { kind: "mismatch", reason: "other_attachment" });
  const junk = head.slice();
  junk[0] = 0x41;
  assert.deepEqual(checkBlobFile(a, size, junk), { kind: "mismatch", reason: "not_a_blob" });
});

test("frames are re-cut whole whatever the read sizes, and a hole of zeros reads as unwritten", async () => {
  const bytes = new Uint8Array(FRAME_BYTES * 2 + 100).map((_, i) => (i % 251) + 1);
  async function* pieces() {
    for (let at = 0; at < bytes.length; at += 7919) yield bytes.subarray(at, at + 7919);
  }
  const frames: Uint8Array[] = [];
  for await (const f of sealedFrames(pieces())) frames.push(f.slice());
  assert.deepEqual(
    frames.map((f) => f.length),
    [FRAME_BYTES, FRAME_BYTES, 100],
  );
  assert.deepEqual(frames[1], bytes.subarray(FRAME_BYTES, 2 * FRAME_BYTES));
  assert.equal(isUnwrittenFrame(frames[0]!), false);
  assert.equal(isUnwrittenFrame(new Uint8Array(FRAME_BYTES)), true);
  assert.equal(isUnwrittenFrame(new Uint8Array(0)), false);
});
