// The vault: filters, instant search, a virtualised list and the item pane; sync status and lock in the bar.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/keys/ids.ts";
import { type Item, restoreItem, trashItem } from "@cryptex/core/vault/item.ts";
import { TEMPLATES, template } from "@cryptex/core/vault/templates.ts";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { IdbStore } from "../store/idb-store.ts";
import { Generator } from "../ui/generator.tsx";
import { VirtualList } from "../ui/virtual-list.tsx";
import { advancedSearch, asksWeak, usesAdvancedSearch } from "../vault/advanced-search.ts";
import { autoLockMinutes, useAutoLock } from "../vault/auto-lock.ts";
import { DeepSearchState, deepSearchEnabled } from "../vault/deep-search-state.ts";
import { allTags, createNarrowingSearch, type Filter, firstRows, prepareWhenIdle } from "../vault/filters.ts";
import { HealthState } from "../vault/health-state.ts";
import type { VaultSession } from "../vault/vault-session.ts";
import { ItemForm } from "./item-form.tsx";
import { ItemView } from "./item-view.tsx";
import { SecurityScreen } from "./security-screen.tsx";
import { SettingsPanel } from "./settings-panel.tsx";

type Pane =
  | { kind: "none" }
  | { kind: "view"; item: Item }
  | { kind: "edit"; item: Item | undefined }
  | { kind: "settings" }
  | { kind: "security" }
  | { kind: "generator" };

const filterKey = (f: Filter) => (f.kind === "type" ? `type:${f.type}` : f.kind === "tag" ? `tag:${f.tag}` : f.kind);
const parseFilter = (k: string): Filter =>
  k.startsWith("type:")
    ? { kind: "type", type: k.slice(5) }
    : k.startsWith("tag:")
      ? { kind: "tag", tag: k.slice(4) }
      : { kind: k as "all" | "favorites" | "trash" };

/** From this many entries, the first screen is painted before the whole list is sorted. */
const FIRST_SCREEN_FROM = 5000;

const searchTimes: number[] = [];
(globalThis as unknown as { cryptexSearchTimes: number[] }).cryptexSearchTimes = searchTimes;

export function VaultScreen({
  session,
  store,
  onLock,
  onSignedOut,
}: {
  session: VaultSession;
  store: IdbStore;
  onLock: (note?: string) => void;
  onSignedOut: () => void;
}) {
  const [version, setVersion] = useState(session.version);
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<Filter>({ kind: "all" });
  const [pane, setPane] = useState<Pane>({ kind: "none" });
  const [error, setError] = useState("");
  const [lockMinutes, setLockMinutes] = useState(autoLockMinutes());
  const typedAt = useRef(0);
  const search = useMemo(createNarrowingSearch, [session]);
  const [deepOn, setDeepOn] = useState(deepSearchEnabled);
  const [extraVersion, setExtraVersion] = useState(0); // the deep index or the weak list changed

  useEffect(() => session.subscribe(() => setVersion(session.version)), [session]);
  useEffect(() => {
    if (session.passwordChanged) onLock("Your account password was changed on another device. Unlock with the new password.");
  }, [version]);
  const lock = useCallback(() => onLock(), [onLock]);
  useAutoLock(lockMinutes, lock);

  // A long vault paints its first screen before the whole list is sorted ("settled" one frame later).
  const [settled, setSettled] = useState(session.entries.size < FIRST_SCREEN_FROM);
  const entries = useMemo(
    () =>
      !settled
        ? firstRows(session.entries.values(), filter, 60)
        : usesAdvancedSearch(query, deepOn)
          ? advancedSearch(
              session.entries.values(),
              filter,
              query,
              {
                deep: deepOn ? DeepSearchState.of(session).index : undefined,
                weak: HealthState.of(session).weakIds,
              },
              version,
            )
          : search(session.entries.values(), filter, query, version),
    [settled, version, filter, query, deepOn, extraVersion],
  );
  useEffect(() => {
    if (settled && deepOn)
      void DeepSearchState.of(session)
        .refresh()
        .then(() => setExtraVersion((n) => n + 1));
  }, [settled, deepOn, version]);
  useEffect(() => {
    if (settled && asksWeak(query))
      void HealthState.of(session)
        .run(false)
        .then(() => setExtraVersion((n) => n + 1));
  }, [settled, version, asksWeak(query)]);
  const tags = useMemo(() => (settled ? allTags(session.entries.values()) : []), [settled, version]);
  useLayoutEffect(() => {
    if (typedAt.current) {
      searchTimes.push(performance.now() - typedAt.current);
      typedAt.current = 0;
    }
  }, [entries]);
  useEffect(() => {
    performance.mark("cx-list-rendered");
    // After the first paint: the full list, then sync and the live channel, then search text when idle.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        setSettled(true);
        session.startBackground();
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  useEffect(() => {
    if (!settled) return;
    const signal = { stopped: false };
    prepareWhenIdle([...session.entries.values()], signal);
    return () => {
      signal.stopped = true;
    };
  }, [settled, version]);

  // A change synced in from another device refreshes the open item (unless it is being edited).
  useEffect(() => {
    if (pane.kind !== "view") return;
    const e = session.entries.get(pane.item.id);
    if (e && e.rev !== pane.item.rev) void session.readItem(pane.item.id).then((item) => setPane({ kind: "view", item }));
  }, [version]);

  async function openItem(id: ItemId): Promise<void> {
    setError("");
    try {
      setPane({ kind: "view", item: await session.readItem(id) });
    } catch {
      setError("This item could not be decrypted on this device.");
    }
  }

  async function save(item: Item): Promise<void> {
    await session.save(item);
    setPane({ kind: "view", item });
  }

  const syncLabel = session.syncState.message;
  const count = entries.length;
  const filterLabel =
    filter.kind === "type"
      ? (template(filter.type as never)?.label ?? filter.type)
      : filter.kind === "tag"
        ? `#${filter.tag}`
        : { all: "All items", favorites: "Favourites", trash: "Trash" }[filter.kind];

  const filterButton = (f: Filter, label: string) => (
    <li key={filterKey(f)}>
      <button
        type="button"
        class={`nav-item ${filterKey(f) === filterKey(filter) ? "active" : ""}`}
        aria-current={filterKey(f) === filterKey(filter) ? "true" : undefined}
        onClick={() => setFilter(f)}
      >
        {label}
      </button>
    </li>
  );

  return (
    <div class={`app ${pane.kind !== "none" ? "has-pane" : ""}`}>
      <header class="topbar">
        <span class="brand small">Cryptex</span>
        <div class="search">
          <label for="search">Search</label>
          <input
            id="search"
            type="search"
            autocomplete="off"
            spellcheck={false}
            value={query}
            onInput={(e) => {
              typedAt.current = performance.now();
              setQuery(e.currentTarget.value);
            }}
          />
          <label class="check deep-toggle" title="Also search notes and custom fields (an encrypted index kept on this device)">
            <input
              type="checkbox"
              checked={deepOn}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setDeepOn(on);
                void DeepSearchState.of(session)
                  .setEnabled(on)
                  .then(() => setExtraVersion((n) => n + 1));
              }}
            />{" "}
            Deep
          </label>
        </div>
        <span class={`sync sync-${session.syncState.status}`} role="status" aria-live="polite" data-status={session.syncState.status}>
          {syncLabel}
        </span>
        <div class="actions">
          <button type="button" class="primary" onClick={() => setPane({ kind: "edit", item: undefined })}>
            Add item
          </button>
          <button type="button" onClick={() => setPane({ kind: "generator" })}>
            Generator
          </button>
          <button type="button" onClick={() => setPane({ kind: "security" })}>
            Security
          </button>
          <button type="button" onClick={() => setPane({ kind: "settings" })}>
            Settings
          </button>
          <button type="button" onClick={() => onLock()}>
            Lock
          </button>
        </div>
      </header>
      <nav class="sidebar" aria-label="Filters">
        <ul>
          {filterButton({ kind: "all" }, "All items")}
          {filterButton({ kind: "favorites" }, "Favourites")}
        </ul>
        <h3>Types</h3>
        <ul>{TEMPLATES.map((t) => filterButton({ kind: "type", type: t.type }, t.label))}</ul>
        {tags.length > 0 && <h3>Tags</h3>}
        <ul>{tags.slice(0, 200).map((t) => filterButton({ kind: "tag", tag: t }, `#${t}`))}</ul>
        <ul>{filterButton({ kind: "trash" }, "Trash")}</ul>
      </nav>
      <section class="list-pane" aria-label="Items">
        <div class="list-head">
          <label for="filter-select" class="narrow-only">
            Show
          </label>
          <select
            id="filter-select"
            class="narrow-only"
            value={filterKey(filter)}
            onChange={(e) => setFilter(parseFilter(e.currentTarget.value))}
          >
            <option value="all">All items</option>
            <option value="favorites">Favourites</option>
            {TEMPLATES.map((t) => (
              <option key={t.type} value={`type:${t.type}`}>
                {t.label}
              </option>
            ))}
            {tags.slice(0, 200).map((t) => (
              <option key={t} value={`tag:${t}`}>
                #{t}
              </option>
            ))}
            <option value="trash">Trash</option>
          </select>
          <span class="muted" aria-live="polite">
            {filterLabel}: {count.toLocaleString()} {count === 1 ? "item" : "items"}
          </span>
        </div>
        {session.conflicts.length > 0 && (
          <p class="note" role="status">
            {session.conflicts.length} conflicting edit(s) were kept as “conflict copy” items: review and delete the one you do not need.
          </p>
        )}
        {session.quarantined.length > 0 && (
          <p class="error" role="alert">
            {session.quarantined.length} item(s) from the server failed verification and were not shown.
          </p>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {count === 0 ? (
          <p class="empty">
            {query
              ? "No items match your search."
              : filter.kind === "trash"
                ? "The trash is empty."
                : "No items yet. Use “Add item” to save your first password."}
          </p>
        ) : (
          <VirtualList<IndexEntry>
            items={entries}
            rowHeight={56}
            label="Items"
            renderRow={(e) => (
              <button
                type="button"
                class={`row-button ${pane.kind === "view" && pane.item.id === e.id ? "selected" : ""}`}
                onClick={() => void openItem(e.id)}
              >
                <span class={`type-badge t-${e.type}`} aria-hidden="true">
                  {template(e.type).label.slice(0, 1)}
                </span>
                <span class="row-text">
                  <span class="row-title">
                    {e.favorite ? "★ " : ""}
                    {e.title || "(untitled)"}
                  </span>
                  <span class="row-sub">
                    {e.conflictOf
                      ? "Conflict copy — the other version of an item edited on two devices"
                      : e.subtitle || template(e.type).label}
                  </span>
                </span>
              </button>
            )}
          />
        )}
      </section>
      <section class="detail-pane" aria-label="Details">
        {pane.kind === "view" && (
          <ItemView
            item={pane.item}
            onClose={() => setPane({ kind: "none" })}
            onEdit={() => setPane({ kind: "edit", item: pane.item })}
            onFavorite={() => void save({ ...pane.item, favorite: !pane.item.favorite, rev: pane.item.rev + 1, updatedAt: Date.now() })}
            onTrash={() => void save(trashItem(pane.item))}
            onRestore={() => void save(restoreItem(pane.item))}
            onPurge={() => void session.purge(pane.item.id).then(() => setPane({ kind: "none" }))}
          />
        )}
        {pane.kind === "edit" && (
          <ItemForm
            item={pane.item}
            onSave={save}
            onCancel={() => setPane(pane.item ? { kind: "view", item: pane.item } : { kind: "none" })}
          />
        )}
        {pane.kind === "settings" && (
          <SettingsPanel
            session={session}
            store={store}
            lockMinutes={lockMinutes}
            onLockMinutes={setLockMinutes}
            onClose={() => setPane({ kind: "none" })}
            onLock={onLock}
            onSignedOut={onSignedOut}
          />
        )}
        {pane.kind === "security" && (
          <SecurityScreen session={session} onClose={() => setPane({ kind: "none" })} onOpenItem={(id) => void openItem(id)} />
        )}
        {pane.kind === "generator" && (
          <div>
            <header class="item-head">
              <button type="button" class="back" onClick={() => setPane({ kind: "none" })} aria-label="Back to the list">
                ←
              </button>
              <h2>Password generator</h2>
            </header>
            <Generator />
          </div>
        )}
        {pane.kind === "none" && <p class="empty wide-only">Select an item to see its details.</p>}
      </section>
    </div>
  );
}
