// Unlock a signed-in device with the Account Password; works offline from the local encrypted key.

import type { VaultMeta } from "@cryptex/core/sync/ports.ts";
import { useEffect, useRef, useState } from "preact/hooks";
import { unlockInWorker, warmUpWorker } from "../account/account-client.ts";
import { STORE_NAME } from "../store/idb-store.ts";
import { errorCode, errorText } from "../ui/error-text.ts";
import { PasswordField } from "../ui/password-field.tsx";
import { SignOutConfirm } from "./sign-out-confirm.tsx";

export function UnlockScreen({
  meta,
  note,
  onDone,
  onForget,
  countUnsynced,
}: {
  meta: VaultMeta;
  note: string | undefined;
  onDone: (meta: VaultMeta) => void;
  onForget: () => Promise<void>;
  countUnsynced: () => Promise<number>;
}) {
  const [signingOut, setSigningOut] = useState(false);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | undefined>();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    performance.mark("cx-unlock-ready");
    warmUpWorker();
    field.current?.focus();
  }, []);

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      performance.mark("cx-unlock-start");
      await unlockInWorker(meta.accountId, meta.eak, password, STORE_NAME);
      performance.mark("cx-kdf-done");
      setPassword("");
      onDone(meta);
    } catch (e) {
      setError({ code: errorCode(e), text: errorText(e) });
      setBusy(false);
    }
  }

  return (
    <main class="center-card">
      <h1 class="brand">Cryptex</h1>
      <h2>Vault locked</h2>
      <p class="muted">{meta.email}</p>
      {note && (
        <p class="note" role="status">
          {note}
        </p>
      )}
      <form onSubmit={submit} class="stack">
        <PasswordField
          id="ul-password"
          label="Account password"
          autocomplete="current-password"
          value={password}
          onValue={setPassword}
          inputRef={field}
          errorId={error ? "ul-error" : undefined}
        />
        {error && (
          <p id="ul-error" class="error" role="alert" data-code={error.code}>
            {error.text}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Unlocking…" : "Unlock"}
        </button>
      </form>
      {signingOut ? (
        <SignOutConfirm countUnsynced={countUnsynced} onConfirm={onForget} onCancel={() => setSigningOut(false)} />
      ) : (
        <p>
          <button type="button" class="link" onClick={() => setSigningOut(true)}>
            Sign out and remove this device's copy
          </button>
        </p>
      )}
    </main>
  );
}
