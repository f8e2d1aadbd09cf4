// The log's file format: immutable encrypted files, written once by one device. The header is public and
// bound into the AAD (with the account and device), so a file renamed, copied into another device's
// folder or another account, or cut short fails to open; the body hides item ids and the edit graph
// from the storage provider. Inner item envelopes are byte-for-byte the ones the server target stores.
//
//   "CXSG" (4) ‖ version = 1 (1) ‖ kind (1) ‖ account id (16) ‖ device id (16) ‖ seq (8) ‖ salt (4)
//   ‖ nonce (12) ‖ AES-256-GCM(log key, body, AAD = aad("log", account, device, header)) ‖ tag (16)
// Bodies (integers big-endian):
//   segment  = versions
//   snapshot = n (4) ‖ n × [device id (16) ‖ seq (8)]  ‖ versions ‖ m (4) ‖ m × [item id (16) ‖ k (4) ‖ k × tag (16)]
//   manifest = published seq (8) ‖ snapshot seq (8) [‖ n (4) ‖ n × [device id (16) ‖ read floor (8)]]
//              (the read vector is optional: an older manifest without it acknowledges nothing)
//   moved    = empty (the account's devices sync another way now)
//   versions = count (4) ‖ count × [item id (16) ‖ nbases (1) ‖ nbases × tag (16) ‖ len (4) ‖ item envelope]
// log key = HKDF-SHA256(manifest key material, account id, "cryptex/v1/log"): both hang off the Account Key.
import { open, seal } from "../../crypto/aead.ts";
import { hkdfAesKey } from "../../crypto/hkdf.ts";
import { concat, equalBytes, fromHex, readU32be, toHex, u32be, utf8 } from "../../encoding/bytes.ts";
import { CryptexError } from "../../errors.ts";
import { aad } from "../../formats/aad.ts";
import { MAX_ITEM_CIPHERTEXT } from "../../formats/item-envelope.ts";
import { type AccountKeys, info } from "../../keys/derive.ts";
import { bytesToUuid, type ItemId, uuidToBytes } from "../../keys/ids.ts";

export const SEGMENT_KINDS = { segment: 1, snapshot: 2, manifest: 3, moved: 4 } as const;
export type SegmentKind = keyof typeof SEGMENT_KINDS;

/** One published version of an item: its envelope and the tags of the versions it replaced. */
export interface LogVersion {
  readonly id: ItemId;
  readonly data: Uint8Array;
  readonly bases: readonly Uint8Array[];
}

export interface SegmentHeader {
  readonly kind: SegmentKind;
  readonly deviceId: string;
  readonly seq: number;
  readonly salt: string;
}

export type SegmentBody =
  | { readonly kind: "segment"; readonly versions: readonly LogVersion[] }
  | {
      readonly kind: "snapshot";
      readonly vector: ReadonlyMap<string, number>;
      readonly versions: readonly LogVersion[];
      readonly superseded: ReadonlyMap<ItemId, readonly Uint8Array[]>;
    }
  | {
      readonly kind: "manifest";
      readonly published: number;
      readonly snapshot: number;
      /** how far the writer has read each other device: its acknowledgement (attachment blob collection) */
      readonly read?: ReadonlyMap<string, number>;
    }
  /** "this account no longer syncs here": left by a device that switched method */
  | { readonly kind: "moved" };

/** Hostile files are bounded before any work: a segment of 64 MiB holds ~60,000 typical items. */
export const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;
const MAGIC = utf8("CXSG");
const HEADER = 4 + 1 + 1 + 16 + 16 + 8 + 4;
export const TAG = 16;

/** The last 16 bytes of an envelope (its GCM tag) name a version: nobody without the key can make another. */
export const versionTag = (data: Uint8Array): Uint8Array => data.subarray(data.length - TAG);

const logKeys = new WeakMap<AccountKeys, Promise<CryptoKey>>();
function logKey(keys: AccountKeys): Promise<CryptoKey> {
  let k = logKeys.get(keys);
  if (!k) {
    k = hkdfAesKey(keys.manifest, uuidToBytes(keys.accountId), info("log"));
    logKeys.set(keys, k);
  }
  return k;
}

const u64 = (n: number) => {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, Math.floor(n / 2 ** 32));
  v.setUint32(4, n >>> 0);
  return b;
};

function encodeVersions(versions: readonly LogVersion[], out: Uint8Array[]): void {
  out.push(u32be(versions.length));
  for (const v of versions) {
    if (v.bases.length > 255) throw new CryptexError("invalid_input", "too many base versions");
    out.push(uuidToBytes(v.id), new Uint8Array([v.bases.length]), ...v.bases, u32be(v.data.length), v.data);
  }
}

export function encodeHeader(h: SegmentHeader, accountId: string): Uint8Array {
  return concat(
    MAGIC,
    new Uint8Array([1, SEGMENT_KINDS[h.kind]]),
    uuidToBytes(accountId),
    uuidToBytes(h.deviceId),
    u64(h.seq),
    fromHex(h.salt),
  );
}

export async function sealSegment(keys: AccountKeys, h: SegmentHeader, body: SegmentBody): Promise<Uint8Array> {
  if (body.kind !== h.kind) throw new CryptexError("invalid_input", "segment kind mismatch");
  const parts: Uint8Array[] = [];
  switch (body.kind) {
    case "segment":
      encodeVersions(body.versions, parts);
      break;
    case "snapshot":
      parts.push(u32be(body.vector.size));
      for (const [d, s] of body.vector) parts.push(uuidToBytes(d), u64(s));
      encodeVersions(body.versions, parts);
      parts.push(u32be(body.superseded.size));
      for (const [id, tags] of body.superseded) parts.push(uuidToBytes(id), u32be(tags.length), ...tags);
      break;
    case "manifest":
      parts.push(u64(body.published), u64(body.snapshot));
      if (body.read && body.read.size > 0) {
        parts.push(u32be(body.read.size));
        for (const [d, s] of body.read) parts.push(uuidToBytes(d), u64(s));
      }
      break;
    case "moved":
      break;
  }
  const header = encodeHeader(h, keys.accountId);
  return concat(header, await seal(await logKey(keys), concat(...parts), aad("log", keys.accountId, h.deviceId, header)));
}

/** A bounds-checked reader: any overrun is a malformed file, never a crash. */
class Reader {
  at = 0;
  readonly b: Uint8Array;
  constructor(b: Uint8Array) {
    this.b = b;
  }
  take(n: number): Uint8Array {
    if (n < 0 || this.at + n > this.b.length) throw new CryptexError("invalid_input", "malformed log file");
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  u32(): number {
    return readU32be(this.take(4), 0);
  }
  u64(): number {
    const t = this.take(8);
    const n = readU32be(t, 0) * 2 ** 32 + readU32be(t, 4);
    if (!Number.isSafeInteger(n)) throw new CryptexError("invalid_input", "malformed log file");
    return n;
  }
  uuid(): string {
    return bytesToUuid(this.take(16));
  }
}

function decodeVersions(r: Reader): LogVersion[] {
  const count = r.u32();
  // every version takes at least 16 + 1 + 4 bytes: a count the file cannot hold is hostile
  if (count * 21 > r.b.length - r.at) throw new CryptexError("invalid_input", "malformed log file");
  const out: LogVersion[] = [];
  for (let i = 0; i < count; i++) {
    const id = r.uuid() as ItemId;
    const n = r.take(1)[0]!;
    const bases: Uint8Array[] = [];
    for (let j = 0; j < n; j++) bases.push(r.take(TAG).slice());
    const len = r.u32();
    if (len < TAG || len > MAX_ITEM_CIPHERTEXT) throw new CryptexError("invalid_input", "malformed log file");
    out.push({ id, bases, data: r.take(len).slice() });
  }
  return out;
}

/** Reads the public header only (no key needed); undefined when the bytes are not a log file of ours. */
export function readHeader(bytes: Uint8Array): SegmentHeader | undefined {
  if (bytes.length < HEADER + 12 + TAG || !equalBytes(bytes.subarray(0, 4), MAGIC) || bytes[4] !== 1) return undefined;
  const kind = (Object.keys(SEGMENT_KINDS) as SegmentKind[]).find((k) => SEGMENT_KINDS[k] === bytes[5]);
  if (!kind) return undefined;
  const r = new Reader(bytes.subarray(22, HEADER));
  return { kind, deviceId: r.uuid(), seq: r.u64(), salt: toHex(r.take(4)) };
}

/**
 * Opens a log file of this account. Throws `tampered` when it does not authenticate — which on a synced
 * folder usually means "not completely here yet" — and `invalid_input`/`unsupported_format` otherwise.
 */
export async function openSegment(keys: AccountKeys, bytes: Uint8Array): Promise<{ header: SegmentHeader; body: SegmentBody }> {
  if (bytes.length > MAX_SEGMENT_BYTES) throw new CryptexError("invalid_input", "log file is too large");
  if (bytes.length >= 5 && equalBytes(bytes.subarray(0, 4), MAGIC) && bytes[4] !== 1)
    throw new CryptexError("unsupported_format", `unsupported log file version ${bytes[4]}`);
  const header = readHeader(bytes);
  if (!header) throw new CryptexError("tampered", "ciphertext failed to verify");
  const head = bytes.subarray(0, HEADER);
  const plain = await open(await logKey(keys), bytes.subarray(HEADER), aad("log", keys.accountId, header.deviceId, head));
  if (!equalBytes(head.subarray(6, 22), uuidToBytes(keys.accountId))) throw new CryptexError("tampered", "ciphertext failed to verify");
  const r = new Reader(plain);
  let body: SegmentBody;
  switch (header.kind) {
    case "segment":
      body = { kind: "segment", versions: decodeVersions(r) };
      break;
    case "snapshot": {
      const n = r.u32();
      if (n * 24 > plain.length) throw new CryptexError("invalid_input", "malformed log file");
      const vector = new Map<string, number>();
      for (let i = 0; i < n; i++) vector.set(r.uuid(), r.u64());
      const versions = decodeVersions(r);
      const m = r.u32();
      if (m * 20 > plain.length) throw new CryptexError("invalid_input", "malformed log file");
      const superseded = new Map<ItemId, Uint8Array[]>();
      for (let i = 0; i < m; i++) {
        const id = r.uuid() as ItemId;
        const k = r.u32();
        if (k * TAG > plain.length) throw new CryptexError("invalid_input", "malformed log file");
        const tags: Uint8Array[] = [];
        for (let j = 0; j < k; j++) tags.push(r.take(TAG).slice());
        superseded.set(id, tags);
      }
      body = { kind: "snapshot", vector, versions, superseded };
      break;
    }
    case "manifest": {
      const published = r.u64();
      const snapshot = r.u64();
      if (r.at === plain.length) {
        body = { kind: "manifest", published, snapshot };
        break;
      }
      const n = r.u32();
      if (n * 24 > plain.length) throw new CryptexError("invalid_input", "malformed log file");
      const read = new Map<string, number>();
      for (let i = 0; i < n; i++) read.set(r.uuid(), r.u64());
      body = { kind: "manifest", published, snapshot, read };
      break;
    }
    case "moved":
      body = { kind: "moved" };
      break;
  }
  if (r.at !== plain.length) throw new CryptexError("invalid_input", "malformed log file");
  return { header, body };
}
