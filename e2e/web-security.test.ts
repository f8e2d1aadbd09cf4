// The Security page and search operators in Debian's Chromium against a real server: a reused and a breached
// password are shown (breach check against a local HTTPS range server that the server's CSP allows), the
// one-click change saves a new password with history, and the search box takes operators and deep search.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium } from "../packages/web/src/testing/browser.ts";
import { type RangeServer, startRangeServer } from "./support/pwned-range-server.ts";

const OUT = new URL("../.test-output/web/", import.meta.url).pathname;
const PASSWORD = "correct horse battery staple security-pw-5c1d";
const SHARED = "quiet-Harbor-58-lantern-Vex";
const EMAIL = `sec-${Date.now()}@example.test`;

let server: RunningServer;
let range: RangeServer;
let browser: Browser;
let page: Page;

const listItem = (title: string) => page.getByRole("list", { name: "Items" }).getByText(title, { exact: true });

async function addLogin(title: string, password: string, notes = "", url = ""): Promise<void> {
  await page.getByRole("button", { name: "Add item", exact: true }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Username").fill("ann");
  await page.getByLabel("Password", { exact: true }).fill(password);
  if (notes) await page.getByLabel("Notes", { exact: true }).fill(notes);
  if (url) await page.getByLabel("Website").fill(url);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("heading", { name: title }).waitFor();
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  buildWebIfNeeded();
  range = await startRangeServer({ password1: 2_400_000 });
  server = await startServer({ env: { BREACH_ENDPOINT: range.url } });
  browser = await launchChromium(server.caPem, range.caPem);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"]);
  page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(server.url);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm account password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Confirm your e-mail address" }).waitFor({ timeout: 60_000 });
  await page.getByLabel("Code from the mail").fill(await outboxMailbox(server.outboxDir).code(EMAIL, "signup", 30_000));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("button", { name: "Continue to vault" }).click({ timeout: 60_000 });
  await page.getByRole("button", { name: "Lock", exact: true }).waitFor();
  // the site is the test server itself, so opening it stays on this machine
  await addLogin("Forum", "password1", "", `${server.url}/?site=forum`);
  await addLogin("Chat", SHARED, "Recovery codes are in the blue binder");
  await addLogin("Git hosting", SHARED);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await range?.close();
});

test("the Security page shows a reused and a breached password, and changes one in a click", async () => {
  await page.getByRole("button", { name: "Security", exact: true }).click();
  await page.getByRole("heading", { name: "Security" }).waitFor();
  const reused = page.getByRole("region", { name: "Reused" });
  await reused.getByText("Group 1: 2 items share one password").waitFor();
  assert.ok(await reused.getByRole("button", { name: "Chat", exact: true }).isVisible());
  assert.ok(await reused.getByRole("button", { name: "Git hosting", exact: true }).isVisible());
  assert.ok(await page.getByRole("region", { name: "Weak" }).getByRole("button", { name: "Forum", exact: true }).isVisible());
  assert.equal(range.requests.length, 0, "no breach request before the user opts in");

  await page.getByLabel("Check passwords against Have I Been Pwned").check();
  await page.getByLabel("Endpoint").fill(range.url);
  await page.getByLabel("Endpoint").press("Tab");
  await page.getByRole("button", { name: "Check now" }).click();
  const breached = page.getByRole("region", { name: "Breached" });
  await breached.getByText("seen 2,400,000 times in breaches").waitFor();
  assert.ok(await breached.getByRole("button", { name: "Forum", exact: true }).isVisible());
  const gets = range.requests.filter((r) => r.method === "GET");
  assert.equal(gets.length, 2, "one request per distinct password");
  for (const r of gets) {
    assert.match(r.path, /^\/range\/[0-9A-F]{5}$/);
    assert.equal(r.padding, "true");
  }
  await page.screenshot({ path: join(OUT, "security-page.png"), fullPage: true });
  // and on a phone-sized screen: the lists and buttons must fit 375 px without sideways scrolling
  await page.setViewportSize({ width: 375, height: 1600 }); // tall: the page scrolls inside its pane, not the window
  await page.screenshot({ path: join(OUT, "security-page-375.png"), fullPage: true });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), "no sideways scrolling at 375 px");
  await page.setViewportSize({ width: 1280, height: 900 });

  await breached.getByRole("button", { name: "Change password of Forum" }).click();
  const flow = page.getByRole("region", { name: "Change the password of Forum" });
  const next = await flow.getByLabel("New password").inputValue();
  assert.ok(next.length >= 20);
  const opened = page.context().waitForEvent("page");
  await flow.getByRole("button", { name: "Open the site" }).click();
  const site = await opened;
  await site.waitForLoadState("domcontentloaded");
  // the test site is this server, so the app it serves may already have put its own route after the #
  assert.equal(site.url().replace(/#.*$/, ""), `${server.url}/?site=forum`);
  await site.close();
  await page.screenshot({ path: join(OUT, "security-change-password.png"), fullPage: true });
  await flow.getByRole("button", { name: "Save new password" }).click();
  await page.getByRole("region", { name: "Breached" }).waitFor({ state: "detached" });
  assert.equal(await page.getByRole("region", { name: "Weak" }).count(), 0);
  // saved through the vault with the old password in the history
  await listItem("Forum").click();
  await page.getByRole("heading", { name: "Forum" }).waitFor();
  await page.getByRole("button", { name: "Reveal Password" }).click();
  await page.getByText(next).waitFor();
  await page.getByRole("button", { name: "Password history (1)" }).click();
  await page.locator(".history").getByText("password1", { exact: true }).waitFor();
});

test("the search box takes operators, and searches notes when deep search is on", async () => {
  const search = page.getByLabel("Search", { exact: true });
  await search.fill("is:weak");
  await page.getByText("No items match your search.").waitFor();
  await search.fill("type:login git");
  await listItem("Git hosting").waitFor();
  assert.equal(await listItem("Chat").count(), 0);
  await search.fill('"blue binder"');
  await page.getByText("No items match your search.").waitFor();
  await page.getByLabel("Deep", { exact: true }).check();
  await listItem("Chat").waitFor();
  assert.equal(await listItem("Forum").count(), 0);
  // the deep index and the health cache are on the device, encrypted
  const blobs = await page.evaluate(
    () =>
      new Promise<{ keys: string[]; text: string }>((resolve, reject) => {
        const r = indexedDB.open("cryptex-local");
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const store = r.result.transaction("blobs").objectStore("blobs");
          const keys = store.getAllKeys();
          const values = store.getAll();
          values.onsuccess = () =>
            resolve({
              keys: (keys.result as string[]).map((k) => k.split(":")[0]!),
              text: (values.result as Uint8Array[]).map((v) => new TextDecoder("latin1").decode(v)).join(""),
            });
        };
      }),
  );
  assert.deepEqual(blobs.keys.sort(), ["deep", "health"]);
  assert.ok(!blobs.text.includes("binder") && !blobs.text.includes("Recovery"), "no note text in the clear");
});
