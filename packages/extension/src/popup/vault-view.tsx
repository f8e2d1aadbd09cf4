// The unlocked popup: a pending "Save this login?", the current site's logins first, search, the generator,
// auto-lock settings and lock.
import { Generator } from "@cryptex/web/src/ui/generator.tsx";
import { useEffect, useState } from "preact/hooks";
import type { LoginRow, PendingSave, Settings } from "../shared/messages.ts";
import { ask } from "./ask-worker.ts";
import { LoginRowView } from "./login-row.tsx";

interface Lists {
  origin: string;
  here: LoginRow[];
  results: LoginRow[];
}

const CHOICES = [1, 5, 10, 15, 30, 60, 0];

export function VaultView({ tabId, sync, onLock }: { tabId: number | undefined; sync: string; onLock: () => void }) {
  const [query, setQuery] = useState("");
  const [lists, setLists] = useState<Lists | undefined>();
  const [pending, setPending] = useState<PendingSave | null>(null);
  const [note, setNote] = useState<{ text: string; ok: boolean } | undefined>();
  const [panel, setPanel] = useState<"none" | "generator" | "settings">("none");
  const [settings, setSettings] = useState<Settings | undefined>();
  const [version, setVersion] = useState(0);
  const [syncNote, setSyncNote] = useState(sync);
  const [sitesOf, setSitesOf] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    ask<Lists>({ type: "logins", tabId: tabId ?? -1, query })
      .then((l) => {
        if (!live) return;
        setLists(l);
        // the bench reads this mark: popup open → the current site's logins on screen
        requestAnimationFrame(() => performance.mark("cx-logins-rendered"));
      })
      .catch((e) => (e.code === "locked" ? onLock() : setNote({ text: e.message, ok: false })));
    return () => {
      live = false;
    };
  }, [query, tabId, version, onLock]);

  // sync on every popup open, once the site's logins are on screen, then list again with whatever arrived
  const listed = lists !== undefined;
  useEffect(() => {
    if (!listed) return;
    ask<string>({ type: "sync" })
      .then((n) => {
        setSyncNote(n);
        if (n !== sync) setVersion((v) => v + 1);
      })
      .catch(() => {});
  }, [listed, sync]);

  useEffect(() => {
    if (tabId !== undefined) void ask<PendingSave | null>({ type: "pendingSave", tabId }).then(setPending);
    void ask<Settings>({ type: "settings" }).then(setSettings);
  }, [tabId]);

  async function answerSave(accept: boolean): Promise<void> {
    if (tabId === undefined) return;
    await ask({ type: "confirmSave", tabId, accept });
    setPending(null);
    if (accept) setNote({ text: pending?.kind === "update" ? "Password updated" : "Login saved", ok: true });
    setVersion((v) => v + 1);
  }

  async function lock(): Promise<void> {
    await ask({ type: "lock" });
    onLock();
  }

  const onNote = (text: string, ok: boolean) => setNote(text ? { text, ok } : undefined);
  const relist = () => setVersion((v) => v + 1);
  const here = new Set(lists?.here.map((r) => r.id));
  const others = (lists?.results ?? []).filter((r) => !here.has(r.id));

  return (
    <div class="stack">
      <header class="bar">
        <h1 class="brand">Cryptex</h1>
        <button type="button" onClick={() => void lock()}>
          Lock
        </button>
      </header>
      {/* its own line, never cut off: a refused sync must be readable in full */}
      <p class={`small sync-note ${syncTrouble(syncNote) ? "error" : "muted"}`} role="status">
        {syncNote}
      </p>
      {pending && (
        <section class="confirm" aria-label="Save login">
          <p>
            {pending.kind === "update" ? "Update password" : "Save this login"} for <b>{pending.username || "(no username)"}</b> on{" "}
            <b>{pending.origin}</b>?
          </p>
          <button type="button" class="primary" onClick={() => void answerSave(true)}>
            {pending.kind === "update" ? "Update" : "Save"}
          </button>
          <button type="button" onClick={() => void answerSave(false)}>
            Not now
          </button>
        </section>
      )}
      <input type="search" aria-label="Search logins" placeholder="Search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {note && (
        <p class={note.ok ? "ok" : "error"} role={note.ok ? "status" : "alert"}>
          {note.text}
        </p>
      )}
      <section aria-label="This site">
        <h2 title={lists?.origin}>{lists?.origin ? `On ${hostOf(lists.origin)}` : "This page"}</h2>
        {lists && lists.here.length === 0 && (
          <p class="muted small">{lists.origin ? "No logins saved for this site." : "Not a web page: nothing to fill here."}</p>
        )}
        <ul class="logins">
          {lists?.here.map((r) => (
            <LoginRowView
              key={r.id}
              row={r}
              tabId={tabId}
              onNote={onNote}
              onChanged={relist}
              sitesOpen={sitesOf === r.id}
              onSites={(o) => setSitesOf(o ? r.id : undefined)}
            />
          ))}
        </ul>
      </section>
      <section aria-label={query ? "Search results" : "Recent logins"}>
        <h2>{query ? "Search results" : "Recent logins"}</h2>
        {lists && others.length === 0 && (
          <p class="muted small">{query ? (here.size ? "No other matches." : "Nothing found.") : "No other logins yet."}</p>
        )}
        <ul class="logins">
          {others.map((r) => (
            <LoginRowView
              key={r.id}
              row={r}
              tabId={tabId}
              onNote={onNote}
              onChanged={relist}
              sitesOpen={sitesOf === r.id}
              onSites={(o) => setSitesOf(o ? r.id : undefined)}
            />
          ))}
        </ul>
      </section>
      <footer class="row">
        <button type="button" aria-expanded={panel === "generator"} onClick={() => setPanel(panel === "generator" ? "none" : "generator")}>
          Generator
        </button>
        <button type="button" aria-expanded={panel === "settings"} onClick={() => setPanel(panel === "settings" ? "none" : "settings")}>
          Settings
        </button>
      </footer>
      {panel === "generator" && <Generator />}
      {panel === "settings" && settings && (
        <section class="stack" aria-label="Settings">
          <label for="x-autolock">Lock after inactivity</label>
          <select
            id="x-autolock"
            value={String(settings.autoLockMinutes)}
            onChange={async (e) => {
              const s = { autoLockMinutes: Number(e.currentTarget.value) };
              await ask({ type: "setSettings", settings: s });
              setSettings(s);
            }}
          >
            {CHOICES.map((m) => (
              <option key={m} value={m}>
                {m === 0 ? "Only on screen lock or browser restart" : `${m} minute${m === 1 ? "" : "s"}`}
              </option>
            ))}
          </select>
        </section>
      )}
    </div>
  );
}

/** Anything but a plain success or "not yet" is worth the user's attention. */
const syncTrouble = (note: string) => !/^(Synced|Not synced yet)\b/.test(note) && note !== "";

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
