// Settings → Export: the encrypted Cryptex export (its own password; the CLI reads it too), or an open
// format (Cryptex JSON, Bitwarden JSON, CSV) after the Account Password is typed again and the warning
// acknowledged, because an open export holds every password in clear text.
import { useState } from "preact/hooks";
import { unlockInWorker } from "../account/account-client.ts";
import { downloadBlob } from "../qr/qr-image.ts";
import { errorText } from "../ui/error-text.ts";
import { PasswordField } from "../ui/password-field.tsx";
import type { VaultSession } from "../vault/vault-session.ts";

type Format = "cryptex" | "json" | "bitwarden-json" | "csv";
const LABEL: Record<Format, string> = {
  cryptex: "Cryptex, encrypted (.cxex)",
  json: "Cryptex JSON (not encrypted)",
  "bitwarden-json": "Bitwarden JSON (not encrypted)",
  csv: "CSV (not encrypted)",
};

async function allItems(session: VaultSession) {
  const items = [];
  for (const id of session.entries.keys()) items.push(await session.readItem(id));
  return items;
}

export function ExportPanel({ session }: { session: VaultSession }) {
  const [format, setFormat] = useState<Format>("cryptex");
  const [filePassword, setFilePassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [accountPassword, setAccountPassword] = useState("");
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState("");
  const day = new Date().toISOString().slice(0, 10);

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setMsg("");
    setBusy(true);
    try {
      if (format === "cryptex") {
        if (filePassword !== repeat) throw new Error("The two file passwords differ.");
        const { assertStrongPassword } = await import("@cryptex/core/password-strength.ts");
        assertStrongPassword(filePassword);
        const { writeExport } = await import("@cryptex/core/export/cryptex-export.ts");
        const bytes = await writeExport(await allItems(session), filePassword);
        downloadBlob(new Blob([bytes as BlobPart], { type: "application/octet-stream" }), `cryptex-export-${day}.cxex`);
      } else {
        if (!understood) throw new Error("Confirm that you understand the file is not encrypted.");
        await unlockInWorker(session.meta.accountId, session.meta.eak, accountPassword); // throws on a wrong password
        const items = await allItems(session);
        const text =
          format === "json"
            ? (await import("@cryptex/core/export/cryptex-json.ts")).writeCryptexJson(items)
            : format === "bitwarden-json"
              ? (await import("@cryptex/core/export/bitwarden-json-export.ts")).writeBitwardenJson(items)
              : (await import("@cryptex/core/export/csv-export.ts")).writeCryptexCsv(items);
        const ext = format === "csv" ? "csv" : "json";
        downloadBlob(new Blob([text], { type: format === "csv" ? "text/csv" : "application/json" }), `cryptex-${format}-${day}.${ext}`);
      }
      setMsg("Export downloaded.");
      setFilePassword("");
      setRepeat("");
      setAccountPassword("");
    } catch (e) {
      setMsg(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form aria-labelledby="s-export" onSubmit={submit}>
      <h3 id="s-export">Export</h3>
      <label for="ex-format">Format</label>
      <select id="ex-format" value={format} onChange={(e) => setFormat(e.currentTarget.value as Format)}>
        {(Object.keys(LABEL) as Format[]).map((f) => (
          <option key={f} value={f}>
            {LABEL[f]}
          </option>
        ))}
      </select>
      {format === "cryptex" ? (
        <>
          <p class="muted small">Encrypted with a password of its own; `cryptex import` and this page read it.</p>
          <PasswordField
            id="ex-file-password"
            label="Password for the export file"
            autocomplete="new-password"
            value={filePassword}
            onValue={setFilePassword}
          />
          <PasswordField id="ex-file-repeat" label="Repeat it" autocomplete="new-password" value={repeat} onValue={setRepeat} />
        </>
      ) : (
        <>
          <p class="error">
            This file is <strong>not encrypted</strong>: anyone who gets it can read every password. Delete it after use.
          </p>
          <PasswordField
            id="ex-account-password"
            label="Account password"
            autocomplete="current-password"
            value={accountPassword}
            onValue={setAccountPassword}
          />
          <label>
            <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.currentTarget.checked)} /> I understand the file is
            not encrypted
          </label>
        </>
      )}
      <button type="submit" disabled={busy}>
        {busy ? "Exporting…" : "Export"}
      </button>
      {msg && <p role="status">{msg}</p>}
    </form>
  );
}
