// Settings: auto-lock, the account QR code and mail, devices, the sync method, import, export, change password,
// Account Key rotation, account reset.
import { eakToText, parseEak } from "@cryptex/core/formats/eak.ts";
import type { SessionsAnswer } from "@cryptex/core/wire/api.ts";
import { useEffect, useState } from "preact/hooks";
import { resetInWorker, rotateInWorker, signerOf } from "../account/account-client.ts";
import { downloadBlob, emergencyKitPng, qrBlobUrl } from "../qr/qr-image.ts";
import { type IdbStore, STORE_NAME } from "../store/idb-store.ts";
import { sessionErrorText } from "../ui/error-text.ts";
import { lazyComponent } from "../ui/lazy-component.tsx";
import { PasswordField } from "../ui/password-field.tsx";
import { acceptablePassword, StrengthMeter } from "../ui/strength-meter.tsx";
import { AUTO_LOCK_CHOICES, setAutoLockMinutes } from "../vault/auto-lock.ts";
import { exportVault } from "../vault/export-vault.ts";
import type { VaultSession } from "../vault/vault-session.ts";
import { Appearance } from "./appearance-settings.tsx";
import { ChangePassword } from "./change-password.tsx";
import { SignOutConfirm } from "./sign-out-confirm.tsx";
import { SyncMethodSection } from "./sync-method-section.tsx";

type Props = {
  session: VaultSession;
  store: IdbStore;
  lockMinutes: number;
  onLockMinutes: (m: number) => void;
  onClose: () => void;
  onLock: (note?: string) => void;
  onSignedOut: () => Promise<void>;
  /** opens the Security page (also in the sidebar, which narrow screens do not show) */
  onSecurity?: () => void;
};

function AccountQr({ session }: { session: VaultSession }) {
  const [url, setUrl] = useState("");
  const [msg, setMsg] = useState("");
  const eakText = eakToText(parseEak(session.meta.eak));
  useEffect(() => () => url && URL.revokeObjectURL(url), [url]);
  async function resend(): Promise<void> {
    setMsg("");
    try {
      await session.api.resendMail(eakText);
      setMsg(`The mail was sent again to ${session.meta.email}.`);
    } catch (e) {
      setMsg(sessionErrorText(e));
    }
  }
  return (
    <section aria-labelledby="s-qr">
      <h3 id="s-qr">Account QR code</h3>
      <div class="row">
        <button type="button" onClick={() => setUrl(url ? "" : qrBlobUrl(eakText))} aria-expanded={!!url}>
          {url ? "Hide QR code" : "Show QR code"}
        </button>
        <button
          type="button"
          onClick={async () => downloadBlob(await emergencyKitPng(session.meta.email, eakText), "Cryptex Emergency Kit.png")}
        >
          Download Emergency Kit
        </button>
        <button type="button" onClick={resend}>
          Resend the mail
        </button>
      </div>
      {url && <img class="qr" src={url} width={240} height={240} alt="Account QR code (encrypted account key)" />}
      {msg && <p role="status">{msg}</p>}
    </section>
  );
}

function Devices({ session }: { session: VaultSession }) {
  const [list, setList] = useState<SessionsAnswer["sessions"] | undefined>();
  const [msg, setMsg] = useState("");
  const load = () =>
    session.api.sessions().then(
      (r) => setList(r.sessions),
      (e) => setMsg(sessionErrorText(e)),
    );
  useEffect(() => void load(), []);
  return (
    <section aria-labelledby="s-dev">
      <h3 id="s-dev">Devices</h3>
      {msg && (
        <p class="error" role="alert">
          {msg}
        </p>
      )}
      {!list && !msg && <p class="muted">Loading devices…</p>}
      <ul class="devices">
        {list?.map((d) => (
          <li key={d.id}>
            <span>
              {d.deviceName}
              {d.current ? " (this device)" : ""}
              <span class="muted small"> · last seen {new Date(d.lastSeenAt).toLocaleString()}</span>
            </span>
            {!d.current && (
              <button
                type="button"
                aria-label={`Revoke ${d.deviceName}`}
                onClick={async () => {
                  try {
                    await session.api.revokeSession(d.id);
                    await load();
                  } catch (e) {
                    setMsg(sessionErrorText(e));
                  }
                }}
              >
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RotateKey({ session, store, onLock }: { session: VaultSession; store: IdbStore; onLock: Props["onLock"] }) {
  const [current, setCurrent] = useState("");
  const [mail, setMail] = useState(false);
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  const interrupted = session.meta.pendingEakText !== undefined;
  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setMsg("");
    if (!session.meta.sessionToken) return setMsg("This device is not signed in to the server.");
    setBusy(true);
    try {
      await session.close(); // no sync under the old key while the worker re-encrypts the items
      await rotateInWorker(signerOf(session.meta, current), STORE_NAME, mail);
      session.meta = (await store.readMeta()) ?? session.meta; // the new EAK: the next unlock opens the new key
      onLock(
        `The Account Key was replaced${mail ? " and the new QR code was mailed" : ""}. Unlock, then download the new Emergency Kit: earlier QR codes open nothing new. Other devices must sign in again with the new QR code.`,
      );
    } catch (e) {
      setMsg(sessionErrorText(e));
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} class="stack" aria-labelledby="s-rotate">
      <h3 id="s-rotate">Replace the Account Key</h3>
      <p>
        {interrupted
          ? "A replacement of the Account Key was interrupted. Enter your account password to finish it; nothing was lost."
          : "Every item is re-encrypted under a new Account Key. Use it when a QR code or Emergency Kit may have leaked: old ones open nothing added afterwards. Other devices are signed out."}
      </p>
      <PasswordField id="rk-current" label="Account password" autocomplete="current-password" value={current} onValue={setCurrent} />
      <label class="row">
        <input type="checkbox" checked={mail} onChange={(e) => setMail(e.currentTarget.checked)} /> Mail me the new QR code
      </label>
      {msg && (
        <p class="error" role="alert">
          {msg}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? "Re-encrypting…" : interrupted ? "Finish replacing the key" : "Replace the Account Key"}
      </button>
    </form>
  );
}

function Reset({ session, store, onLock }: { session: VaultSession; store: IdbStore; onLock: Props["onLock"] }) {
  const [confirmText, setConfirmText] = useState("");
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  const expected = `RESET ${session.meta.email}`;
  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    setMsg("");
    if (confirmText !== expected) return setMsg(`Type exactly: ${expected}`);
    // the dictionaries not loading (offline) reads as not acceptable, as before
    if (!(await acceptablePassword(next, session.meta.email).catch(() => false))) return setMsg("Choose a stronger new password.");
    if (!session.meta.sessionToken) return setMsg("This device is not signed in to the server.");
    setBusy(true);
    try {
      const r = await resetInWorker(signerOf(session.meta, current), session.meta.email, next, true);
      const meta = { ...session.meta, eak: r.eak, eakGeneration: r.eakGeneration, resetEpoch: r.resetEpoch, cursor: 0 };
      await store.wipe();
      await store.write({ meta });
      session.meta = meta;
      onLock(
        "The account was reset: every item was deleted and a new Account Key was made (mailed as a new QR code). Unlock with the new password.",
      );
    } catch (e) {
      setMsg(sessionErrorText(e));
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} class="stack danger-zone" aria-labelledby="s-reset">
      <h3 id="s-reset">Reset account</h3>
      <p>This deletes every item on the server and on this device, and makes a new Account Key. It cannot be undone.</p>
      <PasswordField
        id="rs-current"
        label="Current account password"
        autocomplete="current-password"
        value={current}
        onValue={setCurrent}
      />
      <PasswordField id="rs-new" label="New account password" autocomplete="new-password" value={next} onValue={setNext} />
      <StrengthMeter password={next} email={session.meta.email} />
      <label for="rs-confirm">Type “{expected}” to confirm</label>
      <input id="rs-confirm" autocomplete="off" value={confirmText} onInput={(e) => setConfirmText(e.currentTarget.value)} />
      {msg && (
        <p class="error" role="alert">
          {msg}
        </p>
      )}
      <button type="submit" class="danger" disabled={busy}>
        {busy ? "Resetting…" : "Reset account"}
      </button>
    </form>
  );
}

// import and export carry every format's parser: loaded when Settings opens, not with the vault
const ImportPanel = lazyComponent(() => import("./import-panel.tsx").then((m) => m.ImportPanel));
const ExportPanel = lazyComponent(() => import("./export-panel.tsx").then((m) => m.ExportPanel));
const AddDevicePanel = lazyComponent(() => import("./add-device-panel.tsx").then((m) => m.AddDevicePanel));

export function SettingsPanel({ session, store, lockMinutes, onLockMinutes, onClose, onLock, onSignedOut, onSecurity }: Props) {
  const [signingOut, setSigningOut] = useState(false);
  return (
    <div class="settings">
      <header class="item-head">
        <button type="button" class="back" onClick={onClose} aria-label="Back to the list">
          ←
        </button>
        <h2 tabIndex={-1}>Settings</h2>
      </header>
      <section aria-labelledby="s-lock">
        <h3 id="s-lock">Locking</h3>
        <label for="s-autolock">Lock after being idle for</label>
        <select
          id="s-autolock"
          value={String(lockMinutes)}
          onChange={(e) => {
            const m = Number(e.currentTarget.value);
            setAutoLockMinutes(m);
            onLockMinutes(m);
          }}
        >
          {AUTO_LOCK_CHOICES.map((m) => (
            <option key={m} value={String(m)}>
              {m === 0 ? "Never" : `${m} minute${m === 1 ? "" : "s"}`}
            </option>
          ))}
        </select>
        <p class="muted small">Closing or reloading the tab always locks the vault: keys live only in this tab's memory.</p>
      </section>
      {onSecurity && (
        <section aria-labelledby="s-health">
          <h3 id="s-health">Password health</h3>
          <p class="muted small">Weak, reused and old passwords, and an opt-in breach check.</p>
          <button type="button" onClick={onSecurity}>
            Open the Security page
          </button>
        </section>
      )}
      <Appearance />
      <AccountQr session={session} />
      <Devices session={session} />
      <AddDevicePanel session={session} />
      <SyncMethodSection session={session} />
      <ImportPanel session={session} />
      <ExportPanel session={session} />
      <ChangePassword session={session} store={store} />
      <RotateKey session={session} store={store} onLock={onLock} />
      <section aria-labelledby="s-out">
        <h3 id="s-out">This device</h3>
        {signingOut ? (
          <SignOutConfirm
            countUnsynced={() => session.unsyncedCount()}
            onSync={() => session.sync()}
            onExport={() => exportVault(session)}
            onConfirm={onSignedOut}
            onCancel={() => setSigningOut(false)}
          />
        ) : (
          <button type="button" onClick={() => setSigningOut(true)}>
            Sign out of this device
          </button>
        )}
      </section>
      <Reset session={session} store={store} onLock={onLock} />
    </div>
  );
}
