// Settings → Import: choose a file, see the detected format, preview the counts per type, import in one
// transaction, then read (or download) the report. All parsing is core's; this panel hands over bytes.
import type { ImportFormat } from "@cryptex/core/import/import-formats.ts";
import type { ImportReport } from "@cryptex/core/import/import-report.ts";
import type { Item } from "@cryptex/core/vault/item.ts";
import { useState } from "preact/hooks";
import { downloadBlob } from "../qr/qr-image.ts";
import { errorText } from "../ui/error-text.ts";
import { PasswordField } from "../ui/password-field.tsx";
import type { VaultSession } from "../vault/vault-session.ts";

type Step =
  | { kind: "idle" }
  | { kind: "chosen"; bytes: Uint8Array; name: string; format: ImportFormat; needsPassword: boolean }
  | { kind: "preview"; items: Item[]; report: ImportReport }
  | { kind: "done"; report: ImportReport };

/** The app's wrong-password text speaks of the Account Password; here it is the file's. */
const importErrorText = (e: unknown) =>
  (e as { code?: string }).code === "wrong_password" ? "Wrong password for this file." : errorText(e);

const core = () => Promise.all([import("@cryptex/core/import/import-file.ts"), import("@cryptex/core/import/import-report.ts")]);

export function ImportPanel({ session }: { session: VaultSession }) {
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [password, setPassword] = useState("");
  const [skipDuplicates, setSkipDuplicates] = useState(false);
  const [busy, setBusy] = useState("");
  const [progress, setProgress] = useState<[number, number] | undefined>();
  const [msg, setMsg] = useState("");

  async function choose(file: File | undefined): Promise<void> {
    setMsg("");
    setPassword("");
    if (!file) return setStep({ kind: "idle" });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const [{ inspectImport }] = await core();
      const found = inspectImport(bytes);
      setStep({ kind: "chosen", bytes, name: file.name, format: found.format, needsPassword: found.needsPassword });
    } catch (e) {
      setStep({ kind: "idle" });
      setMsg(errorText(e));
    }
  }

  async function preview(): Promise<void> {
    if (step.kind !== "chosen") return;
    setMsg("");
    setBusy("Reading the file…");
    try {
      const [{ importFile }] = await core();
      const { items, report } = await importFile(step.bytes, {
        format: step.format.name,
        ...(step.needsPassword ? { password } : {}),
        existing: [...session.entries.values()],
        skipDuplicates,
      });
      setStep({ kind: "preview", items, report });
    } catch (e) {
      setMsg(importErrorText(e));
    } finally {
      setBusy("");
    }
  }

  async function commit(): Promise<void> {
    if (step.kind !== "preview") return;
    setBusy(`Encrypting and saving ${step.items.length.toLocaleString()} items…`);
    try {
      await session.saveNew(step.items, (done, total) => setProgress([done, total]));
      setStep({ kind: "done", report: step.report });
    } catch (e) {
      setMsg(errorText(e));
    } finally {
      setBusy("");
      setProgress(undefined);
    }
  }

  async function download(report: ImportReport): Promise<void> {
    const [, { reportText }] = await core();
    downloadBlob(new Blob([reportText(report)], { type: "text/plain" }), "cryptex-import-report.txt");
  }

  const report = step.kind === "preview" || step.kind === "done" ? step.report : undefined;
  return (
    <section aria-labelledby="s-import">
      <h3 id="s-import">Import</h3>
      <p class="muted small">From Bitwarden, 1Password, KeePass, LastPass, browsers, Proton Pass, Enpass, Dashlane, mSecure or Cryptex.</p>
      <label for="imp-file">File to import</label>
      <input id="imp-file" type="file" disabled={!!busy} onChange={(e) => void choose(e.currentTarget.files?.[0])} />
      {step.kind === "chosen" && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void preview();
          }}
        >
          <p role="status">
            Format: <strong>{step.format.label}</strong>
          </p>
          {step.needsPassword && (
            <PasswordField
              id="imp-password"
              label="The file's password"
              autocomplete="current-password"
              value={password}
              onValue={setPassword}
            />
          )}
          <label>
            <input type="checkbox" checked={skipDuplicates} onChange={(e) => setSkipDuplicates(e.currentTarget.checked)} /> Skip items
            already in the vault
          </label>
          <button type="submit" disabled={!!busy}>
            Preview
          </button>
        </form>
      )}
      {busy && (
        <p role="status">
          {progress ? <progress aria-label={busy} value={progress[0]} max={progress[1]} /> : <progress aria-label={busy} />} {busy}
        </p>
      )}
      {report && (
        <section class="import-report" aria-label="Import report">
          <p role="status">
            {step.kind === "done" ? "Imported" : "Ready to import"} {report.imported.toLocaleString()} of {report.found.toLocaleString()}{" "}
            items from {report.formatLabel}.
          </p>
          <ul>
            {Object.entries(report.byType).map(([t, n]) => (
              <li key={t}>
                {t}: {n}
              </li>
            ))}
          </ul>
          {report.trashed > 0 && <p>{report.trashed} go into the trash (deleted in the source).</p>}
          {report.notes.length > 0 && (
            <details>
              <summary>
                {report.notes.filter((n) => n.kept !== "lost").length} values kept without a slot of their own,{" "}
                {report.notes.filter((n) => n.kept === "lost").length} things not imported
              </summary>
              <ul>
                {report.notes.slice(0, 500).map((n, i) => (
                  <li key={String(i)}>
                    {n.item}: {n.what} → {n.kept === "lost" ? "not imported" : n.kept}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {report.duplicates.length > 0 && (
            <p>
              {report.duplicates.length} duplicates {skipDuplicates ? "skipped" : "(imported anyway)"}.
            </p>
          )}
          <div class="row">
            {step.kind === "preview" && (
              <button type="button" class="primary" disabled={!!busy} onClick={() => void commit()}>
                Import {report.imported.toLocaleString()} items
              </button>
            )}
            <button type="button" onClick={() => void download(report)}>
              Download the report
            </button>
          </div>
        </section>
      )}
      {msg && (
        <p class="error" role="alert">
          {msg}
        </p>
      )}
    </section>
  );
}
