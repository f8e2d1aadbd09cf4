// The app's top level: which screen shows, from the device's stored account and the unlocked session.
import { createApiClient } from "@cryptex/core/client/api-client.ts";
import { isSealedServerToken } from "@cryptex/core/formats/server-token.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import type { VaultMeta } from "@cryptex/core/sync/ports.ts";
import { useEffect, useRef, useState } from "preact/hooks";
import type { DeviceAccount } from "./account/account-protocol.ts";
import { OUTSIDE } from "./nav/route.ts";
import { AccountKeyScreen } from "./screens/account-key-screen.tsx";
import { ForgotScreen } from "./screens/forgot-screen.tsx";
import { SignInScreen } from "./screens/sign-in-screen.tsx";
import { SignUpScreen } from "./screens/sign-up-screen.tsx";
import { UnlockScreen } from "./screens/unlock-screen.tsx";
import { VaultScreen } from "./screens/vault-screen.tsx";
import { type IdbStore, openIdbStore, STORE_NAME } from "./store/idb-store.ts";
import { wipeLocalBlobs } from "./vault/local-blobs.ts";
import { VaultSession } from "./vault/vault-session.ts";

type View =
  | { name: "loading" }
  | { name: "signup" }
  | { name: "signin" }
  | { name: "forgot" }
  | { name: "locked"; meta: VaultMeta; note?: string }
  | { name: "new-key"; session: VaultSession; eakText: string; mailed: boolean }
  | { name: "vault"; session: VaultSession };

function metaOf(a: DeviceAccount, email: string): VaultMeta {
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
  /** the vault address to return to after unlocking (a deep link, or where the vault was locked) */
  const resume = useRef(location.hash);

  useEffect(() => {
    openIdbStore()
      .then(async (s) => {
        setStore(s);
        const meta = await s.readMeta();
        setView(meta ? { name: "locked", meta } : location.hash === OUTSIDE.signin ? { name: "signin" } : { name: "signup" });
      })
      .catch(() => setFatal("This browser does not allow local storage (IndexedDB), which Cryptex needs. Private windows may block it."));
  }, []);

  useEffect(() => {
    const titles: Record<View["name"], string> = {
      loading: "Cryptex",
      signup: "Create account — Cryptex",
      signin: "Sign in — Cryptex",
      forgot: "Forgot password — Cryptex",
      locked: "Locked — Cryptex",
      "new-key": "Your account QR code — Cryptex",
      vault: "Vault — Cryptex",
    };
    document.title = titles[view.name];
    if (view.name === "vault" || view.name === "loading") return;
    // screens outside the vault have their own address; Back or Forward there keeps the screen
    const here = OUTSIDE[view.name];
    history.replaceState(null, "", here);
    const onPop = () => {
      if (location.hash !== here) resume.current = location.hash;
      history.replaceState(null, "", here);
    };
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, [view.name]);

  function enterVault(session: VaultSession): void {
    history.replaceState(null, "", resume.current || "#/");
    setView({ name: "vault", session });
  }

  /** Opens the vault in the account worker, with the keys the unlock or sign-in just left there. */
  async function open(meta: VaultMeta): Promise<VaultSession> {
    performance.mark("cx-open-start");
    // the worker reads the stored meta itself: the page only names the account
    const session = await VaultSession.open(STORE_NAME, meta.accountId);
    performance.mark("cx-index-open");
    // hooks for benchmarks exist only in the test build (vite build --mode test → dist-test/): production drops this
    if (import.meta.env.MODE === "test") await import("./vault/test-hooks.ts").then((m) => m.exposeTestHooks(session));
    // Sync and the live channel start once the list is on screen (VaultScreen), not before.
    return session;
  }

  /** A new account on this device: replace whatever was stored before, then open. */
  async function adopt(a: DeviceAccount, email: string): Promise<VaultSession> {
    await store!.wipe();
    const meta = metaOf(a, email);
    await store!.write({ meta });
    const session = await open(meta);
    session.startBackground();
    return session;
  }

  function lock(note?: string): void {
    if (view.name !== "vault" && view.name !== "new-key") return;
    const { session } = view;
    if (view.name === "vault") resume.current = location.hash;
    void session.close();
    setView({ name: "locked", meta: session.meta, ...(note ? { note } : {}) });
  }

  /** Signs this device out: ends its server session (it leaves the device list), then removes its copy. */
  async function forget(): Promise<void> {
    // The token is sealed at rest under a key only the unlocked worker has: the open session's (or, locked, the
    // one this page last had open) is in clear; after a reload the lock screen cannot present it, and the session
    // stays listed until it expires or another device revokes it, as when offline.
    const meta = view.name === "vault" ? view.session.meta : view.name === "locked" ? view.meta : await store?.readMeta();
    if (view.name === "vault") await view.session.close();
    if (meta?.sessionToken && !isSealedServerToken(meta.sessionToken))
      await createApiClient({ baseUrl: meta.serverUrl, token: meta.sessionToken })
        .signout()
        .catch(() => undefined);
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
          onDone={async (a, email) => enterVault(await adopt(a, email))}
          onSignUp={() => setView({ name: "signup" })}
          onForgot={() => setView({ name: "forgot" })}
        />
      );
    case "forgot":
      return <ForgotScreen onSignUp={() => setView({ name: "signup" })} onBack={() => setView({ name: "signin" })} />;
    case "locked":
      return (
        <UnlockScreen
          meta={view.meta}
          note={view.note}
          onDone={async (meta) => enterVault(await open(meta))}
          onForget={forget}
          countUnsynced={async () => (await store!.readPending(1_000_000)).length}
        />
      );
    case "new-key":
      return (
        <AccountKeyScreen
          email={view.session.meta.email}
          eakText={view.eakText}
          mailed={view.mailed}
          onContinue={() => enterVault(view.session)}
        />
      );
    case "vault":
      return <VaultScreen session={view.session} store={store!} onLock={lock} onSignedOut={forget} />;
  }
}
