// The extension's other ways in, end to end in Debian's Chromium with the built extension loaded: the fixed
// extension id from the manifest key, the keyboard command, the context menu, the screen-lock auto-lock, and the
// per-login same-site option in the popup (sibling subdomains only once it is on; never another registrable
// domain, private suffixes such as github.io included).
//
// What the browser cannot deliver here, and how the test reaches the same code instead:
// - Keyboard command: headless Chromium 156 sends CDP key events to the page, not to the browser's accelerators,
//   so no extension command fires on a key press (checked: Alt+Shift+L, Ctrl+Shift+U/Y). The test checks that the
//   browser bound the suggested key (chrome.commands.getAll), then dispatches chrome.commands.onCommand from the
//   worker: the event object the browser fires, running the listeners main.ts registered.
// - Context menu: a headless menu cannot be clicked. The test checks the browser holds our menu item
//   (contextMenus.update fails for an unknown id), then dispatches chrome.contextMenus.onClicked the same way.
// - Screen lock: chrome.idle reads the OS idle state. CDP Emulation.setIdleOverride is not found on the worker
//   target, and on a page target it changes only the Idle Detection API (chrome.idle.queryState stays
//   "active"), so the test dispatches chrome.idle.onStateChanged("locked") from the worker.
// Each of these fails if main.ts stops registering its listener.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createItem, fieldValue } from "@cryptex/core/vault/item.ts";
import type { Page } from "playwright-core";
import { buildExtension } from "../packages/extension/build.ts";
import { type Device, STRONG_PASSWORD, startWorld, type World } from "./support/devices.ts";
import { type ExtensionBrowser, launchWithExtension } from "./support/extension-browser.ts";
import { startTestSites, type TestSites } from "./support/test-sites.ts";

const OUT = new URL("../.test-output/extension/", import.meta.url).pathname;
const MANIFEST = new URL("../packages/extension/manifest.json", import.meta.url);
/** The id Chromium gives the key in manifest.json, whatever folder the extension is loaded from. */
const EXPECTED_ID = "jdkhahnpgdoinpbmnalddhjapikneelh";
const HOSTS = ["bank.test", "blog.bank.test", "bank-secure.test", "alice.github.io", "bob.github.io"];
const BANK_PASSWORD = "planted-bank-pw-77e0a1";
const PAGES_PASSWORD = "planted-pages-pw-3b9f2c";

let world: World;
let laptop: Device;
let sites: TestSites;
let ext: ExtensionBrowser;
let page: Page;
let bankId: string;
let n = 0;

async function visit(host: string): Promise<void> {
  await page.goto(`${sites.url(host, "/login")}?n=${++n}`);
  await page.locator("#pass").waitFor();
}
const values = () => page.evaluate(() => [...document.querySelectorAll("input")].map((i) => i.value).join("|"));
/** Waits until the page's fields hold something, or the time is up; returns what they hold. */
async function valuesAfter(ms: number): Promise<string> {
  const end = Date.now() + ms;
  let v = await values();
  while (v === "|" && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    v = await values();
  }
  return v;
}
const sessionKeys = async () => (await ext.worker()).evaluate(async () => Object.keys(await chrome.storage.session.get(null)));

async function popup(): Promise<Page> {
  const p = await ext.openPopup(page);
  p.on("pageerror", (e) => console.error("popup error:", e.message));
  return p;
}
/** Fills from a freshly loaded popup, so no note of an earlier fill is mistaken for this one's. */
async function fillFromPopup(p: Page, title: string): Promise<string> {
  await p.reload();
  await p.getByRole("searchbox", { name: "Search logins" }).fill(title);
  await p
    .getByRole("button", { name: `Fill ${title}` })
    .first()
    .click();
  const note = p.locator("p.ok, p.error:not(.sync-note)").first();
  await note.waitFor({ timeout: 15_000 });
  return (await note.textContent()) ?? "";
}
async function sameSite(p: Page, title: string, on: boolean): Promise<void> {
  await p.getByRole("searchbox", { name: "Search logins" }).fill(title);
  const sitesButton = p.getByRole("button", { name: `Sites for ${title}` }).first();
  if ((await sitesButton.getAttribute("aria-expanded")) !== "true") await sitesButton.click();
  const box = p.getByRole("group", { name: `Where ${title} fills` }).getByRole("checkbox");
  if (on) await box.check();
  else await box.uncheck();
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  const dir = await buildExtension(mkdtempSync(join(tmpdir(), "cryptex-ext-build-")));
  world = await startWorld();
  laptop = await world.signUpDevice("laptop");
  sites = await startTestSites(HOSTS);
  const bank = createItem({
    type: "login",
    title: "Bank",
    fields: { username: "alice", password: BANK_PASSWORD, url: sites.url("bank.test", "/") },
  });
  bankId = bank.id;
  await laptop.vault.save(bank, null);
  const pages = createItem({
    type: "login",
    title: "Pages",
    fields: { username: "alice-gh", password: PAGES_PASSWORD, url: sites.url("alice.github.io", "/") },
  });
  await laptop.vault.save(pages, null);
  await laptop.vault.sync(laptop.api);
  ext = await launchWithExtension(dir, [world.server.caPem, sites.certPem], HOSTS);
  page = await ext.context.newPage();
  await visit("bank.test");
  const p = await popup();
  await p.getByLabel("Server address").fill(world.proxy.url);
  await p.getByLabel("Email").fill(laptop.email);
  await p.getByLabel("Account password").fill(STRONG_PASSWORD);
  await p.getByLabel("…or its text").fill(laptop.account.eakText);
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByRole("button", { name: "Fill Bank" }).waitFor({ timeout: 60_000 });
  await p.close();
});

after(async () => {
  await ext?.close();
  await sites?.stop();
  await world?.stop();
});

test("the extension id is the one of the manifest key, not of the folder it was loaded from", () => {
  const key = (JSON.parse(readFileSync(MANIFEST, "utf8")) as { key: string }).key;
  const hex = createHash("sha256").update(Buffer.from(key, "base64")).digest("hex").slice(0, 32);
  const id = [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join("");
  assert.equal(id, EXPECTED_ID);
  assert.equal(ext.id, EXPECTED_ID);
});

test("the keyboard command fills the login of the page's exact origin, and nothing on a sibling subdomain", async () => {
  const sw = await ext.worker();
  const commands = await sw.evaluate(() => chrome.commands.getAll());
  assert.equal(commands.find((c) => c.name === "fill_login")?.shortcut, "Alt+Shift+L", "the browser bound the suggested key");
  const command = async () => {
    const tabId = await ext.tabIdOf(page);
    await (await ext.worker()).evaluate(async (id) => {
      const tab = await chrome.tabs.get(id);
      (chrome.commands.onCommand as unknown as { dispatch(c: string, t: chrome.tabs.Tab): void }).dispatch("fill_login", tab);
    }, tabId);
  };
  await visit("blog.bank.test");
  await command();
  assert.equal(await valuesAfter(2_000), "|", "a sibling subdomain is not the saved origin");
  await visit("bank.test");
  await command();
  assert.equal(await valuesAfter(10_000), `alice|${BANK_PASSWORD}`);
  assert.equal(sites.posts.length, 0, "nothing was submitted");
});

test("the context menu item exists and fills the login of the page's exact origin", async () => {
  const sw = await ext.worker();
  await sw.evaluate(() => chrome.contextMenus.update("cryptex-fill", {})); // rejects when the browser has no such item
  const click = async () => {
    const tabId = await ext.tabIdOf(page);
    await (await ext.worker()).evaluate(async (id) => {
      const tab = await chrome.tabs.get(id);
      const info = { menuItemId: "cryptex-fill", editable: true, frameId: 0, pageUrl: tab.url ?? "" };
      (chrome.contextMenus.onClicked as unknown as { dispatch(i: object, t: chrome.tabs.Tab): void }).dispatch(info, tab);
    }, tabId);
  };
  await visit("bank-secure.test");
  await click();
  assert.equal(await valuesAfter(2_000), "|", "a look-alike origin is not filled");
  await visit("bank.test");
  await click();
  assert.equal(await valuesAfter(10_000), `alice|${BANK_PASSWORD}`);
});

test("a screen lock locks the vault at once; merely idle does not", async () => {
  const sw = await ext.worker();
  const fire = (state: string) =>
    sw.evaluate((s) => (chrome.idle.onStateChanged as unknown as { dispatch(s: string): void }).dispatch(s), state);
  assert.ok((await sessionKeys()).includes("unlocked"));
  await fire("idle");
  await new Promise((r) => setTimeout(r, 500));
  assert.ok((await sessionKeys()).includes("unlocked"), "idle alone is left to the auto-lock timer");
  await fire("locked");
  const end = Date.now() + 10_000;
  while (Date.now() < end && (await sessionKeys()).length > 0) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(await sessionKeys(), [], "the Account Key is gone from session storage");
  const p = await popup();
  await p.getByRole("button", { name: "Unlock" }).waitFor();
  await p.getByLabel("Account password").fill(STRONG_PASSWORD);
  await p.getByRole("button", { name: "Unlock" }).click();
  await p.getByRole("button", { name: "Lock" }).waitFor({ timeout: 30_000 });
  await p.close();
});

test("same-site option: a sibling subdomain fills only once it is on, another registrable domain never", async () => {
  await visit("blog.bank.test");
  const p = await popup();
  assert.match(await fillFromPopup(p, "Bank"), /not saved for this site/);
  assert.equal(await values(), "|");
  await sameSite(p, "Bank", true);
  // the login now belongs to this page: listed first (its panel still open), and filled
  const here = p.getByRole("region", { name: "This site" });
  await here.getByRole("button", { name: "Fill Bank" }).waitFor();
  await here
    .getByRole("group", { name: "Where Bank fills" })
    .getByText(/Saved for https:\/\/bank\.test:\d+/)
    .waitFor();
  assert.ok(await here.getByRole("checkbox", { name: "Also fill on other addresses of bank.test" }).isChecked());
  await p.screenshot({ path: join(OUT, "08-same-site.png") });
  assert.match(await fillFromPopup(p, "Bank"), /Filled on https:\/\/blog\.bank\.test:\d+/);
  assert.equal(await values(), `alice|${BANK_PASSWORD}`);
  await p.close();
  // the option is part of the item: it syncs to the other device
  await laptop.vault.sync(laptop.api);
  assert.equal(fieldValue(await laptop.vault.get(bankId as never), "match"), "same-site");
  // a look-alike is another registrable domain: still refused
  await visit("bank-secure.test");
  const p2 = await popup();
  assert.match(await fillFromPopup(p2, "Bank"), /not saved for this site/);
  assert.equal(await values(), "|");
  await p2.close();
  // github.io is a private public suffix: alice.github.io and bob.github.io are different sites
  await visit("bob.github.io");
  const p3 = await popup();
  await sameSite(p3, "Pages", true);
  await p3.getByRole("group", { name: "Where Pages fills" }).getByText("Also fill on other addresses of alice.github.io").waitFor();
  assert.match(await fillFromPopup(p3, "Pages"), /not saved for this site/);
  assert.equal(await values(), "|");
  await p3.close();
  // and off again: the sibling is refused again
  await visit("blog.bank.test");
  const p4 = await popup();
  await sameSite(p4, "Bank", false);
  assert.match(await fillFromPopup(p4, "Bank"), /not saved for this site/);
  assert.equal(await values(), "|");
  await p4.close();
});
