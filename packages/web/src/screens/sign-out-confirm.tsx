// Asks before this device's copy of the vault is removed: names the changes not yet synced (they would be
// lost) and offers to sync or export them first when the vault is unlocked.
import { useEffect, useState } from "preact/hooks";

export function SignOutConfirm({
  countUnsynced,
  onSync,
  onExport,
  onConfirm,
  onCancel,
}: {
  countUnsynced: () => Promise<number>;
  /** present when the vault is unlocked (a locked device can only be unlocked first) */
  onSync?: () => Promise<void>;
  onExport?: () => Promise<void>;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const [count, setCount] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState("");
  const recount = () => countUnsynced().then(setCount, () => setCount(undefined));
  useEffect(() => void recount(), []);
  const run = async (fn: () => Promise<void>, done: string) => {
    setBusy(true);
    setMsg("");
    try {
      await fn();
      setMsg(done);
    } catch (e) {
      setMsg(e instanceof Error ? e.message : "That did not work.");
    }
    await recount();
    setBusy(false);
  };
  const changes = count === 1 ? "1 change made on this device is" : `${count} changes made on this device are`;
  return (
    <div class="note confirm stack" role="alertdialog" aria-labelledby="so-title" aria-describedby="so-text">
      <h3 id="so-title">Sign out and remove this device's copy?</h3>
      <p id="so-text">
        {count === undefined
          ? "Counting the changes not yet synced…"
          : count === 0
            ? "Every change made here is on the server: your items stay on your other devices and come back when you sign in again. This device leaves the account's device list."
            : `${changes} not synced yet: removing this device's copy deletes ${count === 1 ? "it" : "them"}. ${
                onSync ? "Sync or export first." : "Cancel and unlock to sync or export first."
              }`}
      </p>
      {count !== undefined && count > 0 && (onSync || onExport) && (
        <div class="row">
          {onSync && (
            <button type="button" disabled={busy} onClick={() => void run(onSync, "Synced.")}>
              Sync now
            </button>
          )}
          {onExport && (
            <button type="button" disabled={busy} onClick={() => void run(onExport, "Export downloaded.")}>
              Export (unencrypted JSON)
            </button>
          )}
        </div>
      )}
      {msg && <p role="status">{msg}</p>}
      <div class="row">
        <button type="button" class="danger" disabled={busy || count === undefined} onClick={() => void run(onConfirm, "")}>
          {count ? `Remove, losing ${count} unsynced change${count === 1 ? "" : "s"}` : "Sign out and remove"}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
