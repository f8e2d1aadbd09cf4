// Cryptex's plaintext JSON export: every item with every field, exactly as the vault holds it
// (documented in docs/cli.md). The web app's earlier "cryptex-export" download has the same shape.
import { CryptexError } from "../errors.ts";
import { arr, int, obj, oneOf, type Shape } from "../schema/shape.ts";
import { type Item, itemShape } from "../vault/item.ts";

const MAX_ITEMS = 1_000_000;
const anyTime: Shape<unknown> = (v, p) => (typeof v === "string" ? v : int(0, 8.64e15)(v, p));

const fileShape = obj({
  format: oneOf(["cryptex-json", "cryptex-export"]),
  version: int(1, 1),
  exportedAt: anyTime,
  items: arr(itemShape, MAX_ITEMS),
});

export function writeCryptexJson(items: readonly Item[], now = Date.now()): string {
  // attachment records are left out: the files are not in the export, and their keys must not sit in a plaintext file
  const plain = items.map(({ attachments: _files, ...rest }) => rest);
  return `${JSON.stringify({ format: "cryptex-json", version: 1, exportedAt: new Date(now).toISOString(), items: plain }, null, 2)}\n`;
}

export const isCryptexJson = (json: unknown): boolean =>
  typeof json === "object" && json !== null && ["cryptex-json", "cryptex-export"].includes((json as { format?: unknown }).format as string);

export function readCryptexJson(json: unknown): Item[] {
  if (!isCryptexJson(json)) throw new CryptexError("invalid_input", "not a Cryptex JSON export");
  const v = (json as { version?: unknown }).version;
  if (v !== 1) throw new CryptexError("unsupported_format", `unsupported Cryptex JSON version ${String(v).slice(0, 10)}`);
  return fileShape(json, "").items as Item[];
}
