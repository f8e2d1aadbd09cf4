// The vault: filters, instant search, a virtualised list and the item pane; sync status and lock in the bar.
// Each pane has a URL hash (nav/route.ts): Back and Forward move inside the app, a dirty form asks before it
// is left, and keyboard shortcuts (ui/shortcuts-dialog.tsx) work wherever no text field has the focus.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/keys/ids.ts";
import { type Item, restoreItem, trashItem } from "@cryptex/core/vault/item.ts";
import { TEMPLATES, template } from "@cryptex/core/vault/templates.ts";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { parseRoute, type Route, routeHash } from "../nav/route.ts";
import type { IdbStore } from "../store/idb-store.ts";
import { copySecret } from "../ui/clipboard.ts";
import { Generator } from "../ui/generator.tsx";
import { ShortcutsDialog } from "../ui/shortcuts-dialog.tsx";
import { VirtualList } from "../ui/virtual-list.tsx";
import { autoLockMinutes, useAutoLock } from "../vault/auto-lock.ts";
import { allTags, createNarrowingSearch, type Filter, firstRows, prepareWhenIdle } from "../vault/filters.ts";
import type { VaultSession } from "../vault/vault-session.ts";
import { ItemForm } from "./item-form.tsx";
import { ItemView } from "./item-view.tsx";
import { SettingsPanel } from "./settings-panel.tsx";

const filterKey = (f: Filter) => (f.kind === "type" ? `type:${f.type}` : f.kind === "tag" ? `tag:${f.tag}` : f.kind);
const parseFilter = (k: string): Filter =>
  k.startsWith("type:")
    ? { kind: "type", type: k.slice(5) }
    : k.startsWith("tag:")
      ? { kind: "tag", tag: k.slice(4) }
      : { kind: k as "all" | "favorites" | "trash" };

/** From this many entries, the first screen is painted before the whole list is sorted. */
const FIRST_SCREEN_FROM = 5000;

const DISCARD = "Discard your unsaved changes?";
const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable ||
    t.tagName === "TEXTAREA" ||
    t.tagName === "SELECT" ||
    (t.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes((t as HTMLInputElement).type)));
const routeItemId = (r: Route) => (r.screen === "item" || r.screen === "edit" ? (r.id as ItemId) : undefined);

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
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  /** bumped on every navigation: revealed passwords and open history belong to one view of one item */
  const [nav, setNav] = useState(0);
  /** the decrypted item of an item or edit route */
  const [loaded, setItem] = useState<Item | undefined>();
  // an item read for an earlier route is never shown under this one
  const item = loaded && loaded.id === routeItemId(route) ? loaded : undefined;
  const [dirty, setDirty] = useState(false);
  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState("");
  const latest = useRef({ route, dirty, item });
  latest.current = { route, dirty, item };
  const lastItem = useRef<string | undefined>(undefined);
  const searchBox = useRef<HTMLInputElement>(null);
  const detail = useRef<HTMLElement>(null);
  const [lockMinutes, setLockMinutes] = useState(autoLockMinutes());
  const typedAt = useRef(0);
  const search = useMemo(createNarrowingSearch, [session]);

  useEffect(() => session.subscribe(() => setVersion(session.version)), [session]);
  useEffect(() => {
    if (session.passwordChanged) onLock("Your account password was changed on another device. Unlock with the new password.");
  }, [version]);
  const lock = useCallback(() => onLock(), [onLock]);
  useAutoLock(lockMinutes, lock);

  // A long vault paints its first screen before the whole list is sorted ("settled" one frame later).
  const [settled, setSettled] = useState(session.entries.size < FIRST_SCREEN_FROM);
  const entries = useMemo(
    () => (settled ? search(session.entries.values(), filter, query, version) : firstRows(session.entries.values(), filter, 60)),
    [settled, version, filter, query],
  );
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

  /** Shows a route that is already in the address bar. */
  function show(r: Route): void {
    const id = routeItemId(latest.current.route);
    if (id) lastItem.current = id;
    latest.current.dirty = false;
    setDirty(false);
    setRoute(r);
    setNav((n) => n + 1);
    setNotice("");
  }

  /** Moves to another pane: a new history entry (Back returns), or in place of this one after a save or cancel. */
  function go(r: Route, how: "push" | "replace" = "push"): void {
    if (latest.current.dirty && !window.confirm(DISCARD)) return;
    if (how === "push") history.pushState(null, "", routeHash(r));
    else history.replaceState(null, "", routeHash(r));
    show(r);
  }

  useEffect(() => {
    // this screen's address replaces the lock screen's (so Back never returns to a lock screen)
    history.replaceState(null, "", routeHash(latest.current.route));
    const onPop = () => {
      if (latest.current.dirty && !window.confirm(DISCARD)) {
        history.pushState(null, "", routeHash(latest.current.route)); // stay on the form
        return;
      }
      show(parseRoute(location.hash));
    };
    const onUnload = (e: BeforeUnloadEvent) => {
      if (latest.current.dirty) e.preventDefault();
    };
    addEventListener("popstate", onPop);
    addEventListener("beforeunload", onUnload);
    return () => {
      removeEventListener("popstate", onPop);
      removeEventListener("beforeunload", onUnload);
    };
  }, []);

  // The item of the route, decrypted when the route changes (not kept across navigations).
  const itemId = routeItemId(route);
  useEffect(() => {
    setItem((it) => (it?.id === itemId ? it : undefined)); // the same item stays on screen while it is read again
    setError("");
    if (!itemId) return;
    let live = true;
    session.readItem(itemId).then(
      (it) => live && setItem(it),
      () => {
        if (!live) return;
        history.replaceState(null, "", routeHash({ screen: "list" }));
        show({ screen: "list" });
        setError(session.entries.has(itemId) ? "This item could not be decrypted on this device." : "This item does not exist (any more).");
      },
    );
    return () => {
      live = false;
    };
  }, [itemId, nav]);

  // A change synced in from another device refreshes the open item (not the edit form: the save merges).
  useEffect(() => {
    if (route.screen !== "item" || !item) return;
    const e = session.entries.get(item.id);
    if (e && e.rev !== item.rev) void session.readItem(item.id).then((it) => latest.current.route === route && setItem(it));
  }, [version]);

  // Focus moves into a pane when it opens; back on the list, to the row of the item just left.
  const focusedNav = useRef(0);
  useEffect(() => {
    if (focusedNav.current === nav || (itemId && !item)) return;
    focusedNav.current = nav;
    if (route.screen === "list") {
      const row = lastItem.current && document.querySelector<HTMLElement>(`[data-id="${lastItem.current}"]`);
      (row || searchBox.current)?.focus();
      return;
    }
    const pane = detail.current;
    (pane?.querySelector<HTMLElement>("[data-autofocus]") ?? pane?.querySelector<HTMLElement>("h2"))?.focus();
  });

  async function save(saved: Item): Promise<void> {
    await session.save(saved);
    latest.current.dirty = false;
    setDirty(false);
    if (latest.current.route.screen === "item") setItem(saved);
    else go({ screen: "item", id: saved.id }, "replace");
  }

  function cancelForm(): void {
    const r = latest.current.route;
    go(r.screen === "edit" ? { screen: "item", id: r.id } : { screen: "list" }, "replace");
  }

  /** Lock asked for by the user (button, Ctrl/Cmd+L): a dirty form asks first; the idle lock does not wait. */
  function lockNow(): void {
    if (latest.current.dirty && !window.confirm(DISCARD)) return;
    onLock();
  }

  async function copyField(which: "password" | "username"): Promise<void> {
    const it = latest.current.item;
    if (latest.current.route.screen !== "item" || !it) return;
    const f =
      which === "password"
        ? (it.fields.find((x) => x.name === "password") ?? it.fields.find((x) => x.kind === "hidden"))
        : (it.fields.find((x) => x.name === "username") ?? it.fields.find((x) => x.kind === "email"));
    if (!f?.value) return setNotice(`This item has no ${which}.`);
    try {
      await copySecret(f.value);
      setNotice(`${which === "password" ? "Password" : "Username"} copied. The clipboard is cleared in 30 seconds.`);
    } catch {
      setNotice("The browser did not allow copying.");
    }
  }

  function onKey(e: KeyboardEvent): void {
    const { route: r, item: it } = latest.current;
    // an open dialog handles its own keys (Escape closes it); asked of the page, as the state follows a moment later
    if (e.defaultPrevented || document.querySelector("dialog[open]")) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "l") {
      e.preventDefault();
      lockNow();
      return;
    }
    if (e.key === "Escape") {
      if (e.target === searchBox.current && query) {
        setQuery("");
        return;
      }
      if (r.screen === "list") return;
      e.preventDefault();
      if (r.screen === "edit" || r.screen === "new") cancelForm();
      else go({ screen: "list" });
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const act = (fn: () => void) => {
      e.preventDefault();
      fn();
    };
    if (e.key === "/") act(() => searchBox.current?.focus());
    else if (e.key === "n") act(() => go({ screen: "new" }));
    else if (e.key === "e" && r.screen === "item" && it && it.trashedAt === null) act(() => go({ screen: "edit", id: r.id }));
    else if (e.key === "c") act(() => void copyField("password"));
    else if (e.key === "u") act(() => void copyField("username"));
    else if (e.key === "?") act(() => setHelp(true));
  }
  const keys = useRef(onKey);
  keys.current = onKey;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    addEventListener("keydown", listener);
    return () => removeEventListener("keydown", listener);
  }, []);

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

  const selectedId = itemId;
  const open = route.screen !== "list";
  return (
    <div class={`app ${open ? "has-pane" : ""}`}>
      <header class="topbar">
        <h1 class="brand small">Cryptex</h1>
        <search class="search">
          <label for="search">Search</label>
          <input
            id="search"
            ref={searchBox}
            type="search"
            autocomplete="off"
            spellcheck={false}
            aria-keyshortcuts="/"
            value={query}
            onInput={(e) => {
              typedAt.current = performance.now();
              setQuery(e.currentTarget.value);
            }}
            onKeyDown={(e) => {
              if (e.key !== "ArrowDown" && e.key !== "Enter") return;
              e.preventDefault();
              document.querySelector<HTMLElement>(".vlist .row-button")?.focus();
            }}
          />
        </search>
        <span class={`sync sync-${session.syncState.status}`} role="status" aria-live="polite" data-status={session.syncState.status}>
          {syncLabel}
        </span>
        <div class="actions">
          <button type="button" class="primary" aria-keyshortcuts="n" onClick={() => go({ screen: "new" })}>
            Add item
          </button>
          <button type="button" onClick={() => go({ screen: "generator" })}>
            Generator
          </button>
          <button type="button" onClick={() => go({ screen: "settings" })}>
            Settings
          </button>
          <button type="button" aria-keyshortcuts="Control+L Meta+L" onClick={lockNow}>
            Lock
          </button>
          <button type="button" class="wide-only" aria-keyshortcuts="?" aria-label="Keyboard shortcuts" onClick={() => setHelp(true)}>
            ?
          </button>
        </div>
      </header>
      <main class="panes">
        <section class="list-pane" aria-labelledby="list-title">
          <div class="list-head">
            <h2 id="list-title" class="sr-only">
              Items
            </h2>
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
                  data-id={e.id}
                  class={`row-button ${selectedId === e.id ? "selected" : ""}`}
                  aria-current={selectedId === e.id ? "true" : undefined}
                  onClick={() => go({ screen: "item", id: e.id }, latest.current.route.screen === "item" ? "replace" : "push")}
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
        <section class="detail-pane" aria-label="Details" ref={detail}>
          {notice && (
            <p class="ok notice" role="status">
              {notice}
            </p>
          )}
          {route.screen === "item" && item && (
            <ItemView
              key={nav}
              item={item}
              onClose={() => go({ screen: "list" })}
              onEdit={() => go({ screen: "edit", id: item.id })}
              onFavorite={() => void save({ ...item, favorite: !item.favorite, rev: item.rev + 1, updatedAt: Date.now() })}
              onTrash={() => void save(trashItem(item))}
              onRestore={() => void save(restoreItem(item))}
              onPurge={() => void session.purge(item.id).then(() => go({ screen: "list" }, "replace"))}
            />
          )}
          {((route.screen === "edit" && item) || route.screen === "new") && (
            <ItemForm key={nav} item={route.screen === "edit" ? item : undefined} onSave={save} onCancel={cancelForm} onDirty={setDirty} />
          )}
          {route.screen === "settings" && (
            <SettingsPanel
              session={session}
              store={store}
              lockMinutes={lockMinutes}
              onLockMinutes={setLockMinutes}
              onClose={() => go({ screen: "list" })}
              onLock={onLock}
              onSignedOut={onSignedOut}
            />
          )}
          {route.screen === "generator" && (
            <div>
              <header class="item-head">
                <button type="button" class="back" onClick={() => go({ screen: "list" })} aria-label="Back to the list">
                  ←
                </button>
                <h2 tabIndex={-1}>Password generator</h2>
              </header>
              <Generator />
            </div>
          )}
          {route.screen === "list" && <p class="empty wide-only">Select an item to see its details.</p>}
        </section>
      </main>
      <nav class="sidebar" aria-label="Filters">
        <ul>
          {filterButton({ kind: "all" }, "All items")}
          {filterButton({ kind: "favorites" }, "Favourites")}
        </ul>
        <h2 class="side-head">Types</h2>
        <ul>{TEMPLATES.map((t) => filterButton({ kind: "type", type: t.type }, t.label))}</ul>
        {tags.length > 0 && <h2 class="side-head">Tags</h2>}
        <ul>{tags.slice(0, 200).map((t) => filterButton({ kind: "tag", tag: t }, `#${t}`))}</ul>
        <ul>{filterButton({ kind: "trash" }, "Trash")}</ul>
      </nav>
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
