// One login in the popup: fill, where it fills (the same-site switch), copy, reveal and its one-time code, each a
// click the page cannot forge.
import { copySecret } from "@cryptex/web/src/ui/clipboard.ts";
import { useEffect, useState } from "preact/hooks";
import type { FillAnswer, LoginRow, MatchInfo } from "../shared/messages.ts";
import { ask } from "./ask-worker.ts";

interface Secret {
  username: string;
  password: string;
  hasTotp: boolean;
}

export function LoginRowView({
  row,
  tabId,
  onNote,
  onChanged,
  sitesOpen,
  onSites,
}: {
  row: LoginRow;
  tabId: number | undefined;
  onNote: (text: string, ok: boolean) => void;
  /** the login's fill sites changed: the lists are asked again */
  onChanged: () => void;
  sitesOpen: boolean;
  onSites: (open: boolean) => void;
}) {
  const [secret, setSecret] = useState<Secret | undefined>();
  const [code, setCode] = useState("");
  const [confirm, setConfirm] = useState<{ frameId: number; origin: string; top: string } | undefined>();
  const [sites, setSites] = useState<MatchInfo | undefined>();
  const host = hostOf(row.url);

  // the panel's open state lives in the list, so it stays open when the row moves to "On this site"
  useEffect(() => {
    let live = true;
    if (sitesOpen) void ask<MatchInfo>({ type: "matchInfo", id: row.id }).then((i) => live && setSites(i));
    else setSites(undefined);
    return () => {
      live = false;
    };
  }, [sitesOpen, row.id]);

  async function setSameSite(on: boolean): Promise<void> {
    try {
      const info = await ask<MatchInfo>({ type: "setSameSite", id: row.id, on });
      setSites(info);
      onNote(
        on ? `${row.title} also fills on other addresses of ${info.site}` : `${row.title} fills only on ${info.origins.join(", ")}`,
        true,
      );
      onChanged();
    } catch (e) {
      onNote(e instanceof Error ? e.message : "Not changed", false);
    }
  }

  async function load(): Promise<Secret> {
    if (secret) return secret;
    return ask<Secret>({ type: "reveal", id: row.id });
  }

  async function fill(confirmFrame?: number): Promise<void> {
    if (tabId === undefined) return onNote("No tab to fill.", false);
    onNote("", true); // an earlier fill's message must not stand for this one
    const a = await ask<FillAnswer>({ type: "fill", tabId, id: row.id, ...(confirmFrame !== undefined ? { confirmFrame } : {}) });
    setConfirm(undefined);
    if (a.ok) onNote(`Filled on ${a.origin}`, true);
    else if (a.confirmFrame) setConfirm(a.confirmFrame);
    else onNote(a.text, false);
  }

  async function showCode(): Promise<void> {
    try {
      const t = await ask<{ code: string; remaining: number }>({ type: "totp", id: row.id });
      setCode(`${t.code} · ${t.remaining}s`);
    } catch (e) {
      onNote(e instanceof Error ? e.message : "No code", false);
    }
  }

  return (
    <li class="login" data-id={row.id}>
      <div class="login-head">
        <div class="login-text">
          <strong class="title">{row.title || host || "Untitled"}</strong>
          <span class="muted small">{row.subtitle || host}</span>
        </div>
        <button
          type="button"
          class="small"
          aria-expanded={sitesOpen}
          aria-label={`Sites for ${row.title}`}
          title="Where this login fills"
          onClick={() => onSites(!sitesOpen)}
        >
          Sites
        </button>
        <button type="button" class="primary" onClick={() => void fill()} aria-label={`Fill ${row.title}`}>
          Fill
        </button>
      </div>
      {confirm && (
        <div class="confirm" role="alertdialog" aria-label="Confirm frame fill">
          <p>
            The form is in a frame from <b>{confirm.origin}</b> inside <b>{confirm.top}</b>. Fill it?
          </p>
          <button type="button" class="primary" onClick={() => void fill(confirm.frameId)}>
            Fill frame
          </button>
          <button type="button" onClick={() => setConfirm(undefined)}>
            Cancel
          </button>
        </div>
      )}
      <div class="row actions">
        <button type="button" onClick={async () => void copySecret((await load()).username).then(() => onNote("Username copied", true))}>
          Copy user
        </button>
        <button
          type="button"
          onClick={async () => void copySecret((await load()).password).then(() => onNote("Password copied (cleared in 30 s)", true))}
        >
          Copy password
        </button>
        <button type="button" onClick={async () => setSecret(secret ? undefined : await load())} aria-pressed={!!secret}>
          {secret ? "Hide" : "Reveal"}
        </button>
        <button type="button" onClick={() => void showCode()}>
          Code
        </button>
      </div>
      {sitesOpen && sites && <SitesPanel info={sites} title={row.title} onChange={(on) => void setSameSite(on)} />}
      {secret && (
        <output class="mono break secret" aria-label="Password">
          {secret.password}
        </output>
      )}
      {code && (
        <output class="mono" aria-label="One-time code">
          {code}
        </output>
      )}
    </li>
  );
}

/** Where this login fills: its saved origins, and the same-site option when its sites share a registrable domain. */
function SitesPanel({ info, title, onChange }: { info: MatchInfo; title: string; onChange: (on: boolean) => void }) {
  return (
    <fieldset class="sites small" aria-label={`Where ${title} fills`}>
      <p class="muted">Saved for {info.origins.length ? info.origins.join(", ") : "no website"}</p>
      {info.site ? (
        <label class="check">
          <input type="checkbox" checked={info.sameSite} onChange={(e) => onChange(e.currentTarget.checked)} />
          Also fill on other addresses of {info.site}
        </label>
      ) : (
        <p class="muted">Fills only on the exact address: there is no site name to share.</p>
      )}
    </fieldset>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url.includes("://") ? url : `https://${url}`).host;
  } catch {
    return "";
  }
}
