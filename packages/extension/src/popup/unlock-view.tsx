// Unlock with the Account Password: offline, in the worker; the password is not kept.
import { PasswordField } from "@cryptex/web/src/ui/password-field.tsx";
import { useState } from "preact/hooks";
import { ask } from "./ask-worker.ts";

export function UnlockView({ email, onDone, onSignOut }: { email: string; onDone: () => void; onSignOut: () => void }) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setBusy(true);
    setError("");
    try {
      await ask({ type: "unlock", password });
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Unlock failed.");
      setBusy(false);
    }
  }

  return (
    <form class="stack" onSubmit={submit}>
      <h1 class="brand">Cryptex</h1>
      <p class="muted">Locked · {email}</p>
      <PasswordField id="x-unlock" label="Account password" autocomplete="current-password" value={password} onValue={setPassword} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Unlocking…" : "Unlock"}
      </button>
      <button type="button" class="link" onClick={onSignOut}>
        Sign out of this browser
      </button>
    </form>
  );
}
