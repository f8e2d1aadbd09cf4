// The extension's service worker: the only place that holds keys or plaintext. Wires the browser's events
// (messages, alarms, screen lock, keyboard command, context menu) to the worker's state and fill flow.
import { type ItemId, parseItemId } from "@cryptex/core";
import { fillTab, matchModeOf } from "./fill-flow.ts";
import { onMessage } from "./router.ts";
import { lastActivity } from "./session.ts";
import { currentVault, lock, lockIfIdle, refreshDevice } from "./worker-state.ts";

chrome.runtime.onMessage.addListener(onMessage);

chrome.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name === "autolock") await lockIfIdle(await lastActivity());
  if (alarm.name === "sync") {
    const v = await currentVault();
    if (v) await v.sync().then(refreshDevice);
  }
});

chrome.idle.onStateChanged.addListener((state) => {
  if (state === "locked") void lock();
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({ id: "cryptex-fill", title: "Fill login with Cryptex", contexts: ["editable"] });
});

/**
 * Keyboard command or context menu: fill the newest login saved for the page's exact origin, else the newest
 * one of its site that has the same-site option on. The fill policy decides again either way.
 */
async function fillBest(tab: chrome.tabs.Tab | undefined): Promise<void> {
  if (tab?.id === undefined || !tab.url) return;
  const v = await currentVault();
  if (!v) {
    await chrome.action.setBadgeText({ tabId: tab.id, text: "🔒" }).catch(() => {});
    return;
  }
  const { exact, site } = v.origins.lookup(tab.url);
  const newestFirst = (ids: ItemId[]) => ids.map((id) => v.entries.get(id)!).sort((a, b) => b.updatedAt - a.updatedAt);
  const [first] = newestFirst(exact);
  let best = first ? await v.get(parseItemId(first.id)) : undefined;
  for (const e of best ? [] : newestFirst(site)) {
    const item = await v.get(parseItemId(e.id));
    if (matchModeOf(item) === "site") {
      best = item;
      break;
    }
  }
  if (best) await fillTab(tab.id, best, { gesture: true });
}

chrome.commands.onCommand.addListener(async (command, tab) => {
  if (command !== "fill_login") return;
  const target = tab ?? (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0];
  await fillBest(target);
});

chrome.contextMenus.onClicked.addListener(async (info, tab) => {
  if (info.menuItemId === "cryptex-fill") await fillBest(tab);
});
