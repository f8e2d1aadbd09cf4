// The web app end to end: a real server on loopback HTTPS, Debian's Chromium, two browser contexts (two devices).
// Sign up → QR from the outbox mail → sign in on the second device by uploading it → items sync live both ways;
// wrong password, foreign QR code and unreadable image messages; lock/unlock; offline unlock with the server stopped.
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { generateAccountKey } from "@cryptex/core/account-key.ts";
import { createEak, eakToText } from "@cryptex/core/formats/eak.ts";
import { qrToPng } from "@cryptex/core/formats/qr.ts";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import { newAccountId } from "@cryptex/core/ids.ts";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium, waitSynced } from "../packages/web/src/testing/browser.ts";

const OUT = new URL("../.test-output/web/", import.meta.url).pathname;
let kitEakText = "";
const EMAIL = `alice-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple planted-pw-7f3a";
const ITEM_SECRET = "planted-item-secret-91c2e7";

let server: RunningServer;
let browser: Browser;
let pageA: Page;
let pageB: Page;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
}

async function newDevice(): Promise<[BrowserContext, Page]> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return [ctx, page];
}

async function addLogin(page: Page, title: string, username: string, password: string): Promise<void> {
  await page.getByRole("button", { name: "Add item", exact: true }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("heading", { name: title }).waitFor();
}

const listItem = (page: Page, title: string) => page.getByRole("list", { name: "Items" }).getByText(title, { exact: true });

before(async () => {
  mkdirSync(OUT, { recursive: true });
  buildWebIfNeeded();
  server = await startServer();
  browser = await launchChromium(server.caPem);
  [, pageA] = await newDevice();
  [, pageB] = await newDevice();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("sign up shows the QR code and mails it", async () => {
  await pageA.goto(server.url);
  await pageA.getByRole("heading", { name: "Create your account" }).waitFor();
  await pageA.getByLabel("Email").fill(EMAIL);
  await pageA.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await pageA.getByLabel("Confirm account password").fill(PASSWORD);
  await pageA.getByText(/Strong|Very strong/).waitFor();
  await shot(pageA, "01-sign-up");
  await pageA.getByRole("button", { name: "Create account" }).click();
  await pageA.getByRole("heading", { name: "Confirm your e-mail address" }).waitFor({ timeout: 30_000 });
  await shot(pageA, "01b-confirm-code");
  await pageA.getByLabel("Code from the mail").fill("0000 0000");
  await pageA.getByRole("button", { name: "Confirm" }).click();
  await pageA.getByText(/That code is wrong/).waitFor();
  await pageA.getByLabel("Code from the mail").fill(await outboxMailbox(server.outboxDir).code(EMAIL, "signup"));
  await pageA.getByRole("button", { name: "Confirm" }).click();
  await pageA.getByRole("heading", { name: "Your account QR code" }).waitFor({ timeout: 30_000 });
  assert.ok(await pageA.getByRole("img", { name: /Account QR code/ }).isVisible());
  await shot(pageA, "02-account-qr");
  const download = pageA.waitForEvent("download");
  await pageA.getByRole("button", { name: "Download Emergency Kit" }).click();
  const kit = await download;
  assert.match(kit.suggestedFilename(), /Emergency Kit\.png$/);
  const kitPath = join(OUT, "emergency-kit.png");
  await kit.saveAs(kitPath);
  kitEakText = decodeQrImage(readFileSync(kitPath));
  assert.match(kitEakText, /^CRYPTEX:/, "the kit's QR code is the EAK text");
  await pageA.getByRole("button", { name: "Continue to vault" }).click();
  await pageA.getByRole("button", { name: "Lock", exact: true }).waitFor();
  await waitSynced(pageA);
  await shot(pageA, "03-empty-vault");
});

test("items are added, viewed, revealed and copied", async () => {
  await addLogin(pageA, "Bank of Example", "alice", ITEM_SECRET);
  await listItem(pageA, "Bank of Example").waitFor();
  await pageA.getByRole("button", { name: "Reveal Password" }).click();
  await pageA.getByText(ITEM_SECRET).waitFor();
  await pageA.getByRole("button", { name: "Copy Password" }).click();
  assert.equal(await pageA.evaluate(() => navigator.clipboard.readText()), ITEM_SECRET);
  await shot(pageA, "04-item-view");
});

async function outboxQr(): Promise<{ png: Uint8Array; subject: string }> {
  const mail = await outboxMailbox(server.outboxDir).next(EMAIL, /QR Code/);
  const png = mail.attachments.find((x) => x.contentType === "image/png");
  assert.ok(png, "the mail carries the QR code as a PNG");
  return { png: png.content, subject: mail.subject };
}

test("a second device signs in with the QR image from the mail; clear messages for bad inputs", async () => {
  const { png, subject } = await outboxQr();
  assert.equal(subject, "IMPORTANT: Cryptex Account QR Code for your new account");
  const qrPath = join(OUT, "mail-qr.png");
  writeFileSync(qrPath, png);
  assert.equal(decodeQrImage(png), kitEakText, "the Emergency Kit and the mail carry the same EAK");

  // a QR code of another account (a real EAK, made with the real format)
  const foreignId = newAccountId();
  const { eak } = await createEak(PASSWORD, generateAccountKey(), foreignId);
  const foreignPath = join(OUT, "foreign-qr.png");
  writeFileSync(foreignPath, qrToPng(eakToText(eak)));
  const noisePath = join(OUT, "not-a-qr.png");
  writeFileSync(noisePath, qrToPng("x").subarray(0, 60)); // a truncated PNG

  await pageB.goto(server.url);
  await pageB.getByRole("button", { name: "Sign in on this device" }).click();
  await pageB.getByLabel("Email").fill(EMAIL);
  const alert = pageB.getByRole("alert");

  await pageB.getByLabel("QR code image").setInputFiles(noisePath);
  await alert.waitFor();
  assert.equal(await alert.getAttribute("data-code"), "qr_unreadable");
  assert.match((await alert.textContent()) ?? "", /could not be read as a QR code/);

  await pageB.getByLabel("QR code image").setInputFiles(foreignPath);
  await pageB.getByText("QR code read.").waitFor();
  await pageB.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await pageB.getByRole("button", { name: "Sign in", exact: true }).click();
  await alert.waitFor();
  assert.equal(await alert.getAttribute("data-code"), "foreign_key");
  assert.match((await alert.textContent()) ?? "", /No account with this e-mail and QR code pair exists/);

  await pageB.getByLabel("QR code image").setInputFiles(qrPath);
  await pageB.getByText("QR code read.").waitFor();
  assert.match(await pageB.getByLabel("Encrypted account key").inputValue(), /^CRYPTEX:/);
  await pageB.getByLabel("Account password", { exact: true }).fill("not the password at all 123");
  await pageB.getByRole("button", { name: "Sign in", exact: true }).click();
  await pageB.locator('[role="alert"][data-code="wrong_password"]').waitFor({ timeout: 30_000 });
  assert.match((await alert.textContent()) ?? "", /Wrong account password/);
  await shot(pageB, "05-sign-in-wrong-password");

  await pageB.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await pageB.getByRole("button", { name: "Sign in", exact: true }).click();
  await listItem(pageB, "Bank of Example").waitFor({ timeout: 30_000 });
  await shot(pageB, "06-vault-second-device");
});

test("items added on either device appear on the other without reload", async () => {
  await addLogin(pageB, "Added on B", "bob", "b-password-1");
  await listItem(pageA, "Added on B").waitFor({ timeout: 15_000 });
  await addLogin(pageA, "Added on A", "ann", "a-password-2");
  await listItem(pageB, "Added on A").waitFor({ timeout: 15_000 });
  await pageA.getByLabel("Search").fill("added b");
  await listItem(pageA, "Added on B").waitFor();
  assert.equal(await listItem(pageA, "Bank of Example").count(), 0);
  await shot(pageA, "07-search");
  await pageA.getByLabel("Search").fill("");
});

test("trash, restore and delete forever; the delete reaches the other device", async () => {
  await addLogin(pageA, "Short-lived", "tmp", "tmp-password-3");
  await listItem(pageB, "Short-lived").waitFor({ timeout: 15_000 });
  await pageA.getByRole("button", { name: "Move to trash" }).click();
  await pageA.getByRole("button", { name: "Trash", exact: true }).click();
  await listItem(pageA, "Short-lived").click();
  await pageA.getByRole("button", { name: "Restore" }).waitFor();
  await pageA.getByRole("button", { name: "Delete forever…" }).click();
  await pageA.getByRole("alert").filter({ hasText: "cannot be undone" }).waitFor();
  await pageA.getByRole("button", { name: "Delete forever", exact: true }).click();
  // (Restore is already gone while the confirmation shows: wait for the row itself)
  await listItem(pageA, "Short-lived").waitFor({ state: "detached" });
  assert.equal(await pageA.getByRole("heading", { name: "Short-lived" }).count(), 0);
  await pageA.getByRole("button", { name: "All items" }).click();
  await listItem(pageB, "Short-lived").waitFor({ state: "detached", timeout: 15_000 });
});

async function openEdit(page: Page, title: string): Promise<void> {
  await listItem(page, title).click();
  await page.getByRole("heading", { name: title }).waitFor();
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByRole("heading", { name: "Edit item" }).waitFor();
}

test("a stale edit form: the newer password from the other device survives as a conflict copy and in the history", async () => {
  await addLogin(pageA, "Stale form", "sf-user", "sf-pw-1");
  await listItem(pageB, "Stale form").waitFor({ timeout: 15_000 });
  await openEdit(pageA, "Stale form");
  await openEdit(pageB, "Stale form");
  await pageB.getByLabel("Username").fill("sf-user-B");
  await pageB.getByLabel("Password", { exact: true }).fill("sf-pw-from-B");
  await pageB.getByRole("button", { name: "Save", exact: true }).click();
  await pageB.getByRole("heading", { name: "Stale form" }).waitFor();
  // A's list shows B's username: B's version reached A by live sync while A's form stays open on the old one
  await listItem(pageA, "sf-user-B").waitFor({ timeout: 15_000 });
  await pageA.getByLabel("Password", { exact: true }).fill("sf-pw-from-A");
  await pageA.getByRole("button", { name: "Save", exact: true }).click();
  const note = pageA.locator(".save-note");
  await note.waitFor();
  assert.match((await note.textContent()) ?? "", /kept as a conflict copy/);
  await shot(pageA, "14-conflict-notice");
  await pageA.setViewportSize({ width: 375, height: 812 });
  await shot(pageA, "14-conflict-notice-375");
  await pageA.setViewportSize({ width: 1280, height: 800 });
  await pageA.getByRole("button", { name: "Reveal Password" }).click();
  await pageA.getByText("sf-pw-from-A").waitFor();
  await pageA.getByRole("button", { name: /Password history/ }).click();
  await pageA.locator(".history").getByText("sf-pw-from-B").waitFor();
  await pageA.getByRole("button", { name: "Open the conflict copy" }).click();
  await pageA.getByRole("heading", { name: "Stale form (conflict copy)" }).waitFor();
  await pageA.getByRole("button", { name: "Copy Password" }).click();
  assert.equal(await pageA.evaluate(() => navigator.clipboard.readText()), "sf-pw-from-B");
  await listItem(pageB, "Stale form (conflict copy)").waitFor({ timeout: 15_000 });
});

test("a stale edit form of another field merges: both changes are kept and the page says so", async () => {
  await openEdit(pageA, "Stale form");
  await openEdit(pageB, "Stale form");
  await pageB.getByLabel("Username").fill("sf-user-B2");
  await pageB.getByRole("button", { name: "Save", exact: true }).click();
  await listItem(pageA, "sf-user-B2").waitFor({ timeout: 15_000 });
  await pageA.getByLabel("Password", { exact: true }).fill("sf-pw-merged-A");
  await pageA.getByRole("button", { name: "Save", exact: true }).click();
  const note = pageA.locator(".save-note");
  await note.waitFor();
  assert.match((await note.textContent()) ?? "", /merged with a newer version/);
  await pageA.locator(".item-view").getByText("sf-user-B2", { exact: true }).waitFor();
  await pageA.getByRole("button", { name: "Copy Password" }).click();
  assert.equal(await pageA.evaluate(() => navigator.clipboard.readText()), "sf-pw-merged-A");
  await shot(pageA, "15-merge-notice");
  await pageB.getByRole("heading", { name: "Stale form" }).waitFor();
  await pageB.locator(".item-view").getByText("version 5").waitFor({ timeout: 15_000 });
  await pageB.getByRole("button", { name: "Copy Password" }).click();
  assert.equal(await pageB.evaluate(() => navigator.clipboard.readText()), "sf-pw-merged-A");
});

test("the item form refuses an item over the size limit with a clear message and keeps what was typed", async () => {
  await pageA.getByRole("button", { name: "Add item", exact: true }).click();
  await pageA.getByLabel("Title").fill("Huge note");
  await pageA.getByLabel("Username").fill("€".repeat(65536));
  await pageA.getByLabel("Password", { exact: true }).fill("€".repeat(65536));
  await pageA.getByLabel("Notes").fill("€".repeat(262144));
  await pageA.getByRole("button", { name: "Save", exact: true }).click();
  const alert = pageA.getByRole("alert").filter({ hasText: "too large" });
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? "", /too large to save and sync: [\d,]+ KB, the limit is [\d,]+ KB/);
  assert.equal(await pageA.getByLabel("Title").inputValue(), "Huge note", "the form stays open with what was typed");
  // leaving the form with what was typed asks first (unsaved changes): say yes
  pageA.once("dialog", (d) => void d.accept());
  await pageA.getByRole("button", { name: "Cancel" }).click();
  await pageA.getByRole("button", { name: "Add item", exact: true }).waitFor();
  assert.equal(await listItem(pageA, "Huge note").count(), 0);
});

// A third device, told apart in the device list by its browser's name.
let ctxC: BrowserContext;
let pageC: Page;
const C_NAME = "Firefox on Linux";

/** The device list as Settings shows it, freshly loaded (the pane is opened anew). */
async function devicesOf(page: Page): Promise<string[]> {
  await page.getByRole("button", { name: "Generator" }).click();
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Devices" }).waitFor();
  await page.locator(".devices li").first().waitFor();
  return page.locator(".devices li").allTextContents();
}

test("a revoked device is told it was signed out, keeps its unsynced item, signs in again and syncs it", async () => {
  ctxC = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  });
  pageC = await ctxC.newPage();
  await pageC.goto(server.url);
  await pageC.getByRole("button", { name: "Sign in on this device" }).click();
  await pageC.getByLabel("Email").fill(EMAIL);
  await pageC.getByLabel("QR code image").setInputFiles(join(OUT, "mail-qr.png"));
  await pageC.getByText("QR code read.").waitFor();
  await pageC.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await pageC.getByRole("button", { name: "Sign in", exact: true }).click();
  await listItem(pageC, "Bank of Example").waitFor({ timeout: 30_000 });

  await pageA.getByRole("button", { name: "Settings" }).click();
  await pageA.getByRole("button", { name: `Revoke ${C_NAME}` }).click();
  await pageA.getByRole("button", { name: `Revoke ${C_NAME}` }).waitFor({ state: "detached" });

  await addLogin(pageC, "Made while revoked", "rv", "rv-password-5");
  const notice = pageC.locator(".signed-out");
  // the live channel may show the notice before the save lands: its count of unsynced changes follows
  await notice.filter({ hasText: /1 change made here/ }).waitFor({ timeout: 15_000 });
  assert.match(
    (await notice.textContent()) ?? "",
    /This device was signed out.*1 change made here is not synced yet and kept on this device/,
  );
  await shot(pageC, "16-signed-out-notice");
  await pageC.getByRole("button", { name: "Settings" }).click();
  const devicesError = pageC.locator("section[aria-labelledby='s-dev'] [role='alert']");
  await devicesError.waitFor();
  assert.match((await devicesError.textContent()) ?? "", /This device was signed out/);
  assert.doesNotMatch((await devicesError.textContent()) ?? "", /password or QR code/);

  await pageC.getByRole("button", { name: "Sign in again…" }).click();
  await pageC.locator("#so-password").fill(PASSWORD);
  // a save meanwhile starts a sync, which cannot succeed: the form and what was typed in it stay
  await addLogin(pageC, "Also made while revoked", "rv2", "rv-password-6");
  assert.equal(await pageC.locator("#so-password").inputValue({ timeout: 5000 }), PASSWORD, "the sign-in-again form kept its password");
  await pageC.getByRole("button", { name: "Sign in again", exact: true }).click();
  await notice.waitFor({ state: "detached", timeout: 30_000 });
  await listItem(pageA, "Made while revoked").waitFor({ timeout: 15_000 });
  await listItem(pageA, "Also made while revoked").waitFor({ timeout: 15_000 });
  assert.ok(
    (await devicesOf(pageA)).some((d) => d.includes(C_NAME)),
    "C is back in the device list",
  );
});

test("signing out asks first, names the unsynced changes, and the device leaves the device list", async () => {
  await ctxC.setOffline(true);
  await addLogin(pageC, "Unsynced on C", "uc", "uc-password-6");
  await pageC.locator('[data-status="offline"]').waitFor({ timeout: 15_000 });
  await pageC.getByRole("button", { name: "Lock", exact: true }).click();
  await pageC.getByRole("button", { name: "Sign out and remove this device's copy" }).click();
  const dialog = pageC.getByRole("alertdialog");
  await dialog.waitFor();
  await dialog.getByText(/1 change made on this device is not synced yet/).waitFor();
  assert.match((await dialog.textContent()) ?? "", /unlock to sync or export first/);
  await shot(pageC, "17-sign-out-unsynced");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await ctxC.setOffline(false);
  await pageC.getByLabel("Account password").fill(PASSWORD);
  await pageC.getByRole("button", { name: "Unlock" }).click();
  await listItem(pageA, "Unsynced on C").waitFor({ timeout: 30_000 });

  await pageC.getByRole("button", { name: "Settings" }).click();
  await pageC.getByRole("button", { name: "Sign out of this device" }).click();
  await dialog.getByText(/Every change made here is on the server/).waitFor({ timeout: 15_000 });
  await dialog.getByRole("button", { name: "Sign out and remove" }).click();
  await pageC.getByRole("heading", { name: "Sign in on this device" }).waitFor();
  const names = await devicesOf(pageA);
  assert.ok(!names.some((d) => d.includes(C_NAME)), `C left the device list: ${names.join(" | ")}`);
  await ctxC.close();
});

test("lock and unlock; a wrong password is refused", async () => {
  await pageA.getByRole("button", { name: "Lock", exact: true }).click();
  await pageA.getByRole("heading", { name: "Vault locked" }).waitFor();
  assert.equal(await pageA.getByText("Bank of Example").count(), 0);
  await pageA.getByLabel("Account password").fill("wrong password 42");
  await pageA.getByRole("button", { name: "Unlock" }).click();
  await pageA.locator('[role="alert"][data-code="wrong_password"]').waitFor({ timeout: 30_000 });
  await shot(pageA, "08-locked");
  await pageA.getByLabel("Account password").fill(PASSWORD);
  await pageA.getByRole("button", { name: "Unlock" }).click();
  await listItem(pageA, "Added on B").waitFor({ timeout: 30_000 });
});

test("narrow screens (375 px) show the list, then the item", async () => {
  await pageA.keyboard.press("Escape"); // from the pane the unlock reopened (Settings) back to the list
  await pageA.setViewportSize({ width: 375, height: 812 });
  await shot(pageA, "09-vault-375");
  await listItem(pageA, "Bank of Example").click();
  await pageA.getByRole("heading", { name: "Bank of Example" }).waitFor();
  await shot(pageA, "10-item-375");
  await pageA.getByRole("button", { name: "Back to the list" }).click();
  await pageA.getByRole("button", { name: "Settings" }).click();
  await pageA.getByRole("heading", { name: "Settings" }).waitFor();
  // the account never chose another method: the server, said plainly
  await pageA.getByRole("region", { name: "Sync method" }).getByText("Server", { exact: true }).waitFor();
  await shot(pageA, "11-settings-375");
  await pageA.setViewportSize({ width: 1280, height: 800 });
  await shot(pageA, "12-settings");
});

test("no secret reaches the server's database, logs or mail", async () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name));
  };
  walk(server.dataDir);
  const haystacks = [...files.map((f) => readFileSync(f)), Buffer.from(server.logs())];
  for (const planted of [PASSWORD, ITEM_SECRET, "Bank of Example", "b-password-1"]) {
    for (const h of haystacks) assert.equal(h.includes(planted), false, `"${planted}" found in server data`);
  }
});

test("offline: with the server stopped, a signed-in device reloads, unlocks and reads its items", async () => {
  await server.kill();
  await pageB.reload();
  await pageB.getByRole("heading", { name: "Vault locked" }).waitFor({ timeout: 15_000 });
  await pageB.getByLabel("Account password").fill(PASSWORD);
  await pageB.getByRole("button", { name: "Unlock" }).click();
  await listItem(pageB, "Added on A").waitFor({ timeout: 30_000 });
  await pageB.locator('[data-status="offline"]').waitFor({ timeout: 15_000 });
  await listItem(pageB, "Bank of Example").click();
  await pageB.getByRole("button", { name: "Reveal Password" }).click();
  await pageB.getByText(ITEM_SECRET).waitFor();
  await shot(pageB, "13-offline-unlocked");
});
