// An item's attachments in the page (loaded on first use): drop or choose a file, which the account worker
// seals and uploads in pieces (the page never holds an attachment's key: items come to it with those blanked);
// list; download and preview images and PDFs from blob: URLs made after every chunk verified — the decrypted
// bytes never leave the browser. Removing one is an edit; the server's copy is deleted once it has synced.
import { type Attachment, PREVIEW_TYPES } from "@cryptex/core/attachments/attachment.ts";
import { blobSize } from "@cryptex/core/attachments/attachment-stream.ts";
import { type Item, LIMITS } from "@cryptex/core/vault/item.ts";
import { useEffect, useState } from "preact/hooks";
import type { VaultSession } from "../vault/vault-session.ts";

const human = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

function errorText(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "tampered") return "The server's copy failed its integrity check (damaged or altered); nothing was opened.";
  if (code === "quota_exceeded") return "The account's storage is full: remove something first.";
  if (code === "network") return "The server cannot be reached; try again.";
  return (e as Error).message || "Something went wrong.";
}

export function AttachmentsPanel({ item, session, onSaved }: { item: Item; session: VaultSession; onSaved: (item: Item) => void }) {
  const [busy, setBusy] = useState<{ name: string; done: number; total: number } | undefined>();
  const [error, setError] = useState("");
  const [preview, setPreview] = useState<{ id: string; url: string; type: string; name: string } | undefined>();
  const [over, setOver] = useState(false);
  useEffect(() => () => preview && URL.revokeObjectURL(preview.url), [preview]);
  const list = item.attachments ?? [];

  async function attach(file: File) {
    setError("");
    if (file.size > LIMITS.attachmentBytes) return setError(`“${file.name}” is larger than ${LIMITS.attachmentBytes / 1048576} MB.`);
    setBusy({ name: file.name, done: 0, total: blobSize(file.size) });
    try {
      onSaved(await session.attach(item.id, file, (done, total) => setBusy({ name: file.name, done, total })));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  }

  async function open(a: Attachment, how: "download" | "preview") {
    setError("");
    if (how === "preview") setPreview(undefined);
    setBusy({ name: a.name, done: 0, total: blobSize(a.size) });
    try {
      const blob = await session.openAttachment(item.id, a.id);
      const url = URL.createObjectURL(blob);
      if (how === "preview") setPreview({ id: a.id, url, type: a.type, name: a.name });
      else {
        const link = document.createElement("a");
        link.href = url;
        link.download = a.name;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  }

  async function remove(a: Attachment) {
    setError("");
    try {
      onSaved(await session.detach(item.id, a.id));
    } catch (e) {
      setError(errorText(e));
    }
    if (preview?.id === a.id) setPreview(undefined);
  }

  return (
    <section
      class={`attachments ${over ? "drop-over" : ""}`}
      aria-label="Attachments"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const f = e.dataTransfer?.files[0];
        if (f && !busy) void attach(f);
      }}
    >
      <h3>Attachments</h3>
      {list.length > 0 && (
        <ul class="attachment-list">
          {list.map((a) => (
            <li key={a.id}>
              <span class="attachment-name">{a.name}</span> <span class="muted">{human(a.size)}</span>{" "}
              {PREVIEW_TYPES.includes(a.type) && (
                <button type="button" disabled={!!busy} onClick={() => void open(a, "preview")} aria-label={`Preview ${a.name}`}>
                  Preview
                </button>
              )}
              <button type="button" disabled={!!busy} onClick={() => void open(a, "download")} aria-label={`Download ${a.name}`}>
                Download
              </button>
              <button type="button" disabled={!!busy} onClick={() => void remove(a)} aria-label={`Remove ${a.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <label class="attach-file">
        {list.length === 0 ? "Drop a file here, or " : "Add another: drop a file here, or "}
        <span class="link">choose a file</span>
        <input
          type="file"
          class="file-input"
          disabled={!!busy}
          onChange={(e) => {
            const f = (e.currentTarget as HTMLInputElement).files?.[0];
            if (f) void attach(f);
            (e.currentTarget as HTMLInputElement).value = "";
          }}
        />
      </label>
      {busy && (
        <p role="status">
          {busy.name}: <progress max={busy.total} value={busy.done} /> {Math.floor((busy.done / Math.max(1, busy.total)) * 100)}%
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <figure class="attachment-preview">
          {preview.type === "application/pdf" ? (
            <iframe src={preview.url} title={`Preview of ${preview.name}`} />
          ) : (
            <img src={preview.url} alt={`Preview of ${preview.name}`} />
          )}
          <figcaption>
            {preview.name}{" "}
            <button type="button" onClick={() => setPreview(undefined)}>
              Close preview
            </button>
          </figcaption>
        </figure>
      )}
    </section>
  );
}
