// The popup: sign in once, then unlock, list and fill. It holds no keys; every secret step is the worker's.
import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import type { Status } from "../shared/messages.ts";
import { ask, targetTab } from "./ask-worker.ts";
import { SignInView } from "./sign-in-view.tsx";
import { UnlockView } from "./unlock-view.tsx";
import { VaultView } from "./vault-view.tsx";

function Popup() {
  const [status, setStatus] = useState<Status | undefined>();
  const [tabId, setTabId] = useState<number | undefined>();
  const refresh = useCallback(() => void ask<Status>({ type: "status" }).then(setStatus), []);
  useEffect(() => {
    void targetTab().then(setTabId);
    refresh();
  }, [refresh]);

  if (!status) return <p aria-busy="true">Loading…</p>;
  switch (status.state) {
    case "signed-out":
      return <SignInView onDone={refresh} />;
    case "locked":
      return (
        <UnlockView
          email={status.email ?? ""}
          onDone={refresh}
          onSignOut={async (discardUnsynced) => {
            const r = await ask<"done" | "unsynced">({ type: "signOut", discardUnsynced });
            if (r === "done") refresh();
            return r;
          }}
        />
      );
    case "unlocked":
      return <VaultView tabId={tabId} sync={status.sync ?? ""} onLock={refresh} />;
  }
}

render(<Popup />, document.getElementById("app")!);
