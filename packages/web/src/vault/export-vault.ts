// Export of every item as plain JSON (the user asked for it; the settings screen warns it is unencrypted).
import { downloadBlob } from "../qr/qr-image.ts";
import type { VaultSession } from "./vault-session.ts";

export async function exportVault(session: VaultSession): Promise<void> {
  const items = [];
  for (const id of session.entries.keys()) items.push(await session.readItem(id));
  const body = JSON.stringify({ format: "cryptex-export", version: 1, exportedAt: new Date().toISOString(), items }, null, 2);
  downloadBlob(new Blob([body], { type: "application/json" }), `cryptex-export-${new Date().toISOString().slice(0, 10)}.json`);
}
