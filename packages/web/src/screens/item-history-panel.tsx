// An item's saved versions: when and on which device each was saved, what changed (secrets masked until
// revealed), and "Restore this version", which saves a new edit (loaded on first use: off the entry script).
import type { Item } from "@cryptex/core/vault/item.ts";
import { type ItemHistoryEntry, itemHistory } from "@cryptex/core/vault/item-versions.ts";
import { template } from "@cryptex/core/vault/templates.ts";
import { diffVersions, restoreVersion, type VersionChange } from "@cryptex/core/vault/version-diff.ts";
import { useState } from "preact/hooks";

const MASK = "••••••••";
const when = (ms: number) => new Date(ms).toLocaleString();
const LABELS: Record<VersionChange["change"], string> = { added: "added", removed: "removed", changed: "changed" };
const PARTS: Record<Exclude<VersionChange["part"], "field">, string> = {
  title: "Title",
  notes: "Notes",
  tags: "Tags",
  favorite: "Favourite",
  folder: "Folder",
  trash: "Trash",
};

/** The name a person sees: the template's label for a standard field ("Password"), else the field's own name. */
function labelOf(item: Item, c: VersionChange): string {
  if (c.part !== "field") return PARTS[c.part];
  return template(item.type).fields.find((t) => t.name === c.name.toLowerCase())?.label ?? c.name;
}

function summary(entries: readonly ItemHistoryEntry[], i: number): string {
  if (i === 0) return "oldest version kept";
  const names = diffVersions(entries[i - 1]!.version, entries[i]!.version).map((c) => c.name);
  return names.length ? `changed ${names.join(", ")}` : "no change";
}

function Value({ text, secret, reveal }: { text: string | undefined; secret: boolean; reveal: boolean }) {
  if (text === undefined) return <span class="muted">—</span>;
  return <span class={`value pre ${secret ? "mono" : ""}`}>{secret && !reveal ? MASK : text}</span>;
}

function DiffTable({ item, changes, reveal }: { item: Item; changes: readonly VersionChange[]; reveal: boolean }) {
  if (changes.length === 0) return <p class="muted">Same content as the current version.</p>;
  return (
    <table class="diff">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Change</th>
          <th scope="col">This version</th>
          <th scope="col">Current version</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={`${c.part}:${c.name}`} class={`diff-${c.change}`}>
            <th scope="row">{labelOf(item, c)}</th>
            <td>{LABELS[c.change]}</td>
            <td>
              <Value text={c.before} secret={c.secret} reveal={reveal} />
            </td>
            <td>
              <Value text={c.after} secret={c.secret} reveal={reveal} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ItemHistoryPanel({ item, onRestore }: { item: Item; onRestore: (restored: Item) => void }) {
  const entries = itemHistory(item);
  const [chosen, setChosen] = useState<number | undefined>(entries.length > 1 ? entries.length - 1 : undefined);
  const [reveal, setReveal] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const picked = chosen === undefined ? undefined : entries[chosen - 1];
  const current = entries.at(-1)!;
  const changes = picked ? diffVersions(picked.version, current.version) : [];
  return (
    <section class="item-history" aria-labelledby="item-history-title">
      <h3 id="item-history-title">History</h3>
      {entries.length === 1 ? (
        <p class="muted">No earlier versions yet: each save keeps the version it replaces.</p>
      ) : (
        <ol class="versions" reversed>
          {[...entries].reverse().map((e) => (
            <li key={e.number}>
              <button
                type="button"
                class={`row-button ${e.number === chosen ? "selected" : ""}`}
                aria-pressed={e.number === chosen}
                disabled={e.current}
                onClick={() => {
                  setChosen(e.number);
                  setConfirming(false);
                }}
              >
                <span class="row-text">
                  <span class="row-title">
                    Version {e.number}
                    {e.current ? " (current)" : ""}
                  </span>
                  <span class="row-sub">
                    {when(e.version.savedAt)} · {e.version.savedBy || "unknown device"} · {summary(entries, e.number - 1)}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
      {picked && (
        <div class="version-diff" aria-live="polite">
          <h4>Version {picked.number} compared with the current version</h4>
          <div class="row">
            {changes.some((c) => c.secret) && (
              <button type="button" onClick={() => setReveal(!reveal)} aria-pressed={reveal}>
                {reveal ? "Hide secrets" : "Reveal secrets"}
              </button>
            )}
          </div>
          <DiffTable item={item} changes={changes} reveal={reveal} />
          {confirming ? (
            <div class="row">
              <span role="alert">Restore version {picked.number}? It is saved as a new version; the current one stays in the history.</span>
              <button
                type="button"
                class="primary"
                onClick={() => {
                  setConfirming(false);
                  onRestore(restoreVersion(item, picked.version));
                }}
              >
                Restore
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          ) : (
            <div class="row">
              <button type="button" onClick={() => setConfirming(true)} disabled={changes.length === 0}>
                Restore this version…
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
