// One device's sync with its server over time, the same in every app (the web page, the extension's worker):
// one sync at a time (a call meanwhile asks for one more round), the live channel with back-off, and the
// outcome of the last sync as a state with a stable code that each app words for its own screen.
import { type ApiClient, ApiError } from "../client/api-client.ts";
import { isCryptexError } from "../errors.ts";
import type { SyncReport, Vault } from "./engine.ts";
import type { SyncServer } from "./ports.ts";

export type SyncStatus = "idle" | "syncing" | "offline" | "error" | "signed-out";

/** What the last sync came to: a stable code, never UI text. */
export type SyncOutcome =
  | "not_synced_yet"
  | "syncing"
  | "synced"
  /** the server cannot be reached: changes stay on the device */
  | "network"
  /** the server ended this device's session (revoked, expired): sign in again */
  | "signed_out"
  /** the Account Key was replaced on another device: sign in with the new QR code */
  | "key_rotated"
  /** the server says the account was reset or erased */
  | "account_erased"
  /** this device found the account reset under it (a new generation of everything) */
  | "account_reset"
  /** the server served older data than this device has seen */
  | "rollback"
  /** the server answered for another account */
  | "foreign_key"
  /** swapped, forged or unreadable data: set aside, nothing applied */
  | "integrity"
  /** an Account Key rotation started on this device must be finished first */
  | "rotation_pending"
  | "failed";

export interface SyncState {
  readonly status: SyncStatus;
  readonly code: SyncOutcome;
  /** conflicts the last sync kept as copies */
  readonly conflicts: number;
  /** for `failed`: the error's own message, bounded */
  readonly detail?: string;
  readonly at: number;
}

/** A sync error as a state: which status it puts the device in, and its code. */
export function classifySyncError(e: unknown): Pick<SyncState, "status" | "code" | "detail"> {
  if (e instanceof ApiError) {
    if (e.code === "network") return { status: "offline", code: "network" };
    if (e.code === "account_reset") return { status: "error", code: "account_erased" };
    if (e.code === "key_rotated") return { status: "signed-out", code: "key_rotated" };
    if (e.status === 401) return { status: "signed-out", code: "signed_out" };
  }
  if (isCryptexError(e, "account_reset")) return { status: "error", code: "account_reset" };
  if (isCryptexError(e, "rollback")) return { status: "error", code: "rollback" };
  if (isCryptexError(e, "foreign_key")) return { status: "error", code: "foreign_key" };
  if (isCryptexError(e, "rotation_pending")) return { status: "error", code: "rotation_pending" };
  if (isCryptexError(e)) return { status: "error", code: "integrity" };
  return { status: "error", code: "failed", detail: e instanceof Error ? e.message.slice(0, 200) : "unknown error" };
}

export type LiveServer = SyncServer & Pick<ApiClient, "events">;

export interface SyncLoopPorts {
  readonly vault: Vault;
  /** the server as this device is signed in to it now; undefined when it keeps no session */
  readonly server: () => LiveServer | undefined | Promise<LiveServer | undefined>;
  /** true while an Account Key rotation started here is unfinished: sync waits for it */
  readonly rotationPending?: () => boolean | Promise<boolean>;
  /** every report of a sync that went through (conflicts, quarantine, refusals, a password change) */
  readonly onReport?: (r: SyncReport) => void | Promise<void>;
  readonly onState?: (s: SyncState) => void;
  readonly now?: () => number;
}

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30_000;

export class SyncLoop {
  state: SyncState;
  private readonly ports: SyncLoopPorts;
  private readonly now: () => number;
  private running: Promise<void> | undefined;
  private again = false;
  private live: AbortController | undefined;
  private closed = false;

  constructor(ports: SyncLoopPorts) {
    this.ports = ports;
    this.now = ports.now ?? Date.now;
    this.state = { status: "idle", code: "not_synced_yet", conflicts: 0, at: 0 };
  }

  private set(s: Omit<SyncState, "at" | "conflicts"> & { conflicts?: number }): void {
    this.state = { conflicts: 0, ...s, at: this.now() };
    this.ports.onState?.(this.state);
  }

  /** Sync now; a call during a running sync asks for one more round after it. */
  sync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.syncOnce();
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    // signed out stays signed out until resume(): a sync with the dead session would flip the state through
    // "syncing" and back, and a screen asking for the password would be rebuilt under the person typing it
    if (this.state.status === "signed-out") return;
    const server = await this.ports.server();
    if (!server) return this.set({ status: "signed-out", code: "signed_out" });
    if (await this.ports.rotationPending?.()) return this.set({ status: "error", code: "rotation_pending" });
    this.set({ status: "syncing", code: "syncing" });
    try {
      const report = await this.ports.vault.sync(server);
      await this.ports.onReport?.(report);
      this.set({ status: "idle", code: "synced", conflicts: report.conflicts.length });
    } catch (e) {
      this.set(classifySyncError(e));
    }
  }

  /** After signing in again: the state leaves "signed-out", the live channel restarts, and a sync runs. */
  async resume(): Promise<void> {
    this.set({ status: "syncing", code: "syncing" });
    this.live?.abort();
    this.live = undefined;
    this.startLive();
    await this.sync();
  }

  /** Listens to the server's live channel and syncs on each revision newer than the cursor; reconnects with back-off. */
  startLive(): void {
    if (this.live || this.closed) return;
    const ctl = new AbortController();
    this.live = ctl;
    void (async () => {
      let delay = FIRST_RETRY_MS;
      while (!ctl.signal.aborted) {
        const server = await this.ports.server();
        if (!server) return;
        try {
          for await (const ev of server.events(ctl.signal)) {
            delay = FIRST_RETRY_MS;
            if (ev.type === "revision" && ev.revision > ((await this.ports.vault.store.readMeta())?.cursor ?? 0)) void this.sync();
            if (ev.type === "account") void this.sync();
          }
        } catch (e) {
          if (ctl.signal.aborted) return;
          if (e instanceof ApiError && e.status === 401) {
            this.set(classifySyncError(e));
            return;
          }
        }
        if (ctl.signal.aborted) return;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, LAST_RETRY_MS);
        void this.sync();
      }
    })();
  }

  close(): void {
    this.closed = true;
    this.live?.abort();
  }
}
