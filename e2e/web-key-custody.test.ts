// The web page never holds the Account Key: an account made here (so its key is known), signed in, locked,
// unlocked and put through a password change in Chromium; neither the page's JS heap nor any message
// from the account worker to the page carries the key. The worker keeps it and answers with derived keys.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHttpsFetch } from "@cryptex/cli/src/net/https-fetch.ts";
import { type OpenedAccount, signUp } from "@cryptex/core/client/account.ts";
import { createApiClient } from "@cryptex/core/client/api-client.ts";
import type { Browser, CDPSession, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium } from "../packages/web/src/testing/browser.ts";

const EMAIL = `custody-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple custody-4e1b";
const NEW_PASSWORD = "another horse battery staple custody-9d20";

let server: RunningServer;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let account: OpenedAccount;

/** Records every message a worker posts to the page, before any app script runs. */
function recordWorkerMessages(): void {
  const seen: unknown[] = [];
  (globalThis as unknown as { workerMessages: unknown[] }).workerMessages = seen;
  const Base = globalThis.Worker;
  globalThis.Worker = class extends Base {
    constructor(url: string | URL, opts?: WorkerOptions) {
      super(url, opts);
      this.addEventListener("message", (e) => seen.push((e as MessageEvent).data));
    }
  };
}

/** The page's heap as V8 serializes it (strings included); the worker's heap is another isolate. */
async function heapSnapshot(): Promise<string> {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  return chunks.join("");
}

/** Paths in the recorded worker messages whose strings or bytes contain `needle`. */
const findInMessages = (p: Page, needle: string) =>
  p.evaluate((needle) => {
    const bytes = new TextEncoder().encode(needle);
    const hasBytes = (b: Uint8Array) => {
      outer: for (let i = 0; i + bytes.length <= b.length; i++) {
        for (let j = 0; j < bytes.length; j++) if (b[i + j] !== bytes[j]) continue outer;
        return true;
      }
      return false;
    };
    const found: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (
        typeof v === "string"
          ? v.includes(needle)
          : v instanceof Uint8Array
            ? hasBytes(v)
            : v instanceof ArrayBuffer && hasBytes(new Uint8Array(v))
      )
        found.push(path);
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    const all = (globalThis as unknown as { workerMessages: unknown[] }).workerMessages;
    for (const [i, m] of all.entries()) walk(m, `message[${i}]`);
    return { found, ops: all.map((m) => (m as { result?: { op?: string } }).result?.op ?? "?") };
  }, needle);

before(async () => {
  buildWebIfNeeded();
  server = await startServer();
  const api = createApiClient({ baseUrl: server.url, fetch: createHttpsFetch(server.caPem) });
  const mailbox = outboxMailbox(server.outboxDir);
  account = await signUp({
    api,
    email: EMAIL,
    password: PASSWORD,
    deviceName: "node",
    sendEmail: false,
    readCode: () => mailbox.code(EMAIL, "signup"),
  });
  browser = await launchChromium(server.caPem);
  page = await (await browser.newContext()).newPage();
  await page.addInitScript(recordWorkerMessages);
  cdp = await page.context().newCDPSession(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("sign-in, unlock and a password change: the Account Key never reaches the page", async () => {
  await page.goto(server.url);
  await page.getByRole("button", { name: "Sign in on this device" }).click();
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Encrypted account key").fill(account.eakText);
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Lock", exact: true }).click({ timeout: 30_000 });
  await page.getByLabel("Account password").fill(PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.getByRole("button", { name: "Lock", exact: true }).waitFor({ timeout: 30_000 });

  await page.goto(`${server.url}/#/settings`);
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  await page.locator("#cp-current").fill(PASSWORD);
  await page.locator("#cp-new").fill(NEW_PASSWORD);
  await page.locator("#cp-confirm").fill(NEW_PASSWORD);
  await page
    .locator("#s-pw ~ .strength")
    .getByText(/Strong|Very strong/)
    .waitFor();
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText("Password changed.").waitFor({ timeout: 30_000 });

  const { found, ops } = await findInMessages(page, account.accountKey);
  for (const op of ["signIn", "unlock", "changePassword"]) assert.ok(ops.includes(op), `the worker answered ${op} (saw ${ops.join(", ")})`);
  assert.deepEqual(found, [], "no worker message carries the Account Key");
  const heap = await heapSnapshot();
  assert.ok(heap.length > 1_000_000, "a real heap snapshot");
  assert.ok(!heap.includes(account.accountKey), "the page's heap does not hold the Account Key");
});

test("the checks see what the page holds (they cannot pass vacuously)", async () => {
  // a string made in the page at run time, of the Account Key's length and alphabet
  const planted = await page.evaluate(() => {
    const s = Array.from(crypto.getRandomValues(new Uint8Array(46)), (b) => "ABCDEFGHJKLMN23456789#$%&*+=?@"[b % 30]).join("");
    (globalThis as unknown as { planted: string[] }).planted = [s];
    (globalThis as unknown as { workerMessages: unknown[] }).workerMessages.push({ nested: { bytes: new TextEncoder().encode(s) } });
    return s;
  });
  assert.ok((await heapSnapshot()).includes(planted));
  assert.equal((await findInMessages(page, planted)).found.length, 1);
  assert.deepEqual((await findInMessages(page, account.eakText.slice(8, 40))).found.length > 0, true, "the EAK (encrypted) does come back");
});
