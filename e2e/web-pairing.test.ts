// Pairing between the web app (Debian's Chromium) and the CLI, through a real server: web-to-CLI (the page
// shows the code, `cryptex device approve CODE` approves with the typed code it reads) and CLI-to-web (the CLI
// writes its pairing QR code as an image, Settings → Add a device reads the image and the user approves).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { collect, runCli, runCliWithCode, spawnCli } from "../packages/cli/src/testing/run-cli.ts";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium } from "../packages/web/src/testing/browser.ts";

const EMAIL = `erin-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple pairing-9d1e";
let server: RunningServer;
let browser: Browser;
let page: Page;
let dir: string;
let env: Record<string, string>;
let session = "";

before(async () => {
  buildWebIfNeeded();
  server = await startServer();
  browser = await launchChromium(server.caPem);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await ctx.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-webpair-"));
  writeFileSync(join(dir, "ca.pem"), server.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
  const up = await runCliWithCode(
    ["signup", "--server", server.url, "--email", EMAIL, "--no-email", "--password-stdin"],
    { home: join(dir, "a"), stdin: `${PASSWORD}\n`, env },
    () => outboxMailbox(server.outboxDir).code(EMAIL, "signup"),
  );
  assert.equal(up.code, 0, up.stderr);
  session = (await runCli(["unlock", "--raw", "--password-stdin"], { home: join(dir, "a"), stdin: `${PASSWORD}\n`, env })).stdout.trim();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("web to CLI: the page shows a pairing code, the CLI approves it, the page signs in", async () => {
  await page.goto(server.url);
  await page.getByRole("button", { name: "Sign in on this device" }).click();
  await page.getByRole("button", { name: "Sign in with another device" }).click();
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Account password").fill(PASSWORD);
  await page.getByRole("button", { name: "Show a pairing code" }).click();
  const code = (await page.locator("#ps-code").textContent({ timeout: 20_000 }))!;
  assert.match(code, /^[A-Z2-7]{4}(-[A-Z2-7]{1,4}){6}$/);
  assert.ok(await page.getByRole("img", { name: "Pairing QR code" }).isVisible());
  const shownOnPage = page.locator("#ps-comparison").textContent({ timeout: 30_000 });
  const approve = await runCli(["device", "approve", code, "--yes"], { home: join(dir, "a"), env: { ...env, CRYPTEX_SESSION: session } });
  assert.equal(approve.code, 0, approve.stderr);
  assert.match(approve.stderr, /"[^"]+" \(web browser\) for /);
  assert.match(approve.stdout, /added: it is signed in/);
  const onCli = /Comparison code: (\d{6})/.exec(approve.stderr)![1]!;
  assert.equal(await shownOnPage, onCli);
  await page.getByRole("button", { name: "Settings" }).waitFor({ timeout: 60_000 });
});

test("CLI to web: the page reads the CLI's pairing QR image in Settings → Add a device and approves", async () => {
  const png = join(dir, "pair.png");
  const cli = spawnCli(
    ["signin", "--server", server.url, "--email", EMAIL, "--pair", "--png", png, "--password-stdin", "--device-name", "terminal"],
    { home: join(dir, "b"), stdin: `${PASSWORD}\n`, env },
  );
  const done = collect(cli);
  let out = "";
  cli.stdout!.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  for (let i = 0; i < 200 && !/^Pairing code: /m.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByLabel("Pairing code image").setInputFiles(png);
  const ask = page.getByRole("dialog");
  await ask.waitFor({ timeout: 20_000 });
  assert.match((await ask.textContent()) ?? "", /Approve "terminal" \(cryptex CLI \(linux\)\) for /);
  for (let i = 0; i < 100 && !/^Comparison code: /m.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  const onCli = /^Comparison code: (\d{6})/m.exec(out)![1]!;
  assert.equal(await page.locator("#s-add-comparison").textContent(), onCli);
  await ask.getByRole("button", { name: "Approve" }).click();
  await page.getByText('Device "terminal" added: it is signed in.').waitFor({ timeout: 60_000 });
  const r = await done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Signed in as /);
});
