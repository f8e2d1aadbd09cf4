// The saved form of a log replica (log-replica.ts) in the device's own storage: counters, what was read
// from each device, pending versions and the version graph. Every item value in it is an item envelope
// (encrypted), so the file says no more than the vault beside it. Damaged input is one typed error.
import { b64uDecode, b64uEncode } from "../../encoding/base64.ts";
import { fromUtf8, utf8 } from "../../encoding/bytes.ts";
import { CryptexError } from "../../errors.ts";
import { type ItemId, parseItemId } from "../../keys/ids.ts";
import type { LogVersion } from "./segment.ts";

export interface SavedReplica {
  readonly deviceId: string;
  readonly seq: number;
  readonly counter: number;
  readonly snapshots: readonly { seq: number; at: number }[];
  readonly manifests: readonly { counter: number; at: number }[];
  readonly manifestsSeen: readonly (readonly [string, number])[];
  /** per device: every seq at or below `floor` is read, and these above it */
  readonly read: readonly (readonly [string, number, readonly number[]])[];
  /** the read vector the last manifest carried (absent in states saved before manifests carried one) */
  readonly ackedVector?: string;
  readonly pending: readonly LogVersion[];
  /** per item: its heads, and every tag seen */
  readonly graph: readonly (readonly [ItemId, readonly LogVersion[], readonly Uint8Array[]])[];
}

const version = (v: LogVersion) => ({ id: v.id, data: b64uEncode(v.data), bases: v.bases.map(b64uEncode) });

export function encodeReplicaState(s: SavedReplica): Uint8Array {
  return utf8(
    JSON.stringify({
      v: 1,
      ...s,
      pending: s.pending.map(version),
      graph: s.graph.map(([id, heads, known]) => [id, heads.map(version), known.map(b64uEncode)]),
    }),
  );
}

const bad = () => new CryptexError("invalid_input", "the saved sync state is damaged");

export function decodeReplicaState(bytes: Uint8Array): SavedReplica {
  const dec = (s: unknown) => {
    const b = typeof s === "string" ? b64uDecode(s) : undefined;
    if (!b) throw bad();
    return b;
  };
  const num = (n: unknown) => {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw bad();
    return n;
  };
  const list = (x: unknown) => {
    if (!Array.isArray(x)) throw bad();
    return x as unknown[];
  };
  const field = (x: unknown, k: string) => (x as Record<string, unknown> | null)?.[k];
  const ver = (x: unknown): LogVersion => ({
    id: parseItemId(field(x, "id")),
    data: dec(field(x, "data")),
    bases: list(field(x, "bases")).map(dec),
  });
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(fromUtf8(bytes));
  } catch {
    throw bad();
  }
  if (s?.v !== 1 || typeof s.deviceId !== "string") throw bad();
  try {
    return {
      deviceId: s.deviceId,
      seq: num(s.seq),
      counter: num(s.counter),
      snapshots: list(s.snapshots).map((x) => ({ seq: num(field(x, "seq")), at: num(field(x, "at")) })),
      manifests: list(s.manifests).map((x) => ({ counter: num(field(x, "counter")), at: num(field(x, "at")) })),
      manifestsSeen: list(s.manifestsSeen).map((x) => {
        const [d, c] = list(x);
        return [String(d), num(c)] as const;
      }),
      read: list(s.read).map((x) => {
        const [d, floor, seqs] = list(x);
        return [String(d), num(floor), list(seqs).map(num)] as const;
      }),
      ...(typeof s.ackedVector === "string" ? { ackedVector: s.ackedVector } : {}),
      pending: list(s.pending).map(ver),
      graph: list(s.graph).map((x) => {
        const [id, heads, known] = list(x);
        return [parseItemId(id), list(heads).map(ver), list(known).map(dec)] as const;
      }),
    };
  } catch {
    throw bad();
  }
}
