// Full item history in Debian's Chromium against a real server, two browser contexts (two devices): versions
// saved on each device list with their device, the diff masks secrets until revealed, "Restore this version"
// asks first and saves a new version that reaches the other device; axe finds nothing on the panel.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium } from "../packages/web/src/testing/browser.ts";

const OUT = new URL("../.test-output/web/", import.meta.url).pathname;
const AXE = readFileSync(createRequire(join(import.meta.dirname, "../packages/web/package.json")).resolve("axe-core/axe.min.js"), "utf8");
const EMAIL = `history-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple history-pw-2b7e";
const FIRST = "first-history-secret-41aa";
const SECOND = "second-history-secret-93cf";
// device B says it is Chrome on Windows, so the two devices' versions carry different names
const WINDOWS_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

let server: RunningServer;
let browser: Browser;
let pageA: Page;
let pageB: Page;

const listItem = (p: Page, title: string) => p.getByRole("list", { name: "Items" }).getByText(title, { exact: true });

async function axe(p: Page, where: string): Promise<void> {
  if (!(await p.evaluate(() => "axe" in window))) await p.evaluate(AXE);
  const violations = await p.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected above
    const r = await (window as any).axe.run(document, { resultTypes: ["violations"] });
    // biome-ignore lint/suspicious/noExplicitAny: axe's result shape
    return r.violations.map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, [], `axe on ${where}`);
}

async function openHistory(p: Page, versions: number): Promise<void> {
  await listItem(p, "Mail").click();
  await p.getByRole("heading", { name: "Mail", exact: true }).waitFor();
  await p.getByRole("button", { name: `History (${versions} versions)` }).click();
  await p.getByRole("heading", { name: "History", exact: true }).waitFor();
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  buildWebIfNeeded();
  server = await startServer();
  browser = await launchChromium(server.caPem);
  pageA = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  pageB = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: WINDOWS_UA })).newPage();
  for (const p of [pageA, pageB]) p.on("pageerror", (e) => console.error("page error:", e.message));

  await pageA.goto(server.url);
  await pageA.getByLabel("Email").fill(EMAIL);
  await pageA.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await pageA.getByLabel("Confirm account password").fill(PASSWORD);
  await pageA.getByRole("button", { name: "Create account" }).click();
  await pageA.getByRole("heading", { name: "Confirm your e-mail address" }).waitFor({ timeout: 60_000 });
  await pageA.getByLabel("Code from the mail").fill(await outboxMailbox(server.outboxDir).code(EMAIL, "signup", 30_000));
  await pageA.getByRole("button", { name: "Confirm" }).click();
  await pageA.getByRole("button", { name: "Continue to vault" }).click({ timeout: 60_000 });
  await pageA.getByRole("button", { name: "Lock", exact: true }).waitFor();

  await pageA.getByRole("button", { name: "Add item", exact: true }).click();
  await pageA.getByLabel("Title").fill("Mail");
  await pageA.getByLabel("Username").fill("ann");
  await pageA.getByLabel("Password", { exact: true }).fill(FIRST);
  await pageA.getByRole("button", { name: "Save", exact: true }).click();
  await pageA.getByRole("heading", { name: "Mail", exact: true }).waitFor();
  await pageA.getByRole("button", { name: "Edit", exact: true }).click();
  await pageA.getByLabel("Password", { exact: true }).fill(SECOND);
  await pageA.getByRole("button", { name: "Save", exact: true }).click();
  await pageA.getByRole("button", { name: /Password history/ }).waitFor();

  const mail = await outboxMailbox(server.outboxDir).next(EMAIL, /QR Code/);
  const png = mail.attachments.find((x) => x.contentType === "image/png");
  assert.ok(png, "the mail carries the QR code");
  const qrPath = join(OUT, "history-qr.png");
  writeFileSync(qrPath, png.content);
  await pageB.goto(server.url);
  await pageB.getByRole("button", { name: "Sign in on this device" }).click();
  await pageB.getByLabel("Email").fill(EMAIL);
  await pageB.getByLabel("QR code image").setInputFiles(qrPath);
  await pageB.getByText("QR code read.").waitFor();
  await pageB.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await pageB.getByRole("button", { name: "Sign in", exact: true }).click();
  await listItem(pageB, "Mail").waitFor({ timeout: 30_000 });
  await listItem(pageB, "Mail").click();
  await pageB.getByRole("button", { name: "Edit", exact: true }).click();
  await pageB.getByLabel("Notes", { exact: true }).fill("moved to the new provider");
  await pageB.getByRole("button", { name: "Save", exact: true }).click();
  await pageB.getByText("moved to the new provider").waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the History panel lists versions from both devices and diffs one with the current version, secrets masked", async () => {
  // device A learns of B's edit through the live channel
  await pageA.getByRole("button", { name: "History (3 versions)" }).waitFor({ timeout: 15_000 });
  await openHistory(pageA, 3);
  const panel = pageA.getByRole("region", { name: "History" });
  const rows = panel.getByRole("listitem");
  assert.equal(await rows.count(), 3);
  assert.match((await rows.nth(0).textContent()) ?? "", /Version 3 \(current\).*Chrome on Windows · changed notes/);
  assert.match((await rows.nth(1).textContent()) ?? "", /Version 2.*Chrome on Linux · changed password/);
  assert.match((await rows.nth(2).textContent()) ?? "", /Version 1.*Chrome on Linux · oldest version kept/);

  await rows.nth(2).getByRole("button").click();
  await panel.getByRole("heading", { name: "Version 1 compared with the current version" }).waitFor();
  const table = panel.getByRole("table");
  const password = table.getByRole("row", { name: /Password/ });
  assert.match((await password.textContent()) ?? "", /changed••••••••••••••••/);
  assert.equal(await panel.getByText(FIRST).count(), 0, "masked until revealed");
  assert.match((await table.getByRole("row", { name: /Notes/ }).textContent()) ?? "", /added—moved to the new provider/);
  await axe(pageA, "the history panel, masked");
  await panel.getByRole("button", { name: "Reveal secrets" }).click();
  await panel.getByText(FIRST).waitFor();
  await panel.getByText(SECOND).waitFor();
  await pageA.screenshot({ path: join(OUT, "item-history.png"), fullPage: true });
  await axe(pageA, "the history panel, revealed");
  await panel.getByRole("button", { name: "Hide secrets" }).click();
  assert.equal(await panel.getByText(FIRST).count(), 0);
});

test("Restore this version asks first, saves a new version, and the other device gets it", async () => {
  const panel = pageA.getByRole("region", { name: "History" });
  await panel.getByRole("button", { name: "Restore this version…" }).click();
  await panel.getByRole("alert").getByText("Restore version 1? It is saved as a new version").waitFor();
  await pageA.screenshot({ path: join(OUT, "item-history-restore.png"), fullPage: true });
  await axe(pageA, "the restore confirmation");
  await panel.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await panel.getByRole("alert").count(), 0, "cancel restores nothing");
  await panel.getByRole("button", { name: "Restore this version…" }).click();
  await panel.getByRole("button", { name: "Restore", exact: true }).click();
  await pageA.getByRole("button", { name: "History (4 versions)" }).waitFor();
  await pageA.getByRole("button", { name: "Reveal Password" }).click();
  await pageA.getByText(FIRST, { exact: true }).waitFor();
  assert.equal(await pageA.getByText("moved to the new provider").count(), 0, "the notes are version 1's (empty)");

  await pageB.getByRole("button", { name: "History (4 versions)" }).waitFor({ timeout: 15_000 });
  await pageB.getByRole("button", { name: "Reveal Password" }).click();
  await pageB.getByText(FIRST, { exact: true }).waitFor();
  await pageB.getByRole("button", { name: "History (4 versions)" }).click();
  const rows = pageB.getByRole("region", { name: "History" }).getByRole("listitem");
  assert.match((await rows.nth(0).textContent()) ?? "", /Version 4 \(current\).*Chrome on Linux · changed password, notes/);
  await pageB.setViewportSize({ width: 375, height: 800 });
  await rows.nth(1).getByRole("button").click();
  await pageB.screenshot({ path: join(OUT, "item-history-375.png"), fullPage: true });
  await axe(pageB, "the history panel at 375 px");
});
