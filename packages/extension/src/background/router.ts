// Every message into the worker passes here. Extension pages (the popup) may ask for anything the user can
// do; content scripts may only report fields and submitted logins; anything else is refused.

import { CryptexError, type IndexEntry, parseItemId, searchIndex } from "@cryptex/core";
import { ApiError } from "@cryptex/core/client/api-client.ts";
import { fieldValue } from "@cryptex/core/vault/item.ts";
import { parseTotp, totp } from "@cryptex/core/vault/totp.ts";
import { errorText } from "@cryptex/web/src/ui/error-text.ts";
import type { Answer, ContentRequest, LoginRow, PopupRequest } from "../shared/messages.ts";
import { acceptReport, fillTab, itemUrls, matchModeOf } from "./fill-flow.ts";
import { parsePlace } from "./fill-policy.ts";
import type { OpenVault } from "./open-vault.ts";
import { confirmSave, dismiss, noteSubmission, pendingSave } from "./save-login.ts";
import { readDevice, readSettings, touch, writeSettings } from "./session.ts";
import { matchInfo, setSameSite } from "./site-match.ts";
import { currentVault, lock, refreshDevice, signInDevice, signOut, unlockVault } from "./worker-state.ts";

const MAX_ROWS = 50;

/** An extension page of ours: its URL is inside our own origin (content scripts report the page's URL). */
export function isExtensionPage(sender: chrome.runtime.MessageSender): boolean {
  return sender.id === chrome.runtime.id && typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
}

class Refused extends Error {
  readonly code: string;
  constructor(code: string, text: string) {
    super(text);
    this.code = code;
  }
}

async function unlocked(): Promise<OpenVault> {
  const v = await currentVault();
  if (!v) throw new Refused("locked", "Cryptex is locked.");
  await touch();
  return v;
}

function row(v: OpenVault, id: string): LoginRow | undefined {
  const e = v.entries.get(parseItemId(id));
  return e && { id: e.id, title: e.title, subtitle: e.subtitle, url: e.urls[0] ?? "" };
}

async function tabUrl(tabId: number): Promise<string> {
  // tabs.get throws (not rejects) on an id that is not a tab id, e.g. a popup with no tab behind it
  if (!Number.isSafeInteger(tabId) || tabId < 0) return "";
  const tab = await chrome.tabs.get(tabId).catch(() => undefined);
  return tab?.url ?? "";
}

/** Logins for the tab's page first (exact origin, then opted-in same-site ones), then search results. */
async function logins(v: OpenVault, tabId: number, query: string) {
  const url = await tabUrl(tabId);
  const { exact, site } = v.origins.lookup(url);
  const here: LoginRow[] = [];
  for (const id of exact.slice(0, MAX_ROWS)) {
    const r = row(v, id);
    if (r) here.push(r);
  }
  for (const id of site.slice(0, 20)) {
    const item = await v.get(id);
    if (matchModeOf(item) === "site") here.push({ ...row(v, id)!, url: itemUrls(item)[0] ?? "" });
  }
  const q = query.trim().slice(0, 200);
  const logins = (e: IndexEntry) => !e.trashed && e.type === "login";
  const hits = q ? searchIndex(v.entries.values(), q, MAX_ROWS * 2).filter(logins) : newest(v.entries.values(), logins, MAX_ROWS);
  const results = hits.slice(0, MAX_ROWS).map((e) => row(v, e.id)!);
  // only a web page has a site to name (not the popup's own page, a new tab or chrome://)
  const origin = parsePlace(url)?.origin ?? "";
  return { origin, here, results };
}

/** The k newest entries that pass `keep`, in one pass (no sort of a 100,000-entry vault on every popup open). */
function newest(entries: Iterable<IndexEntry>, keep: (e: IndexEntry) => boolean, k: number): IndexEntry[] {
  const top: IndexEntry[] = [];
  for (const e of entries) {
    if (!keep(e) || (top.length === k && e.updatedAt <= top[k - 1]!.updatedAt)) continue;
    let i = top.length;
    while (i > 0 && top[i - 1]!.updatedAt < e.updatedAt) i--;
    top.splice(i, 0, e);
    if (top.length > k) top.pop();
  }
  return top;
}

async function handlePopup(req: PopupRequest): Promise<unknown> {
  switch (req.type) {
    case "status": {
      const device = await readDevice();
      if (!device) return { state: "signed-out" };
      const v = await currentVault();
      return { state: v ? "unlocked" : "locked", email: device.email, serverUrl: device.serverUrl, sync: v?.syncNote };
    }
    case "signIn":
      await signInDevice(String(req.serverUrl).trim(), String(req.email).trim(), String(req.password), String(req.eakText));
      return true;
    case "unlock":
      await unlockVault(String(req.password));
      return true;
    case "lock":
      await lock();
      return true;
    case "signOut":
      return signOut(req.discardUnsynced === true);
    case "logins":
      return logins(await unlocked(), req.tabId, String(req.query ?? ""));
    case "reveal": {
      const item = await (await unlocked()).get(parseItemId(req.id));
      return {
        username: fieldValue(item, "username") ?? "",
        password: fieldValue(item, "password") ?? "",
        hasTotp: !!fieldValue(item, "totp"),
      };
    }
    case "totp": {
      const secret = fieldValue(await (await unlocked()).get(parseItemId(req.id)), "totp");
      if (!secret) throw new Refused("no_totp", "This login has no one-time password.");
      return totp(parseTotp(secret));
    }
    case "fill": {
      const item = await (await unlocked()).get(parseItemId(req.id));
      return fillTab(req.tabId, item, {
        gesture: true,
        ...(typeof req.confirmFrame === "number" ? { confirmFrame: req.confirmFrame } : {}),
      });
    }
    case "matchInfo":
      return matchInfo(await unlocked(), parseItemId(req.id));
    case "setSameSite": {
      const v = await unlocked();
      const info = await matchInfo(v, parseItemId(req.id));
      if (req.on === true && !info.site) throw new Refused("no_site", "This login has no site name to share (an IP address or localhost).");
      return setSameSite(v, parseItemId(req.id), req.on === true);
    }
    case "settings":
      return readSettings();
    case "setSettings":
      await writeSettings(req.settings);
      return true;
    case "pendingSave": {
      const v = await currentVault();
      return v ? ((await pendingSave(req.tabId, v)) ?? null) : null;
    }
    case "confirmSave": {
      const v = await unlocked();
      if (!req.accept) {
        await dismiss(req.tabId);
        return false;
      }
      return confirmSave(req.tabId, v, true);
    }
    case "sync": {
      const v = await unlocked();
      await v.sync();
      await refreshDevice();
      return v.syncNote;
    }
    default:
      throw new Refused("unknown_request", "Unknown request.");
  }
}

async function handleContent(req: ContentRequest, sender: chrome.runtime.MessageSender): Promise<unknown> {
  switch (req?.type) {
    case "report":
      return acceptReport(req, sender);
    case "submitted": {
      const tabId = sender.tab?.id;
      if (tabId === undefined || !sender.origin) return false;
      const noted = await noteSubmission(tabId, sender.origin, req.username, req.password);
      if (!noted) return false;
      const v = await currentVault();
      const offer = v ? await pendingSave(tabId, v) : { kind: "save" };
      if (offer) await chrome.action.setBadgeText({ tabId, text: "+" }).catch(() => {});
      return true;
    }
    default:
      // a page or a compromised content script asking for keys, reveal, unlock…: refused, without detail
      throw new Refused("forbidden", "Not allowed from a web page.");
  }
}

function failure(e: unknown): Answer<never> {
  if (e instanceof Refused) return { ok: false, code: e.code, text: e.message };
  if (e instanceof CryptexError || e instanceof ApiError) return { ok: false, code: e.code, text: errorText(e) };
  return { ok: false, code: "internal", text: "Something went wrong. Please try again." };
}

export function onMessage(msg: unknown, sender: chrome.runtime.MessageSender, reply: (a: Answer<unknown>) => void): true {
  const work = isExtensionPage(sender) ? handlePopup(msg as PopupRequest) : handleContent(msg as ContentRequest, sender);
  work.then(
    (value) => reply({ ok: true, value }),
    (e) => reply(failure(e)),
  );
  return true;
}
