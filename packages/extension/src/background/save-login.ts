// "Save this login?" / "Update password?": a submitted login form is held in session memory (never on disk)
// until the user confirms or dismisses it in the popup; nothing is saved without that confirmation.
import type { ItemId } from "@cryptex/core";
import { createItem, editItem, fieldValue } from "@cryptex/core/vault/item.ts";
import type { PendingSave } from "../shared/messages.ts";
import { parsePlace } from "./fill-policy.ts";
import type { OpenVault } from "./open-vault.ts";

interface Submission {
  origin: string;
  username: string;
  password: string;
  at: number;
}

const MAX_AGE_MS = 10 * 60_000;
const key = (tabId: number) => `submitted:${tabId}`;

/** Records a submitted login from a content script; the origin is the browser's, not the page's claim. */
export async function noteSubmission(tabId: number, origin: string, username: unknown, password: unknown): Promise<boolean> {
  if (typeof username !== "string" || typeof password !== "string") return false;
  if (!password || password.length > 4096 || username.length > 1024) return false;
  const place = parsePlace(origin);
  if (!place || place.origin !== origin) return false;
  const s: Submission = { origin, username, password, at: Date.now() };
  await chrome.storage.session.set({ [key(tabId)]: s });
  return true;
}

async function read(tabId: number): Promise<Submission | undefined> {
  const s = (await chrome.storage.session.get(key(tabId)))[key(tabId)] as Submission | undefined;
  if (!s || Date.now() - s.at > MAX_AGE_MS) return undefined;
  return s;
}

/** What the popup should offer for this tab, if anything: new login, changed password, or nothing. */
export async function pendingSave(tabId: number, v: OpenVault): Promise<(PendingSave & { itemId?: ItemId }) | undefined> {
  const s = await read(tabId);
  if (!s) return undefined;
  for (const id of v.origins.lookup(s.origin).exact) {
    const item = await v.get(id);
    if ((fieldValue(item, "username") ?? "") !== s.username) continue;
    if (fieldValue(item, "password") === s.password) {
      await dismiss(tabId);
      return undefined;
    }
    return { kind: "update", origin: s.origin, username: s.username, itemId: id };
  }
  return { kind: "save", origin: s.origin, username: s.username };
}

export async function dismiss(tabId: number): Promise<void> {
  await chrome.storage.session.remove(key(tabId));
  await chrome.action.setBadgeText({ tabId, text: "" }).catch(() => {});
}

/** The user's answer in the popup: saves a new login or updates the password (kept in history), then forgets. */
export async function confirmSave(tabId: number, v: OpenVault, accept: boolean): Promise<boolean> {
  const s = await read(tabId);
  const p = accept ? await pendingSave(tabId, v) : undefined;
  await dismiss(tabId);
  if (!s || !p) return false;
  if (p.kind === "update" && p.itemId) {
    const base = await v.get(p.itemId);
    await v.save(editItem(base, { fields: { password: s.password } }), base);
  } else {
    const host = new URL(s.origin).hostname;
    await v.save(createItem({ type: "login", title: host, fields: { username: s.username, password: s.password, url: s.origin } }), null);
  }
  return true;
}
