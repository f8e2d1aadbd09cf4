// An item's attachments in the page (loaded on first use): drop or choose a file, which is sealed here and uploaded
// in pieces; list; download and preview images and PDFs from blob: URLs made after every chunk verified — the
// decrypted bytes never leave the page. Removing one is an edit; the server's copy is deleted once it has synced.
import { type Attachment, attachmentBinding, guessMediaType, newAttachment, PREVIEW_TYPES } from "@cryptex/core/attachments/attachment.ts";
import { blobSize, decryptAttachment, encryptAttachment } from "@cryptex/core/attachments/attachment-stream.ts";
import { addAttachment, type Item, LIMITS, removeAttachment } from "@cryptex/core/vault/item.ts";
import { useEffect, useState } from "preact/hooks";
import type { VaultSession } from "../vault/vault-session.ts";

const PIECE = 8 * 1024 * 1024;
const READ = 1024 * 1024;

const human = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

async function* fileChunks(file: File): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < file.size; at += READ) yield new Uint8Array(await file.slice(at, at + READ).arrayBuffer());
}

/** Seals and uploads `file` in pieces; calls `onBytes` as pieces are accepted. */
async function upload(session: VaultSession, a: Attachment, file: File, onBytes: (n: number) => void): Promise<void> {
  const b = await attachmentBinding(session.accountId, a);
  const size = blobSize(a.size);
  let piece: Uint8Array[] = [];
  let held = 0;
  let offset = 0;
  const send = async () => {
    const body = new Uint8Array(held);
    let at = 0;
    for (const p of piece) {
      body.set(p, at);
      at += p.length;
    }
    const answer = await session.api.putBlob(a.id, offset, size, body);
    offset = answer.received;
    onBytes(offset);
    piece = [];
    held = 0;
  };
  for await (const frame of encryptAttachment(b, fileChunks(file))) {
    piece.push(frame);
    held += frame.length;
    if (held >= PIECE) await send();
  }
  if (held > 0) await send();
}

/** The attachment's bytes as a Blob, made only once the whole blob verified. */
async function fetchVerified(session: VaultSession, a: Attachment): Promise<Blob> {
  const b = await attachmentBinding(session.accountId, a);
  const parts: Uint8Array[] = [];
  for await (const p of decryptAttachment(b, session.api.getBlob(a.id, 0, blobSize(a.size)), a.size)) parts.push(p);
  return new Blob(parts as BlobPart[], { type: PREVIEW_TYPES.includes(a.type) ? a.type : "application/octet-stream" });
}

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
    const a = newAttachment(file.name, file.size, file.type || guessMediaType(file.name));
    let base: Item;
    try {
      base = await session.readItem(item.id);
      addAttachment(base, a); // refuses a duplicate name or too many before anything is sent
    } catch (e) {
      return setError(errorText(e));
    }
    setBusy({ name: a.name, done: 0, total: blobSize(a.size) });
    try {
      await upload(session, a, file, (done) => setBusy({ name: a.name, done, total: blobSize(a.size) }));
      const latest = await session.readItem(item.id);
      const saved = addAttachment(latest, a);
      await session.save(saved, latest);
      onSaved(await session.readItem(item.id));
    } catch (e) {
      setError(errorText(e));
      void session.api.deleteBlob(a.id).catch(() => {}); // an upload that will not be used frees its bytes
    } finally {
      setBusy(undefined);
    }
  }

  async function open(a: Attachment, how: "download" | "preview") {
    setError("");
    if (how === "preview") setPreview(undefined);
    setBusy({ name: a.name, done: 0, total: blobSize(a.size) });
    try {
      const blob = await fetchVerified(session, a);
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
    const latest = await session.readItem(item.id);
    await session.save(removeAttachment(latest, a.id), latest);
    onSaved(await session.readItem(item.id));
    if (preview?.id === a.id) setPreview(undefined);
    // the blob goes once the edit is on the server (a sync, then no local change of the item pending)
    await session.sync();
    if (!(await session.isPending(item.id))) await session.api.deleteBlob(a.id).catch(() => false);
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
