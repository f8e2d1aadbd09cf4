// UUID text ↔ 16 bytes, for binary formats and signed messages (pure encoding: no randomness, no keys).
import { toHex } from "./bytes.ts";

export function uuidToBytes(id: string): Uint8Array {
  const h = id.replaceAll("-", "");
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToUuid(b: Uint8Array): string {
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
