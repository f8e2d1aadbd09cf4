// Shown when the server ended this device's session (revoked from another device, or expired): the items
// here are kept, unsynced changes included; the person can sign in again (then they sync) or export them.
import { useEffect, useState } from "preact/hooks";
import { signInAgainInWorker } from "../account/account-client.ts";
import { errorCode, errorText } from "../ui/error-text.ts";
import { PasswordField } from "../ui/password-field.tsx";
import { exportVault } from "../vault/export-vault.ts";
import type { VaultSession } from "../vault/vault-session.ts";

export function SignedOutNotice({ session }: { session: VaultSession }) {
  const [count, setCount] = useState<number | undefined>();
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | undefined>();
  useEffect(() => void session.unsyncedCount().then(setCount), [session.version]);

  async function signIn(ev: Event): Promise<void> {
    ev.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const s = await signInAgainInWorker(session.meta, password);
      setPassword("");
      await session.resume(s.token);
    } catch (e) {
      setError({ code: errorCode(e), text: errorText(e) });
      setBusy(false);
    }
  }

  const kept = count
    ? `${count} change${count === 1 ? "" : "s"} made here ${count === 1 ? "is" : "are"} not synced yet and kept on this device.`
    : "The items on this device are kept.";
  return (
    <div class="note signed-out stack" role="alert">
      <p>
        <strong>This device was signed out</strong> (removed from the account's devices, or its session expired). {kept} Sign in again to
        sync, or export them.
      </p>
      {asking ? (
        <form class="stack" onSubmit={signIn}>
          <PasswordField id="so-password" label="Account password" autocomplete="current-password" value={password} onValue={setPassword} />
          {error && (
            <p class="error" data-code={error.code}>
              {error.text}
            </p>
          )}
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? "Signing in…" : "Sign in again"}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div class="row">
          <button type="button" class="primary" onClick={() => setAsking(true)}>
            Sign in again…
          </button>
          <button type="button" onClick={() => void exportVault(session)}>
            Export (unencrypted JSON)
          </button>
        </div>
      )}
    </div>
  );
}
