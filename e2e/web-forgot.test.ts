// Forgotten password in the web app (real Chromium, real server): "Forgot password?" on the sign-in screen says
// before and after that the data cannot be recovered, mails a code, and the code erases the account; a device
// that was signed in is told the account was reset; the same address signs up again.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium, waitSynced } from "../packages/web/src/testing/browser.ts";

const OUT = new URL("../.test-output/web/", import.meta.url).pathname;
const EMAIL = `forgot-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple forgot-4d1e";
let server: RunningServer;
let browser: Browser;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  buildWebIfNeeded();
  server = await startServer();
  browser = await launchChromium(server.caPem);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

async function signUp(page: Page): Promise<void> {
  await page.goto(server.url);
  await page.getByRole("heading", { name: "Create your account" }).waitFor();
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm account password").fill(PASSWORD);
  await page.getByText(/Strong|Very strong/).waitFor();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Code from the mail").fill(await outboxMailbox(server.outboxDir).code(EMAIL, "signup", 30_000));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("button", { name: "Continue to vault" }).click({ timeout: 30_000 });
  await waitSynced(page);
}

test("Forgot password? erases the account by a mailed code; the address signs up again", async () => {
  const laptop = await newPage();
  await signUp(laptop);

  const other = await newPage();
  await other.goto(server.url);
  await other.getByRole("button", { name: "Sign in on this device" }).click();
  await other.getByRole("button", { name: "Forgot password?" }).click();
  await other.getByRole("heading", { name: "Forgot your password?" }).waitFor();
  await other.getByText(/cannot recover your data/).waitFor();
  await other.getByText(/Every item\s+stored there is then gone for good/).waitFor();
  await other.screenshot({ path: join(OUT, "20-forgot.png") });
  await other.getByLabel("Email").fill(EMAIL);
  await other.getByRole("button", { name: "Mail me a code" }).click();
  await other.getByLabel("Code from the mail").waitFor();
  const code = await outboxMailbox(server.outboxDir).code(EMAIL, "forgot");
  await other.getByLabel("Code from the mail").fill(code === "00000000" ? "11111111" : "00000000");
  await other.getByRole("button", { name: "Erase my account for good" }).click();
  await other.getByText(/That code is wrong/).waitFor();
  await other.getByLabel("Code from the mail").fill(code);
  await other.getByRole("button", { name: "Erase my account for good" }).click();
  await other.getByRole("heading", { name: "Account erased" }).waitFor();
  assert.match((await other.getByRole("status").textContent()) ?? "", /cannot be recovered by anyone/);
  await other.screenshot({ path: join(OUT, "21-forgot-erased.png") });

  // the laptop that was signed in is told, and keeps its local copy (it can still export it)
  await laptop.reload();
  await laptop.getByLabel("Account password").fill(PASSWORD);
  await laptop.getByRole("button", { name: "Unlock" }).click();
  await laptop.getByText(/The account was reset or erased on another device. Your items are kept here/).waitFor({ timeout: 30_000 });
  await laptop.screenshot({ path: join(OUT, "22-forgot-other-device.png") });

  // the same address signs up again
  await other.getByRole("button", { name: "Create a new account" }).click();
  await signUp(other);
});
