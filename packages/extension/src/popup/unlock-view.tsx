// Unlock with the Account Password: offline, in the worker; the password is not kept.
import { PasswordField } from "@cryptex/web/src/ui/password-field.tsx";
import { useState } from "preact/hooks";
import { ask } from "./ask-worker.ts";

export function UnlockView({
  email,
  onDone,
  onSignOut,
}: {
  email: string;
  onDone: () => void;
  onSignOut: (discardUnsynced: boolean) => Promise<"done" | "unsynced">;
}) {
  const [leaving, setLeaving] = useState<"ask" | "unsynced" | undefined>();
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
      {leaving === undefined && (
        <button type="button" class="link" onClick={() => setLeaving("ask")}>
          Sign out of this browser
        </button>
      )}
      {leaving && (
        <div class="confirm" role="alertdialog" aria-label="Confirm sign-out">
          <p>
            {leaving === "unsynced"
              ? "Some changes made in this browser have not reached the server yet. Signing out now deletes them."
              : "Sign out removes this browser's copy of the vault. Your account and other devices are not affected."}
          </p>
          <button
            type="button"
            onClick={async () => setLeaving((await onSignOut(leaving === "unsynced")) === "unsynced" ? "unsynced" : undefined)}
          >
            {leaving === "unsynced" ? "Delete unsynced changes and sign out" : "Sign out"}
          </button>
          <button type="button" class="primary" onClick={() => setLeaving(undefined)}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
