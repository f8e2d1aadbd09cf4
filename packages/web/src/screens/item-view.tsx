// One item: template fields, hidden fields revealed on demand, copy with auto-clear, live TOTP, history.
import type { Field, Item } from "@cryptex/core/vault/item.ts";
import { template } from "@cryptex/core/vault/templates.ts";
import { parseTotp, totp } from "@cryptex/core/vault/totp.ts";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { copySecret } from "../ui/clipboard.ts";
import { lazyComponent } from "../ui/lazy-component.tsx";

const ItemHistoryPanel = lazyComponent(() => import("./item-history-panel.tsx").then((m) => m.ItemHistoryPanel));

function labelOf(item: Item, f: Field): string {
  return template(item.type).fields.find((t) => t.name === f.name)?.label ?? f.name;
}

function Totp({ secret }: { secret: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  let code: { code: string; remaining: number };
  try {
    code = totp(parseTotp(secret), now);
  } catch {
    return <span class="error">Invalid one-time password secret</span>;
  }
  return (
    <span class="totp">
      <span class="mono">{code.code.replace(/^(\d{3})/, "$1 ")}</span> <span class="muted">{code.remaining}s</span>{" "}
      <button type="button" onClick={() => void copySecret(code.code)} aria-label="Copy one-time code">
        Copy
      </button>
    </span>
  );
}

function FieldRow({ item, field }: { item: Item; field: Field }) {
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState(false);
  const label = labelOf(item, field);
  const secret = field.kind === "hidden";
  const copy = async () => {
    await copySecret(field.value);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div class="field">
      <dt>{label}</dt>
      <dd>
        {field.kind === "totp" ? (
          <Totp secret={field.value} />
        ) : (
          <>
            <span class={`value ${field.kind === "note" ? "pre" : ""} ${secret ? "mono" : ""}`}>
              {secret && !shown ? "••••••••••" : field.value}
            </span>
            {secret && (
              <button
                type="button"
                onClick={() => setShown(!shown)}
                aria-label={`${shown ? "Hide" : "Reveal"} ${label}`}
                aria-pressed={shown}
              >
                {shown ? "Hide" : "Reveal"}
              </button>
            )}
            <button type="button" onClick={copy} aria-label={`Copy ${label}`}>
              {copied ? "Copied" : "Copy"}
            </button>
          </>
        )}
      </dd>
    </div>
  );
}

export function ItemView({
  item,
  onEdit,
  onTrash,
  onRestore,
  onPurge,
  onFavorite,
  onClose,
  onRestoreVersion,
  children,
}: {
  item: Item;
  /** sections shown below the fields (the attachments) */
  children?: ComponentChildren;
  onEdit: () => void;
  onTrash: () => void;
  onRestore: () => void;
  /** deletes for good (a tombstone that syncs); asked for only from the trash */
  onPurge: () => void;
  onFavorite: () => void;
  onClose: () => void;
  /** saves an earlier version's content as a new edit of this one */
  onRestoreVersion: (restored: Item) => void;
}) {
  const [history, setHistory] = useState(false);
  const [versions, setVersions] = useState(false);
  const [confirmPurge, setConfirmPurge] = useState(false);
  return (
    <article class="item-view" aria-labelledby="item-title">
      <header class="item-head">
        <button type="button" class="back" onClick={onClose} aria-label="Back to the list">
          ←
        </button>
        <div>
          <h2 id="item-title" tabIndex={-1}>
            {item.title || "(untitled)"}
          </h2>
          <p class="muted">
            {template(item.type).label}
            {item.conflictOf ? " · conflict copy" : ""}
            {item.trashedAt ? " · in trash" : ""}
          </p>
        </div>
      </header>
      <div class="row">
        {item.trashedAt === null ? (
          <>
            <button type="button" class="primary" onClick={onEdit}>
              Edit
            </button>
            <button type="button" onClick={onFavorite} aria-pressed={item.favorite}>
              {item.favorite ? "★ Favourite" : "☆ Favourite"}
            </button>
            <button type="button" onClick={onTrash}>
              Move to trash
            </button>
          </>
        ) : confirmPurge ? (
          <>
            <span role="alert">Delete “{item.title || "(untitled)"}” on every device? This cannot be undone.</span>
            <button type="button" class="danger" onClick={onPurge}>
              Delete forever
            </button>
            <button type="button" onClick={() => setConfirmPurge(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button type="button" class="primary" onClick={onRestore}>
              Restore
            </button>
            <button type="button" onClick={() => setConfirmPurge(true)}>
              Delete forever…
            </button>
          </>
        )}
      </div>
      <dl class="fields">
        {item.fields.map((f) => (
          <FieldRow key={f.name} item={item} field={f} />
        ))}
      </dl>
      {item.notes && (
        <section>
          <h3>Notes</h3>
          <p class="pre">{item.notes}</p>
        </section>
      )}
      {item.tags.length > 0 && (
        <p class="tags">
          {item.tags.map((t) => (
            <span class="tag" key={t}>
              {t}
            </span>
          ))}
        </p>
      )}
      {children}
      {item.history.length > 0 && (
        <section>
          <button type="button" onClick={() => setHistory(!history)} aria-expanded={history}>
            Password history ({item.history.length})
          </button>
          {history && (
            <ul class="history">
              {item.history.map((h) => (
                <li key={`${h.field}-${h.changedAt}`}>
                  <span class="mono">{h.value}</span>{" "}
                  <span class="muted">
                    {h.field}, changed {new Date(h.changedAt).toLocaleString()}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section class="versions-toggle">
        <button type="button" onClick={() => setVersions(!versions)} aria-expanded={versions}>
          History ({(item.versions?.length ?? 0) + 1} {item.versions?.length ? "versions" : "version"})
        </button>
        {versions && <ItemHistoryPanel item={item} onRestore={onRestoreVersion} />}
      </section>
      <p class="muted small">
        Updated {new Date(item.updatedAt).toLocaleString()} · version {item.rev}
      </p>
    </article>
  );
}
