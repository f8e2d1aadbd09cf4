// The vault: filters, instant search, a virtualised list and the item pane; sync status and lock in the bar.
// Each pane has a URL hash (nav/route.ts): Back and Forward move inside the app, a dirty form asks before it
// is left, and keyboard shortcuts (ui/shortcuts-dialog.tsx) work wherever no text field has the focus.
import type { IndexEntry } from "@cryptex/core/formats/vault-index.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import type { SaveResult } from "@cryptex/core/sync/engine.ts";
import { folderTree } from "@cryptex/core/vault/folders.ts";
import { type Item, restoreItem, trashItem } from "@cryptex/core/vault/item.ts";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Route } from "../nav/route.ts";
import { isTextField, shortcutOf } from "../nav/shortcut.ts";
import { useHashRoute } from "../nav/use-hash-route.ts";
import type { IdbStore } from "../store/idb-store.ts";
import { copySecret } from "../ui/clipboard.ts";
import { Generator } from "../ui/generator.tsx";
import { lazyComponent } from "../ui/lazy-component.tsx";
import { ShortcutsDialog } from "../ui/shortcuts-dialog.tsx";
import { advancedSearch, asksWeak, usesAdvancedSearch } from "../vault/advanced-search.ts";
import { autoLockMinutes, useAutoLock } from "../vault/auto-lock.ts";
import { DeepSearchState, deepSearchEnabled } from "../vault/deep-search-state.ts";
import { allTags, createNarrowingSearch, type Filter } from "../vault/filters.ts";
import type { VaultSession } from "../vault/vault-session.ts";
import { ItemForm } from "./item-form.tsx";
import { FilterNav, ItemList } from "./item-list.tsx";
import { ItemView } from "./item-view.tsx";
import { SettingsPanel } from "./settings-panel.tsx";
import { SignedOutNotice } from "./signed-out-notice.tsx";

// The Security page and the health report (zxcvbn's dictionaries) load on first use, not with the vault.
const AttachmentsPanel = lazyComponent(() => import("./attachments-panel.tsx").then((m) => m.AttachmentsPanel));
const SecurityScreen = lazyComponent(() => import("./security-screen.tsx").then((m) => m.SecurityScreen));

/** From this many entries, the first screen is painted before the whole list is sorted. */
const FIRST_SCREEN_FROM = 5000;

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
  onSignedOut: () => Promise<void>;
}) {
  const [version, setVersion] = useState(session.version);
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<Filter>({ kind: "all" });
  // `nav` is bumped on every navigation: revealed passwords and open history belong to one view of one item
  const { route, nav, setDirty, mayLeave, go, current } = useHashRoute();
  /** the decrypted item of an item or edit route */
  const [loaded, setItem] = useState<Item | undefined>();
  // an item read for an earlier route is never shown under this one
  const item = loaded && loaded.id === routeItemId(route) ? loaded : undefined;
  const [help, setHelp] = useState(false);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState("");
  const latest = useRef(item);
  latest.current = item;
  /** the item last shown, whose row takes the focus back on the list */
  const lastItem = useRef<string | undefined>(undefined);
  const searchBox = useRef<HTMLInputElement>(null);
  const detail = useRef<HTMLElement>(null);
  const [lockMinutes, setLockMinutes] = useState(autoLockMinutes());
  const typedAt = useRef(0);
  const search = useMemo(createNarrowingSearch, [session]);
  const [deepOn, setDeepOn] = useState(deepSearchEnabled);
  const [extraVersion, setExtraVersion] = useState(0); // the deep index changed
  /** items with a weak password, for is:weak (the health report, loaded and computed when first asked) */
  const [weakIds, setWeakIds] = useState<ReadonlySet<ItemId> | undefined>();

  useEffect(() => session.subscribe(() => setVersion(session.version)), [session]);
  useEffect(() => {
    if (session.passwordChanged) onLock("Your account password was changed on another device. Unlock with the new password.");
  }, [version]);
  const lock = useCallback(() => onLock(), [onLock]);
  useAutoLock(lockMinutes, lock);

  // A long vault paints its first screen before any entry but its first rows is built and the whole list is
  // sorted ("settled" one frame later): core reads the titles from the opened index (listHead).
  const [first] = useState(() => session.firstScreen());
  const [settled, setSettled] = useState(first.count < FIRST_SCREEN_FROM);
  const entries = useMemo(
    () =>
      !settled
        ? Object.assign(new Array<IndexEntry | undefined>(first.count), first.head)
        : usesAdvancedSearch(query, deepOn)
          ? advancedSearch(
              session.entries.values(),
              filter,
              query,
              {
                deep: deepOn ? DeepSearchState.of(session).index : undefined,
                weak: weakIds,
              },
              session.rowsVersion,
            )
          : search(session.entries.values(), filter, query, session.rowsVersion),
    [settled, version, filter, query, deepOn, extraVersion, weakIds],
  );
  useEffect(() => {
    if (settled && deepOn)
      void DeepSearchState.of(session)
        .refresh()
        .then(() => setExtraVersion((n) => n + 1))
        .catch(() => undefined); // locked meanwhile: the worker closed the vault
  }, [settled, deepOn, version]);
  useEffect(() => {
    if (settled && asksWeak(query))
      void import("../vault/health-state.ts")
        .then((m) => m.HealthState.of(session).run(false))
        .then((report) => setWeakIds(new Set(report.weak.map((x) => x.id))))
        .catch(() => undefined);
  }, [settled, version, asksWeak(query)]);
  const tags = useMemo(() => (settled ? allTags(session.entries.values()) : []), [settled, version]);
  const folders = useMemo(() => (settled ? folderTree(session.entries.values()) : []), [settled, version]);
  useLayoutEffect(() => {
    if (typedAt.current) {
      searchTimes.push(performance.now() - typedAt.current);
      typedAt.current = 0;
    }
  }, [entries, query]); // a key that leaves the matches as they were (a space) renders too, with the same list
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
    search.prepareWhenIdle(signal);
    return () => {
      signal.stopped = true;
    };
  }, [settled, version]);

  useEffect(() => setNotice(""), [nav]);

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
        setDirty(false);
        go({ screen: "list" }, "replace");
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
    if (e && e.rev !== item.rev) void session.readItem(item.id).then((it) => current() === route && setItem(it));
  }, [version]);

  // Focus moves into a pane when it opens; back on the list, to the row of the item just left. Before paint
  // (a layout effect): moved after it, the focus could take back a field the person had already clicked, and
  // what they typed next went into the title.
  const focusedNav = useRef(0);
  useLayoutEffect(() => {
    if (itemId) lastItem.current = itemId;
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

  /** what the last write of the open item did, when it was more than a plain save */
  const [saveNote, setSaveNote] = useState<SaveResult | undefined>();
  useEffect(() => {
    if (routeItemId(route) !== saveNoteFor.current) setSaveNote(undefined);
  }, [nav]);
  const saveNoteFor = useRef<string | undefined>(undefined);

  /** Every write names the version it was made from (`base`): the engine merges or keeps a newer one. */
  async function save(saved: Item, base: Item | null): Promise<void> {
    const result = await session.save(saved, base);
    setDirty(false);
    saveNoteFor.current = saved.id;
    setSaveNote(result.kind === "saved" ? undefined : result);
    const shown = result.kind === "saved" ? saved : await session.readItem(saved.id);
    if (current().screen === "item") setItem(shown);
    else go({ screen: "item", id: saved.id }, "replace");
  }

  async function purge(base: Item): Promise<void> {
    const result = await session.purge(base.id, base);
    saveNoteFor.current = undefined;
    setSaveNote(result.kind === "saved" ? undefined : result);
    go({ screen: "list" }, "replace");
  }

  function cancelForm(): void {
    const r = current();
    go(r.screen === "edit" ? { screen: "item", id: r.id } : { screen: "list" }, "replace");
  }

  /** Lock asked for by the user (button, Ctrl/Cmd+L): a dirty form asks first; the idle lock does not wait. */
  function lockNow(): void {
    if (mayLeave()) onLock();
  }

  async function copyField(which: "password" | "username"): Promise<void> {
    const it = latest.current;
    if (current().screen !== "item" || !it) return;
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
    if (e.defaultPrevented) return;
    const shortcut = shortcutOf({
      key: e.key,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      altKey: e.altKey,
      shiftKey: e.shiftKey,
      typing: isTextField(e.target),
      // asked of the page: the dialog closes (Escape) a moment before its state says so
      dialogOpen: !!document.querySelector("dialog[open]"),
    });
    const r = current();
    const it = latest.current;
    if (!shortcut) return;
    if (shortcut === "escape") {
      if (e.target === searchBox.current && query) {
        setQuery("");
        return;
      }
      if (r.screen === "list") return;
      if (r.screen === "edit" || r.screen === "new") cancelForm();
      else go({ screen: "list" });
    } else if (shortcut === "edit") {
      if (r.screen !== "item" || !it || it.trashedAt !== null) return;
      go({ screen: "edit", id: r.id });
    } else if (shortcut === "lock") lockNow();
    else if (shortcut === "search") searchBox.current?.focus();
    else if (shortcut === "new") go({ screen: "new" });
    else if (shortcut === "copy-password") void copyField("password");
    else if (shortcut === "copy-username") void copyField("username");
    else if (shortcut === "help") setHelp(true);
    e.preventDefault();
  }
  const keys = useRef(onKey);
  keys.current = onKey;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    addEventListener("keydown", listener);
    return () => removeEventListener("keydown", listener);
  }, []);

  const syncLabel = session.syncState.message;
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
      {(session.syncState.status === "signed-out" || session.refused.length > 0) && (
        <div class="sync-notices">
          {session.syncState.status === "signed-out" && <SignedOutNotice session={session} />}
          {session.refused.length > 0 && (
            <p class="error" role="alert">
              {session.refused.length} item(s) could not be sent to the server (too large to sync, or refused). They stay on this device:{" "}
              {session.refused.slice(0, 5).map((r) => (
                <button key={r.id} type="button" class="link" onClick={() => go({ screen: "item", id: r.id })}>
                  {session.entries.get(r.id)?.title || r.id}
                </button>
              ))}
            </p>
          )}
        </div>
      )}
      <main class="panes">
        <ItemList
          entries={entries}
          filter={filter}
          onFilter={setFilter}
          tags={tags}
          folders={folders}
          query={query}
          selectedId={selectedId}
          onOpen={(id) => go({ screen: "item", id }, current().screen === "item" ? "replace" : "push")}
          conflicts={session.conflicts.length}
          quarantined={session.quarantined.length}
          error={error}
        />
        <section class="detail-pane" aria-label="Details" ref={detail}>
          {notice && (
            <p class="ok notice" role="status">
              {notice}
            </p>
          )}
          {saveNote && (route.screen === "item" || route.screen === "list") && (
            <p class="note save-note" role="status">
              {saveNote.kind === "merged"
                ? "Saved and merged with a newer version from another device: each of you changed different fields, both changes are kept."
                : "Saved. Another device changed the same field meanwhile: its version was kept as a conflict copy. "}
              {saveNote.kind === "conflict" && (
                <button type="button" class="link" onClick={() => go({ screen: "item", id: saveNote.copyId })}>
                  Open the conflict copy
                </button>
              )}
            </p>
          )}
          {route.screen === "item" && item && (
            <ItemView
              key={nav}
              item={item}
              onClose={() => go({ screen: "list" })}
              onEdit={() => go({ screen: "edit", id: item.id })}
              onFavorite={() => void save({ ...item, favorite: !item.favorite, rev: item.rev + 1, updatedAt: Date.now() }, item)}
              onTrash={() => void save(trashItem(item), item)}
              onRestore={() => void save(restoreItem(item), item)}
              onPurge={() => void purge(item)}
              onRestoreVersion={(restored) => void save(restored, item)}
            >
              {item.trashedAt === null && <AttachmentsPanel item={item} session={session} onSaved={setItem} />}
            </ItemView>
          )}
          {((route.screen === "edit" && item) || route.screen === "new") && (
            <ItemForm
              key={nav}
              item={route.screen === "edit" ? item : undefined}
              onSave={(edited) => save(edited, route.screen === "edit" ? (item ?? null) : null)}
              onCancel={cancelForm}
              onDirty={setDirty}
            />
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
              onSecurity={() => go({ screen: "security" })}
            />
          )}
          {route.screen === "security" && (
            <SecurityScreen session={session} onClose={() => go({ screen: "list" })} onOpenItem={(id) => go({ screen: "item", id })} />
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
      <FilterNav
        filter={filter}
        onFilter={setFilter}
        tags={tags}
        folders={folders}
        onSecurity={() => go({ screen: "security" })}
        securityOpen={route.screen === "security"}
      />
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
