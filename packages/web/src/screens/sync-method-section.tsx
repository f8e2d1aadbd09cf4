// Settings › Sync method: the account's method as its devices stored it (sealed) on the server.
import type { SyncProfile } from "@cryptex/core/sync/log/sync-profile.ts";
import { useEffect, useState } from "preact/hooks";
import { errorText } from "../ui/error-text.ts";
import { syncMethodNote } from "../vault/sync-method-note.ts";
import type { VaultSession } from "../vault/vault-session.ts";

export function SyncMethodSection({ session }: { session: VaultSession }) {
  const [profile, setProfile] = useState<SyncProfile | undefined | "loading">("loading");
  const [msg, setMsg] = useState("");
  useEffect(() => {
    session
      .syncProfile()
      .then(setProfile)
      .catch((e: unknown) => {
        setProfile(undefined);
        setMsg(errorText(e));
      });
  }, []);
  const shown = profile === "loading" ? undefined : syncMethodNote(profile);
  return (
    <section aria-labelledby="s-sync">
      <h3 id="s-sync">Sync method</h3>
      {!shown && <p class="muted">Loading…</p>}
      {shown && !msg && (
        <>
          <p>
            <strong>{shown.method}</strong>
          </p>
          <p>{shown.note}</p>
        </>
      )}
      {msg && <p class="muted">The account's sync method could not be read ({msg}).</p>}
    </section>
  );
}
