// The browser extension end to end: Debian's Chromium with the built extension loaded, the real server, and
// test sites on several host names. Sign in as a new device, sync, fill on the right site; every attack page
// is refused; save-login after a real submit; the session survives a worker restart; auto-lock by alarm.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createItem } from "@cryptex/core/vault/item.ts";
import type { Page } from "playwright-core";
import { buildExtension } from "../packages/extension/build.ts";
import { type Device, STRONG_PASSWORD, startWorld, type World } from "./support/devices.ts";
import { type ExtensionBrowser, launchWithExtension } from "./support/extension-browser.ts";
import { startTestSites, type TestSites } from "./support/test-sites.ts";

const OUT = new URL("../.test-output/extension/", import.meta.url).pathname;
const HOSTS = ["bank.test", "blog.bank.test", "bank-secure.test", "evil.test", "shop.test"];
const BANK_PASSWORD = "planted-bank-pw-4c1d9e";

let world: World;
let laptop: Device;
let sites: TestSites;
let ext: ExtensionBrowser;
let page: Page;
let bankId: string;
let n = 0;

/** Opens a test page under a unique URL (so its tab can be found) in the one page tab. */
async function visit(host: string, path: string, scheme: "https" | "http" = "https"): Promise<void> {
  await page.goto(`${sites.url(host, path, scheme)}?n=${++n}`);
}

async function popup(): Promise<Page> {
  const p = await ext.openPopup(page);
  p.on("pageerror", (e) => console.error("popup error:", e.message));
  return p;
}

async function fillFromPopup(title: string): Promise<{ popup: Page; note: string }> {
  const p = await popup();
  await p.getByRole("searchbox", { name: "Search logins" }).fill(title);
  await p
    .getByRole("button", { name: `Fill ${title}` })
    .first()
    .click();
  const note = p.locator("p.ok, p.error, [role=alertdialog]").first();
  await note.waitFor({ timeout: 15_000 });
  return { popup: p, note: (await note.textContent()) ?? "" };
}

const values = (p: Page = page) => p.evaluate(() => [...document.querySelectorAll("input")].map((i) => i.value).join("|"));

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
  await laptop.vault.sync(laptop.api);
  ext = await launchWithExtension(dir, [world.server.caPem, sites.certPem], HOSTS);
  page = await ext.context.newPage();
});

after(async () => {
  await ext?.close();
  await sites?.stop();
  await world?.stop();
});

test("sign in as a new device with e-mail, password and the QR text; the login synced from another device is listed", async () => {
  await visit("bank.test", "/login");
  const p = await popup();
  await p.getByLabel("Server address").fill(world.proxy.url);
  await p.getByLabel("Email").fill(laptop.email);
  await p.getByLabel("Account password").fill(STRONG_PASSWORD);
  await p.getByLabel("…or its text").fill(laptop.account.eakText);
  await p.screenshot({ path: join(OUT, "01-sign-in.png") });
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByRole("heading", { name: `On ${new URL(sites.url("bank.test")).host}` }).waitFor({ timeout: 60_000 });
  await p.getByRole("button", { name: "Fill Bank" }).waitFor();
  await p.screenshot({ path: join(OUT, "02-this-site.png") });
  await p.close();
});

test("fill on the saved origin after a popup click; nothing is submitted", async () => {
  await visit("bank.test", "/login");
  const { popup: p, note } = await fillFromPopup("Bank");
  assert.match(note, /Filled on https:\/\/bank\.test:/);
  assert.equal(await values(), `alice|${BANK_PASSWORD}`);
  assert.equal(sites.posts.length, 0, "the form was not submitted");
  await p.close();
});

const refusals: [string, string, string, RegExp][] = [
  ["a look-alike origin", "bank-secure.test", "/login", /not saved for this site/],
  ["a sibling subdomain", "blog.bank.test", "/login", /not saved for this site/],
  ["an invisible form", "bank.test", "/invisible", /not fully visible/],
  ["a covered form", "bank.test", "/covered", /not fully visible/],
  ["an ancestor-opacity decoy", "bank.test", "/opacity-decoy", /not fully visible/],
];
for (const [what, host, path, why] of refusals) {
  test(`refuses to fill ${what}`, async () => {
    await visit(host, path);
    const { popup: p, note } = await fillFromPopup("Bank");
    assert.match(note, why);
    assert.doesNotMatch(await values(), /alice|planted/);
    await p.close();
  });
}

test("refuses an http: downgrade of an https login", async () => {
  await visit("bank.test", "/login", "http");
  const { popup: p, note } = await fillFromPopup("Bank");
  assert.match(note, /not secure \(http:\)/);
  assert.doesNotMatch(await values(), /alice|planted/);
  await p.close();
});

test("a cross-origin iframe is not filled without a confirmation outside the page, then fills its own origin", async () => {
  await visit("evil.test", "/frame-host");
  const frame = page.frameLocator("#frame");
  await frame.locator("#pass").waitFor();
  const { popup: p, note } = await fillFromPopup("Bank");
  assert.match(note, /frame from https:\/\/bank\.test:\d+ inside https:\/\/evil\.test/);
  const inFrame = () => page.frames()[1]!.evaluate(() => (document.getElementById("pass") as HTMLInputElement).value);
  assert.equal(await inFrame(), "");
  await p.screenshot({ path: join(OUT, "03-frame-confirm.png") });
  await p.getByRole("button", { name: "Fill frame" }).click();
  await p.getByText(/Filled on https:\/\/bank\.test/).waitFor();
  assert.equal(await inFrame(), BANK_PASSWORD);
  assert.equal(await page.evaluate(() => document.querySelectorAll("input").length), 0, "the embedding page has no fields of its own");
  await p.close();
});

test("a page's forged messages neither fill nor reach the extension", async () => {
  await visit("bank.test", "/forger");
  const r = await page.evaluate(
    ([id, item]) => (window as unknown as { forgeAll: (a: string, b: string) => Promise<unknown> }).forgeAll(id!, item!),
    [ext.id, bankId],
  );
  assert.deepEqual(r, { tried: ["no-runtime"], user: "", pass: "" });
});

test("a content script can neither read chrome.storage.session nor ask the worker for secrets", async () => {
  await visit("bank.test", "/login");
  const tabId = await ext.tabIdOf(page);
  const sw = await ext.worker();
  const results = await sw.evaluate(
    async ([tab, item]) => {
      const [r] = await chrome.scripting.executeScript({
        target: { tabId: tab! as number },
        func: async (id: string) => {
          const out: string[] = [];
          try {
            await chrome.storage.session.get(null);
            out.push("session-read");
          } catch {
            out.push("session-denied");
          }
          for (const type of ["reveal", "unlock", "logins", "fill", "status", "signOut"])
            out.push(JSON.stringify(await chrome.runtime.sendMessage({ type, id, tabId: 1, password: "x", query: "" })));
          return out;
        },
        args: [item as string],
      });
      return r?.result as string[];
    },
    [tabId, bankId],
  );
  assert.equal(results[0], "session-denied");
  for (const answer of results.slice(1))
    assert.deepEqual(JSON.parse(answer), { ok: false, code: "forbidden", text: "Not allowed from a web page." });
  assert.doesNotMatch(results.join(" "), /planted|alice/);
});

test("save a new login after a real form submit, confirmed in the popup; then an update", async () => {
  await visit("shop.test", "/signup");
  await page.getByLabel("E-mail").fill("bob@example.test");
  await page.getByLabel("Password").fill("planted-shop-pw-1");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Welcome" }).waitFor();
  assert.equal(sites.posts.length, 1);
  const p = await popup();
  await p.getByText(/Save this login for bob@example\.test on https:\/\/shop\.test:\d+\?/).waitFor();
  await p.screenshot({ path: join(OUT, "04-save-login.png") });
  await p.getByRole("button", { name: "Save", exact: true }).click();
  await p.getByText("Login saved").waitFor();
  await p.close();
  // the login now fills on the shop, and an update is offered after a changed password
  await visit("shop.test", "/signup");
  const { popup: p2, note } = await fillFromPopup("shop.test");
  assert.match(note, /Filled on https:\/\/shop\.test/);
  assert.equal(await values(), "bob@example.test|planted-shop-pw-1");
  await p2.close();
  await page.getByLabel("Password").fill("planted-shop-pw-2");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Welcome" }).waitFor();
  const p3 = await popup();
  await p3.getByText(/Update password for bob@example\.test/).waitFor();
  await p3.getByRole("button", { name: "Update", exact: true }).click();
  await p3.getByText("Password updated").waitFor();
  await p3.close();
  // the saved login reached the server: the laptop syncs it
  await laptop.vault.sync(laptop.api);
  const titles = [...laptop.vault.index.entries.values()].map((e) => e.title);
  assert.ok(titles.includes("shop.test"));
});

test("a stopped service worker keeps the session until lock", async () => {
  const before = await ext.worker();
  await before.evaluate(() => {
    (globalThis as { beforeRestart?: boolean }).beforeRestart = true;
  });
  const browserCdp = await ext.context.browser()!.newBrowserCDPSession();
  const { targetInfos } = await browserCdp.send("Target.getTargets");
  const sw = targetInfos.find((t) => t.type === "service_worker" && t.url.startsWith(`chrome-extension://${ext.id}/`));
  assert.ok(sw, "the worker target exists");
  await browserCdp.send("Target.closeTarget", { targetId: sw.targetId });
  await visit("bank.test", "/login");
  const { popup: p, note } = await fillFromPopup("Bank");
  assert.match(note, /Filled on/);
  assert.equal(await values(), `alice|${BANK_PASSWORD}`);
  const now = ext.context.serviceWorkers().at(-1)!;
  assert.equal(await now.evaluate(() => (globalThis as { beforeRestart?: boolean }).beforeRestart), undefined, "a new worker instance");
  await p.close();
});

test("auto-lock: the alarm locks the vault once the idle time has passed", async () => {
  const p = await popup();
  await p.getByRole("button", { name: "Settings" }).click();
  await p.getByLabel("Lock after inactivity").selectOption("1");
  await p.screenshot({ path: join(OUT, "05-settings.png") });
  const sw = await ext.worker();
  await sw.evaluate(async () => {
    const { unlocked } = await chrome.storage.session.get("unlocked");
    await chrome.storage.session.set({ unlocked: { ...(unlocked as object), lastActivity: Date.now() - 2 * 60_000 } });
    await chrome.alarms.create("autolock", { when: Date.now() + 100 });
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && (await sw.evaluate(async () => Object.keys(await chrome.storage.session.get(null)).length)) > 0)
    await new Promise((r) => setTimeout(r, 100));
  await p.reload();
  await p.getByRole("button", { name: "Unlock" }).waitFor();
  await p.screenshot({ path: join(OUT, "06-locked.png") });
  await p.getByLabel("Account password").fill(STRONG_PASSWORD);
  await p.getByRole("button", { name: "Unlock" }).click();
  await p.getByRole("button", { name: "Lock" }).waitFor({ timeout: 30_000 });
  await p.close();
});

test("sign-out keeps changes the server has not seen unless the user discards them; sync on popup open sends them", async () => {
  world.proxy.onRequest(() => ({ drop: true })); // the server is unreachable
  await visit("shop.test", "/signup");
  await page.getByLabel("E-mail").fill("carol@example.test");
  await page.getByLabel("Password").fill("planted-shop-pw-3");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Welcome" }).waitFor();
  const p = await popup();
  await p.getByRole("button", { name: "Save", exact: true }).click();
  await p.getByText("Login saved").waitFor();
  await p.getByText(/Offline/).waitFor({ timeout: 30_000 });
  await p.getByRole("button", { name: "Lock" }).click();
  await p.getByRole("button", { name: "Sign out of this browser" }).click();
  await p.getByRole("button", { name: "Sign out", exact: true }).click();
  await p.getByText(/have not reached the server yet/).waitFor();
  await p.screenshot({ path: join(OUT, "07-sign-out-unsynced.png") });
  await p.getByRole("button", { name: "Cancel" }).click();
  // back online: unlocking and opening the popup syncs the saved login to the server
  world.proxy.onRequest(undefined);
  await p.getByLabel("Account password").fill(STRONG_PASSWORD);
  await p.getByRole("button", { name: "Unlock" }).click();
  // not getByText("Synced"): that is a case-blind substring match, and "Not synced yet" (before the sync ran) matches it
  await p.getByText(/^Synced/).waitFor({ timeout: 30_000 });
  await laptop.vault.sync(laptop.api);
  const subtitles = [...laptop.vault.index.entries.values()].map((e) => e.subtitle);
  assert.ok(subtitles.includes("carol@example.test"));
  await p.getByRole("button", { name: "Lock" }).click();
  await p.getByRole("button", { name: "Sign out of this browser" }).click();
  await p.getByRole("button", { name: "Sign out", exact: true }).click();
  await p.getByLabel("Server address").waitFor();
  await p.close();
});

test("a server that answers with another account's data is refused at sign-in, and nothing is stored", async () => {
  world.proxy.onAnswer((x) =>
    x.method === "GET" && x.path === "/api/v1/account"
      ? { json: { ...(x.json as object), accountId: "00000000-0000-4000-8000-000000000000" } }
      : undefined,
  );
  try {
    await visit("bank.test", "/login");
    const p = await popup();
    await p.getByLabel("Server address").fill(world.proxy.url);
    await p.getByLabel("Email").fill(laptop.email);
    await p.getByLabel("Account password").fill(STRONG_PASSWORD);
    await p.getByLabel("…or its text").fill(laptop.account.eakText);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.getByRole("alert").waitFor({ timeout: 60_000 });
    const stored = await p.evaluate(async () => ({
      local: Object.keys(await chrome.storage.local.get(null)),
      session: Object.keys(await chrome.storage.session.get(null)),
    }));
    assert.deepEqual(stored.session, []);
    assert.ok(!stored.local.includes("device"), "no account is adopted");
    await p.reload();
    await p.getByLabel("Server address").waitFor();
    await p.close();
  } finally {
    world.proxy.onAnswer(undefined);
  }
});
