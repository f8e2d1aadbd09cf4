// The app's top level: which screen shows, from the device's stored account and the unlocked session.
import type { OpenedAccount } from "@cryptex/core/client/account.ts";
import { newUuid } from "@cryptex/core/keys/ids.ts";
import type { VaultMeta } from "@cryptex/core/sync/ports.ts";
import { useEffect, useState } from "preact/hooks";
import { AccountKeyScreen } from "./screens/account-key-screen.tsx";
import { SignInScreen } from "./screens/sign-in-screen.tsx";
import { SignUpScreen } from "./screens/sign-up-screen.tsx";
import { UnlockScreen } from "./screens/unlock-screen.tsx";
import { VaultScreen } from "./screens/vault-screen.tsx";
import { type IdbStore, openIdbStore } from "./store/idb-store.ts";
import { wipeLocalBlobs } from "./vault/local-blobs.ts";
import { exposeTestHooks } from "./vault/test-hooks.ts";
import { type OpenKeys, VaultSession } from "./vault/vault-session.ts";

type View =
  | { name: "loading" }
  | { name: "signup" }
  | { name: "signin" }
  | { name: "locked"; meta: VaultMeta; note?: string }
  | { name: "new-key"; session: VaultSession; eakText: string; mailed: boolean }
  | { name: "vault"; session: VaultSession };

function metaOf(a: OpenedAccount, email: string): VaultMeta {
  return {
    accountId: a.accountId,
    email,
    serverUrl: location.origin,
    eak: a.eak.bytes,
    eakGeneration: a.eakGeneration,
    resetEpoch: a.resetEpoch,
    cursor: 0,
    deviceId: newUuid(),
    sessionToken: a.session.token,
  };
}

export function App() {
  const [store, setStore] = useState<IdbStore | undefined>();
  const [view, setView] = useState<View>({ name: "loading" });
  const [fatal, setFatal] = useState("");

  useEffect(() => {
    openIdbStore()
      .then(async (s) => {
        setStore(s);
        const meta = await s.readMeta();
        setView(meta ? { name: "locked", meta } : { name: "signup" });
      })
      .catch(() => setFatal("This browser does not allow local storage (IndexedDB), which Cryptex needs. Private windows may block it."));
  }, []);

  useEffect(() => {
    const titles: Record<View["name"], string> = {
      loading: "Cryptex",
      signup: "Create account — Cryptex",
      signin: "Sign in — Cryptex",
      locked: "Locked — Cryptex",
      "new-key": "Your account QR code — Cryptex",
      vault: "Vault — Cryptex",
    };
    document.title = titles[view.name];
  }, [view.name]);

  async function open(keys: OpenKeys, known: VaultMeta): Promise<VaultSession> {
    performance.mark("cx-open-start");
    const meta = (await store!.readMeta()) ?? known;
    const session = await VaultSession.open(store!, keys, meta);
    performance.mark("cx-index-open");
    exposeTestHooks(session, store!);
    // Sync and the live channel start once the list is on screen (VaultScreen), not before.
    return session;
  }

  /** A new account on this device: replace whatever was stored before, then open. */
  async function adopt(a: OpenedAccount, email: string): Promise<VaultSession> {
    await store!.wipe();
    const meta = metaOf(a, email);
    await store!.write({ meta });
    const session = await open(a, meta);
    session.startBackground();
    return session;
  }

  function lock(note?: string): void {
    if (view.name !== "vault" && view.name !== "new-key") return;
    const { session } = view;
    session.close();
    setView({ name: "locked", meta: session.meta, ...(note ? { note } : {}) });
  }

  async function forget(): Promise<void> {
    if (view.name === "vault") view.session.close();
    await store?.wipe();
    await wipeLocalBlobs();
    setView({ name: "signin" });
  }

  if (fatal) {
    return (
      <main class="center-card">
        <p role="alert">{fatal}</p>
      </main>
    );
  }
  switch (view.name) {
    case "loading":
      return (
        <main class="center-card" aria-busy="true">
          <p>Loading…</p>
        </main>
      );
    case "signup":
      return (
        <SignUpScreen
          onDone={async (a, email, mailed) => {
            const session = await adopt(a, email);
            setView({ name: "new-key", session, eakText: a.eakText, mailed });
          }}
          onSignIn={() => setView({ name: "signin" })}
        />
      );
    case "signin":
      return (
        <SignInScreen
          onDone={async (a, email) => setView({ name: "vault", session: await adopt(a, email) })}
          onSignUp={() => setView({ name: "signup" })}
        />
      );
    case "locked":
      return (
        <UnlockScreen
          meta={view.meta}
          note={view.note}
          onDone={async (u, meta) => setView({ name: "vault", session: await open(u, meta) })}
          onForget={forget}
        />
      );
    case "new-key":
      return (
        <AccountKeyScreen
          email={view.session.meta.email}
          eakText={view.eakText}
          mailed={view.mailed}
          onContinue={() => setView({ name: "vault", session: view.session })}
        />
      );
    case "vault":
      return <VaultScreen session={view.session} store={store!} onLock={lock} onSignedOut={forget} />;
  }
}
