// Key custody in the worker: the Account Key lives only in this worker's memory and chrome.storage.session
// (memory-only, trusted contexts only), so it survives the worker being stopped but not a browser restart.
// The EAK, account and settings are in chrome.storage.local: none of it opens the vault without the password.

import {
  type AccountKey,
  type AccountKeys,
  b64uDecode,
  b64uEncode,
  deriveAccountKeys,
  parseAccountId,
  parseAccountKey,
} from "@cryptex/core";
import { unlockWithPassword } from "@cryptex/core/client/account.ts";
import { deriveLocalKeys, type LocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import type { Settings } from "../shared/messages.ts";

/** What this device knows about its account; public or ciphertext only. */
export interface Device {
  readonly accountId: string;
  readonly email: string;
  readonly serverUrl: string;
  readonly eak: Uint8Array;
}

interface SessionRecord {
  ak: string;
  accountId: string;
  lastActivity: number;
}

export const AUTO_LOCK_CHOICES = [1, 5, 10, 15, 30, 60, 0] as const;
const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 15 };

export async function readDevice(): Promise<Device | undefined> {
  const { device } = await chrome.storage.local.get("device");
  const d = device as { accountId?: unknown; email?: unknown; serverUrl?: unknown; eak?: unknown } | undefined;
  if (!d || typeof d.accountId !== "string" || typeof d.email !== "string" || typeof d.serverUrl !== "string" || typeof d.eak !== "string")
    return undefined;
  const eak = b64uDecode(d.eak);
  return eak ? { accountId: d.accountId, email: d.email, serverUrl: d.serverUrl, eak } : undefined;
}

export async function writeDevice(d: Device): Promise<void> {
  await chrome.storage.local.set({ device: { accountId: d.accountId, email: d.email, serverUrl: d.serverUrl, eak: b64uEncode(d.eak) } });
}

export async function readSettings(): Promise<Settings> {
  const { settings } = await chrome.storage.local.get("settings");
  const m = (settings as { autoLockMinutes?: unknown } | undefined)?.autoLockMinutes;
  return typeof m === "number" && (AUTO_LOCK_CHOICES as readonly number[]).includes(m) ? { autoLockMinutes: m } : DEFAULT_SETTINGS;
}

export async function writeSettings(s: Settings): Promise<void> {
  if (!(AUTO_LOCK_CHOICES as readonly number[]).includes(s.autoLockMinutes)) throw new RangeError("auto-lock choice not offered");
  await chrome.storage.local.set({ settings: { autoLockMinutes: s.autoLockMinutes } });
}

/** The keys an open vault needs: the account's, and the device-only ones of its sealed caches. */
export interface OpenKeys {
  readonly keys: AccountKeys;
  readonly local: LocalKeys;
}

/** Unlocks with the password against the stored EAK (offline) and keeps the AK for this browser session. */
export async function unlock(device: Device, password: string): Promise<OpenKeys> {
  const u = await unlockWithPassword({ accountId: device.accountId, eak: device.eak }, password);
  await remember(u.accountKey, device.accountId);
  return { keys: u.keys, local: await deriveLocalKeys(u.accountKey, u.keys.accountId) };
}

export async function remember(ak: AccountKey, accountId: string): Promise<void> {
  const rec: SessionRecord = { ak, accountId, lastActivity: Date.now() };
  await chrome.storage.session.set({ unlocked: rec });
}

/** After a worker restart: the keys again from the AK kept in session storage, if still unlocked. */
export async function restore(): Promise<OpenKeys | undefined> {
  const { unlocked } = await chrome.storage.session.get("unlocked");
  const rec = unlocked as SessionRecord | undefined;
  if (!rec || typeof rec.ak !== "string" || typeof rec.accountId !== "string") return undefined;
  const ak = parseAccountKey(rec.ak);
  const accountId = parseAccountId(rec.accountId);
  const [keys, local] = await Promise.all([deriveAccountKeys(ak, accountId), deriveLocalKeys(ak, accountId)]);
  return { keys, local };
}

export async function touch(): Promise<void> {
  const { unlocked } = await chrome.storage.session.get("unlocked");
  if (unlocked) await chrome.storage.session.set({ unlocked: { ...(unlocked as SessionRecord), lastActivity: Date.now() } });
}

export async function lastActivity(): Promise<number | undefined> {
  const { unlocked } = await chrome.storage.session.get("unlocked");
  return (unlocked as SessionRecord | undefined)?.lastActivity;
}

/** Forgets every unlocked secret: session storage (AK, pending logins) is cleared. */
export async function forget(): Promise<void> {
  await chrome.storage.session.clear();
}
