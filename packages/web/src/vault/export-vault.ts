// Export of every item as plain Cryptex JSON, offered before signing out a device with unsynced changes
// (Settings → Export has the encrypted export and the other formats).
import { downloadBlob } from "../qr/qr-image.ts";
import type { VaultSession } from "./vault-session.ts";

export async function exportVault(session: VaultSession): Promise<void> {
  const items = [];
  for (const id of session.entries.keys()) items.push(await session.readItem(id));
  const { writeCryptexJson } = await import("@cryptex/core/export/cryptex-json.ts");
  downloadBlob(
    new Blob([writeCryptexJson(items)], { type: "application/json" }),
    `cryptex-json-${new Date().toISOString().slice(0, 10)}.json`,
  );
}
