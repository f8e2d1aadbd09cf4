// The signed vault manifest (docs/security.md §4.1): after it pushes, each device publishes the set of
// (item id, per-item version, server revision, ciphertext hash) it holds, with a per-device counter, MAC'ed
// under an AK-derived key. Every device checks every manifest on every sync, so a server that drops an item,
// serves an older version, or rolls a device's manifest back is caught. Per-device manifests and the
// "only what you have pulled past" rule below keep concurrent pushes from ever raising a false alarm.
//
// Layout (integers big-endian):
//   "CXMF" (4) ‖ version = 1 (1) ‖ account id (16) ‖ device id (16) ‖ counter (8) ‖ revision (8) ‖ count (4)
//   ‖ count × [ item id (16) ‖ rev (8) ‖ server revision (8) ‖ the ciphertext's GCM tag (16) ]   (ascending ids)
// The tag (the envelope's last 16 bytes) fingerprints the ciphertext: no one without the item key can make
// another valid ciphertext with it, and reading it needs no pass over the ciphertexts (a store can read
// just those bytes), so a manifest of 100,000 items costs no hashing of 100 MB.
//   ‖ HMAC-SHA256(manifest key, "cryptex/v1/manifest" ‖ 0x00 ‖ every byte before) (32)
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { concat, equalBytes, utf8 } from "../encoding/bytes.ts";
import { CryptexError } from "../errors.ts";
import type { AccountKeys } from "../keys/derive.ts";
import { bytesToUuid, uuidToBytes } from "../keys/ids.ts";
import type { ItemState } from "./ports.ts";

export interface ManifestEntry {
  readonly id: string;
  /** the per-item version counter inside the ciphertext */
  readonly rev: number;
  /** the server revision of that version */
  readonly revision: number;
  /** the ciphertext's AES-GCM tag (its last 16 bytes) */
  readonly hash: Uint8Array;
}

export interface Manifest {
  readonly deviceId: string;
  /** per device, +1 on every publication: a lower counter than one seen is a rollback */
  readonly counter: number;
  /** the server revision this manifest reflects (≥ every entry's revision) */
  readonly revision: number;
  readonly entries: readonly ManifestEntry[];
}

export type ManifestProblem = {
  readonly id: string;
  readonly deviceId: string;
  /** missing: the server never gave this device an item another device holds; rollback: an older version; tampered: another ciphertext at the same revision */
  readonly reason: "missing" | "rollback" | "tampered";
};

const MAGIC = utf8("CXMF");
const HEADER = 57;
const ENTRY = 48;
const MAC = 32;
const DOMAIN = utf8("cryptex/v1/manifest\0");
/** Bounded by the wire limit (16 MiB of bytes): about 350,000 items. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

const mac = (keys: AccountKeys, body: Uint8Array) => hmac(nobleSha256, keys.manifest, concat(DOMAIN, body));

function putU64(view: DataView, at: number, n: number): void {
  view.setUint32(at, Math.floor(n / 2 ** 32), false);
  view.setUint32(at + 4, n >>> 0, false);
}
function getU64(view: DataView, at: number): number {
  const hi = view.getUint32(at, false);
  if (hi > 0x1fffff) throw new CryptexError("invalid_input", "manifest number out of range");
  return hi * 2 ** 32 + view.getUint32(at + 4, false);
}

const compareIds = (a: Uint8Array, b: Uint8Array) => {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};

/** The entries of this device's state: every item the server acknowledged, as this device holds it. */
export function entriesOf(items: readonly ItemState[]): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  for (const s of items) {
    if (s.pending || s.revision === 0 || !s.tag) continue;
    out.push({ id: s.id, rev: Math.max(1, s.seenRev), revision: s.revision, hash: s.tag });
  }
  return out;
}

export function sealManifest(keys: AccountKeys, m: Manifest): Uint8Array {
  const ids = m.entries.map((e) => ({ e, b: uuidToBytes(e.id) })).sort((x, y) => compareIds(x.b, y.b));
  const body = new Uint8Array(HEADER + ids.length * ENTRY);
  const view = new DataView(body.buffer);
  body.set(MAGIC, 0);
  body[4] = 1;
  body.set(uuidToBytes(keys.accountId), 5);
  body.set(uuidToBytes(m.deviceId), 21);
  putU64(view, 37, m.counter);
  putU64(view, 45, m.revision);
  view.setUint32(53, ids.length, false);
  let at = HEADER;
  for (const { e, b } of ids) {
    body.set(b, at);
    putU64(view, at + 16, e.rev);
    putU64(view, at + 24, e.revision);
    body.set(e.hash.subarray(0, 16), at + 32);
    at += ENTRY;
  }
  const out = new Uint8Array(body.length + MAC);
  out.set(body);
  out.set(mac(keys, body), body.length);
  return out;
}

/** Verifies and parses a manifest the server says `deviceId` published. Typed errors only. */
export function openManifest(keys: AccountKeys, deviceId: string, bytes: Uint8Array): Manifest {
  if (bytes.length < HEADER + MAC || bytes.length > MAX_MANIFEST_BYTES) throw new CryptexError("invalid_input", "manifest has a bad size");
  const body = bytes.subarray(0, bytes.length - MAC);
  if (!equalBytes(mac(keys, body), bytes.subarray(bytes.length - MAC))) throw new CryptexError("tampered", "manifest failed to verify");
  if (!equalBytes(body.subarray(0, 4), MAGIC)) throw new CryptexError("unsupported_format", "not a manifest");
  switch (body[4]) {
    case 1:
      break;
    default:
      throw new CryptexError("unsupported_format", `unsupported manifest version ${body[4]}`);
  }
  // The MAC key is per account, so these can only differ if a device of this account wrote them so:
  // still checked, so a manifest cannot be replayed under another device's name.
  if (!equalBytes(body.subarray(5, 21), uuidToBytes(keys.accountId))) throw new CryptexError("foreign_key", "manifest of another account");
  if (bytesToUuid(body.subarray(21, 37)) !== deviceId) throw new CryptexError("tampered", "manifest published under another device id");
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const counter = getU64(view, 37);
  const revision = getU64(view, 45);
  const count = view.getUint32(53, false);
  if (HEADER + count * ENTRY !== body.length) throw new CryptexError("invalid_input", "manifest length does not match its count");
  const entries: ManifestEntry[] = [];
  for (let at = HEADER; at < body.length; at += ENTRY) {
    const id = body.subarray(at, at + 16);
    if (at > HEADER && compareIds(body.subarray(at - ENTRY, at - ENTRY + 16), id) >= 0)
      throw new CryptexError("invalid_input", "manifest entries out of order");
    const e = { id: bytesToUuid(id), rev: getU64(view, at + 16), revision: getU64(view, at + 24), hash: body.slice(at + 32, at + 48) };
    if (e.rev < 1 || e.revision < 1 || e.revision > revision) throw new CryptexError("invalid_input", "manifest entry out of range");
    entries.push(e);
  }
  return { deviceId, counter, revision, entries };
}

/**
 * Compares another device's manifest with this device's state after a pull up to `cursor`. Only entries
 * at revisions this device has pulled past are judged, so a concurrent push is never a false alarm: by
 * then the server must have given this device that version or a later one.
 */
export function checkManifest(m: Manifest, local: ReadonlyMap<string, ItemState>, cursor: number): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const e of m.entries) {
    if (e.revision > cursor) continue;
    const l = local.get(e.id);
    const problem = (reason: ManifestProblem["reason"]) => problems.push({ id: e.id, deviceId: m.deviceId, reason });
    if (!l) problem("missing");
    else if (l.revision < e.revision || l.seenRev < e.rev) problem("rollback");
    else if (l.revision === e.revision && !l.pending && l.tag && !equalBytes(l.tag, e.hash)) problem("tampered");
  }
  return problems;
}
