// The one place that builds associated data: "cryptex/v1/<purpose>" ‖ 0x00 ‖ account id ‖ object id ‖ extra.
import { concat, utf8 } from "../encoding/bytes.ts";
import { type AccountId, uuidToBytes } from "../keys/ids.ts";

export type Purpose =
  | "verifier"
  | "eak-wrap"
  | "item"
  | "index"
  | "session"
  | "export"
  | "manifest"
  | "server-token"
  | "log"
  | "sync-profile"
  | "health-cache"
  | "deep-index"
  | "device-secret"
  | "attachment";

export function aad(purpose: Purpose, accountId: AccountId, objectId?: string, extra?: Uint8Array): Uint8Array {
  return concat(
    utf8(`cryptex/v1/${purpose}`),
    new Uint8Array([0]),
    uuidToBytes(accountId),
    objectId ? uuidToBytes(objectId) : new Uint8Array(0),
    extra ?? new Uint8Array(0),
  );
}
