// One login in the popup: fill, copy, reveal and its one-time code, each a click the page cannot forge.
import { copySecret } from "@cryptex/web/src/ui/clipboard.ts";
import { useState } from "preact/hooks";
import type { FillAnswer, LoginRow } from "../shared/messages.ts";
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
}: {
  row: LoginRow;
  tabId: number | undefined;
  onNote: (text: string, ok: boolean) => void;
}) {
  const [secret, setSecret] = useState<Secret | undefined>();
  const [code, setCode] = useState("");
  const [confirm, setConfirm] = useState<{ frameId: number; origin: string; top: string } | undefined>();
  const host = hostOf(row.url);

  async function load(): Promise<Secret> {
    if (secret) return secret;
    return ask<Secret>({ type: "reveal", id: row.id });
  }

  async function fill(confirmFrame?: number): Promise<void> {
    if (tabId === undefined) return onNote("No tab to fill.", false);
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

function hostOf(url: string): string {
  try {
    return new URL(url.includes("://") ? url : `https://${url}`).host;
  } catch {
    return "";
  }
}
