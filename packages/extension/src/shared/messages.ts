// The typed messages between popup, worker and content script. Requests from extension pages may do anything
// the user can; content scripts may only report fields and submitted logins (router.ts checks the sender).

export interface LoginRow {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly url: string;
}

/** Where a login fills: its saved origins, their registrable domain (null when there is none to share), and the option. */
export interface MatchInfo {
  readonly origins: readonly string[];
  readonly site: string | null;
  readonly sameSite: boolean;
}

export interface Settings {
  /** minutes without activity before locking; 0 = only on screen lock and browser restart */
  readonly autoLockMinutes: number;
}

export type PendingSave = {
  readonly kind: "save" | "update";
  readonly origin: string;
  readonly username: string;
  readonly itemId?: string;
};

export interface Status {
  readonly state: "signed-out" | "locked" | "unlocked";
  readonly email?: string;
  readonly serverUrl?: string;
  readonly sync?: string;
}

/** Popup → worker. */
export type PopupRequest =
  | { type: "status" }
  | { type: "signIn"; serverUrl: string; email: string; password: string; eakText: string }
  | { type: "unlock"; password: string }
  | { type: "lock" }
  | { type: "signOut"; discardUnsynced?: boolean }
  | { type: "logins"; tabId: number; query: string }
  | { type: "reveal"; id: string }
  | { type: "totp"; id: string }
  | { type: "fill"; tabId: number; id: string; confirmFrame?: number }
  | { type: "matchInfo"; id: string }
  | { type: "setSameSite"; id: string; on: boolean }
  | { type: "settings" }
  | { type: "setSettings"; settings: Settings }
  | { type: "pendingSave"; tabId: number }
  | { type: "confirmSave"; tabId: number; accept: boolean }
  | { type: "sync" };

export type FillAnswer =
  | { readonly ok: true; readonly filled: number; readonly origin: string }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly text: string;
      readonly confirmFrame?: { frameId: number; origin: string; top: string };
    };

/** Content script → worker. */
export type ContentRequest =
  | { type: "report"; nonce: string; found: { username: boolean; password: boolean; otp: boolean }; visible: boolean }
  | { type: "submitted"; username: string; password: string };

/** Worker → content script. */
export type ContentCommand = { type: "fill"; nonce: string; username: string; password: string; otp: string };

export type Answer<T> = { ok: true; value: T } | { ok: false; code: string; text: string };
