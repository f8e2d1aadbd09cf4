// Import and export in the web app end to end: a real server, Debian's Chromium. A Bitwarden JSON is
// imported through Settings → Import (format detected, preview, one transaction, report); the items and
// their folders appear in the list and the sidebar; the encrypted export opens with core's reader (as the
// CLI does) and an open export needs the Account Password again.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readExport } from "@cryptex/core/export/cryptex-export.ts";
import type { Browser, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium, waitSynced } from "../packages/web/src/testing/browser.ts";

const OUT = new URL("../.test-output/web-import/", import.meta.url).pathname;
const FIXTURE = new URL("../packages/core/src/import/fixtures/bitwarden.json", import.meta.url).pathname;
const EMAIL = `importer-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple import-pw-5d1";
let server: RunningServer;
let browser: Browser;
let page: Page;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  buildWebIfNeeded();
  server = await startServer();
  browser = await launchChromium(server.caPem);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(server.url);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm account password").fill(PASSWORD);
  await page.getByText(/Strong|Very strong/).waitFor();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Confirm your e-mail address" }).waitFor({ timeout: 30_000 });
  await page.getByLabel("Code from the mail").fill(await outboxMailbox(server.outboxDir).code(EMAIL, "signup"));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("button", { name: "Continue to vault" }).click({ timeout: 30_000 });
  await page.getByRole("button", { name: "Lock", exact: true }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const listItem = (title: string) => page.getByRole("list", { name: "Items" }).getByText(title);

test("Settings → Import: format shown, preview with counts, import, report; items and folders appear", async () => {
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByLabel("File to import").setInputFiles(FIXTURE);
  await page.getByText("Format: Bitwarden JSON").waitFor();
  await page.getByRole("button", { name: "Preview" }).click();
  const report = page.getByRole("region", { name: "Import report" });
  await report.getByText("Ready to import 6 of 6 items from Bitwarden JSON.").waitFor();
  assert.match((await report.textContent()) ?? "", /login: 2/);
  await page.screenshot({ path: join(OUT, "01-preview.png") });
  await page.getByRole("button", { name: "Import 6 items" }).click();
  await report.getByText("Imported 6 of 6 items from Bitwarden JSON.").waitFor();
  assert.match((await report.textContent()) ?? "", /2 things not imported/);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the report" }).click();
  const text = readFileSync((await (await download).path())!, "utf8");
  assert.match(text, /NOT imported \(2\)/);
  // on a wide screen the list stays beside the settings
  await listItem("Git 🔑 サーバー").waitFor();
  await listItem("Visa").waitFor();
  const folders = page.getByRole("list", { name: "Folders" });
  await folders.getByRole("button", { name: /^Dev 1$/ }).click();
  await listItem("Git 🔑 サーバー").waitFor();
  assert.equal(await listItem("Visa").count(), 0, "the folder filter shows that folder only");
  await page.screenshot({ path: join(OUT, "02-folder.png") });
  await waitSynced(page);
});

test("a KeePass KDBX made by keepassxc-cli imports in the browser with its password (Argon2 in WebAssembly, TABs kept)", async () => {
  const kdbx = join(OUT, "fixture.kdbx");
  const xml = new URL("../packages/core/src/import/fixtures/keepass.xml", import.meta.url).pathname;
  rmSync(kdbx, { force: true }); // keepassxc-cli will not overwrite
  execFileSync("keepassxc-cli", ["import", "-q", "-p", "-t", "100", xml, kdbx], { input: "kdbx pass ✓\nkdbx pass ✓\n" });
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByLabel("File to import").setInputFiles(kdbx);
  await page.getByText("Format: KeePass database (KDBX)").waitFor();
  await page.getByLabel("The file's password").fill("wrong password");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("alert").filter({ hasText: "Wrong password for this file." }).waitFor({ timeout: 30_000 });
  await page.getByLabel("The file's password").fill("kdbx pass ✓");
  await page.getByRole("button", { name: "Preview" }).click();
  const report = page.getByRole("region", { name: "Import report" });
  await report.getByText(/Ready to import 4 of 4 items from KeePass database/).waitFor({ timeout: 30_000 });
  await page.getByRole("button", { name: "Import 4 items" }).click();
  await report.getByText(/Imported 4 of 4 items/).waitFor();
  await page.getByRole("button", { name: "All items" }).click();
  await listItem("KeePass TOTP").waitFor();
});

test("exports: the encrypted file opens with core's reader; an open export needs the Account Password", async () => {
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByLabel("Password for the export file").fill("export file pw 77 lantern!");
  await page.getByLabel("Repeat it").fill("export file pw 77 lantern!");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const file = new Uint8Array(readFileSync((await (await download).path())!));
  const items = await readExport(file, "export file pw 77 lantern!");
  assert.equal(items.length, 10);
  assert.equal(
    items.find(
      (i) => i.title === "Git 🔑 サーバー" && i.type === "login" && i.history.length === 7 && i.fields.some((f) => f.name === "Formula"),
    )?.folder,
    "Work/Dev",
  );
  assert.equal(
    items.find((i) => i.fields.some((f) => f.name === "Recovery"))?.notes,
    "tab\there\nline two",
    "the TAB read from the KDBX in the browser",
  );
  await page.getByLabel("Format", { exact: true }).selectOption("bitwarden-json");
  await page.getByRole("form", { name: "Export" }).getByLabel("Account password").fill("not the password at all");
  await page.getByLabel("I understand the file is not encrypted").check();
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await page.getByText(/wrong/i).waitFor();
  await page.getByRole("form", { name: "Export" }).getByLabel("Account password").fill(PASSWORD);
  const open = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const json = JSON.parse(readFileSync((await (await open).path())!, "utf8"));
  assert.equal(json.items.length, 10);
});
