// Settings → Change account password: signed with the current password in the account worker; this device
// keeps working (its own change is not "changed on another device") and shows the new QR code and Emergency Kit.
import { useEffect, useState } from "preact/hooks";
import { changePasswordInWorker, signerOf } from "../account/account-client.ts";
import { downloadBlob, emergencyKitPng, qrBlobUrl } from "../qr/qr-image.ts";
import type { IdbStore } from "../store/idb-store.ts";
import { errorText } from "../ui/error-text.ts";
import { PasswordField } from "../ui/password-field.tsx";
import { acceptablePassword, StrengthMeter } from "../ui/strength-meter.tsx";
import type { VaultSession } from "../vault/vault-session.ts";

export function ChangePassword({ session, store }: { session: VaultSession; store: IdbStore }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState("");
  const [done, setDone] = useState<{ eakText: string; qr: string } | undefined>();
  useEffect(() => () => done && URL.revokeObjectURL(done.qr), [done]);
  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setMsg("");
    setDone(undefined);
    // the dictionaries not loading (offline) reads as not acceptable, as before
    if (!(await acceptablePassword(next, session.meta.email).catch(() => false))) return setMsg("Choose a stronger new password.");
    if (next !== confirm) return setMsg("The new passwords do not match.");
    if (!session.meta.sessionToken) return setMsg("This device is not signed in to the server.");
    setBusy(true);
    try {
      session.expectOwnPasswordChange(session.meta.eakGeneration + 1);
      const r = await changePasswordInWorker(signerOf(session.meta, current), session.meta.eakGeneration, next, true);
      await store.write({ meta: { eak: r.eak, eakGeneration: r.eakGeneration } });
      session.meta = { ...session.meta, eak: r.eak, eakGeneration: r.eakGeneration };
      setCurrent("");
      setNext("");
      setConfirm("");
      setDone({ eakText: r.eakText, qr: qrBlobUrl(r.eakText) });
      setMsg(
        "Password changed. Your old Emergency Kit and QR code no longer work: download the new Emergency Kit below (it was also mailed to you).",
      );
    } catch (e) {
      setMsg(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} class="stack" aria-labelledby="s-pw">
      <h3 id="s-pw">Change account password</h3>
      <PasswordField
        id="cp-current"
        label="Current account password"
        autocomplete="current-password"
        value={current}
        onValue={setCurrent}
      />
      <PasswordField
        id="cp-new"
        label="New account password"
        autocomplete="new-password"
        value={next}
        onValue={setNext}
        errorId={msg && !done ? "cp-msg" : undefined}
      />
      <StrengthMeter password={next} email={session.meta.email} />
      <PasswordField
        id="cp-confirm"
        label="Confirm new account password"
        autocomplete="new-password"
        value={confirm}
        onValue={setConfirm}
      />
      {msg && (
        <p id="cp-msg" role="status" class={done ? "ok" : "error"}>
          {msg}
        </p>
      )}
      {done && (
        <div class="new-kit">
          <img class="qr" src={done.qr} width={200} height={200} alt="New account QR code (encrypted account key)" />
          <button
            type="button"
            class="primary"
            onClick={async () => downloadBlob(await emergencyKitPng(session.meta.email, done.eakText), "Cryptex Emergency Kit.png")}
          >
            Download new Emergency Kit
          </button>
        </div>
      )}
      <button type="submit" disabled={busy}>
        {busy ? "Changing…" : "Change password"}
      </button>
      <p class="muted small">Other devices will ask for the new password after their next sync.</p>
    </form>
  );
}
