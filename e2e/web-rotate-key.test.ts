// Account Key rotation in the web app's Settings (and the password floor at sign-up), end to end: a real server, Debian's Chromium, and the real CLI
// as the other device. After the rotation the page asks to unlock again and shows every item; the new QR code
// (mailed because asked for) signs a device in and it sees the item; the sign-up QR code no longer signs in.

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import { simpleParser } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { runCli } from "../packages/cli/src/testing/run-cli.ts";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium, waitSynced } from "../packages/web/src/testing/browser.ts";

const EMAIL = `rotate-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple rotate-9d1";
let server: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;
let env: Record<string, string>;

before(async () => {
  buildWebIfNeeded();
  server = await startServer();
  browser = await launchChromium(server.caPem);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await ctx.newPage();
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-web-rotate-"));
  writeFileSync(join(dir, "ca.pem"), server.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The EAK texts of every QR mail in the outbox, oldest first. */
async function mailedEakTexts(): Promise<string[]> {
  const out: string[] = [];
  for (const f of readdirSync(server.outboxDir)
    .filter((x) => x.endsWith(".eml"))
    .sort()) {
    const mail = await simpleParser(readFileSync(join(server.outboxDir, f)));
    const png = mail.attachments.find((x) => x.contentType === "image/png");
    if (png) out.push(decodeQrImage(new Uint8Array(png.content)));
  }
  return out;
}

const signin = (home: string, eakText: string) =>
  runCli(["signin", "--server", server.url, "--email", EMAIL, "--qr-text", "-", "--password-stdin"], {
    home,
    stdin: `${eakText}\n${PASSWORD}\n`,
    env,
  });

test("Settings replaces the Account Key: unlock again, items kept; the new QR code signs in, the old one does not", async () => {
  await page.goto(server.url);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm account password").fill(PASSWORD);
  // the floor and the time to guess, at the Argon2id cost measured in this browser
  await page.getByText(/Time to guess it from the QR code: one PC .+, a large GPU farm .+\./).waitFor({ timeout: 30_000 });
  await page.getByLabel("Account password", { exact: true }).fill("Summer2024!x");
  await page.getByText(/Not strong enough/).waitFor();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText(/Choose a stronger account password/).waitFor();
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Code from the mail").fill(await outboxMailbox(server.outboxDir).code(EMAIL, "signup"));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("button", { name: "Continue to vault" }).click({ timeout: 30_000 });
  await page.getByRole("button", { name: "Add item", exact: true }).click();
  await page.getByLabel("Title").fill("Kept through rotation");
  await page.getByLabel("Password", { exact: true }).fill("rotation-secret-1");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("heading", { name: "Kept through rotation" }).waitFor();
  await waitSynced(page);
  const [oldText] = await mailedEakTexts();
  assert.ok(oldText);

  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Mail me the new QR code").check();
  await page.getByRole("button", { name: "Replace the Account Key" }).click();
  await page.getByText(/The Account Key was replaced and the new QR code was mailed/).waitFor({ timeout: 60_000 });
  await page.getByLabel("Account password").fill(PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.getByRole("list", { name: "Items" }).getByText("Kept through rotation", { exact: true }).waitFor();

  const texts = await mailedEakTexts();
  assert.equal(texts.length, 2, "a second QR mail, because it was asked for");
  const newText = texts[1]!;
  assert.notEqual(newText, oldText);
  const fresh = await signin(join(dir, "new"), newText);
  assert.equal(fresh.code, 0, fresh.stderr);
  const sessionToken = (
    await runCli(["unlock", "--raw", "--password-stdin"], { home: join(dir, "new"), stdin: `${PASSWORD}\n`, env })
  ).stdout.trim();
  const list = await runCli(["list", "--json"], { home: join(dir, "new"), env: { ...env, CRYPTEX_SESSION: sessionToken } });
  assert.deepEqual(
    (JSON.parse(list.stdout) as { title: string }[]).map((e) => e.title),
    ["Kept through rotation"],
  );
  const old = await signin(join(dir, "old"), oldText);
  assert.notEqual(old.code, 0, "the sign-up QR code no longer signs in");
});
