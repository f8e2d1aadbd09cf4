// The web page never holds a key: an account made here (so its Account Key is known), signed in, locked,
// unlocked, an item saved and revealed, synced, a file attached and a password changed in Chromium. Neither the
// page's JS heap nor any message from the account worker carries the Account Key or any CryptoKey; the page's
// realm never called WebCrypto's key or decrypt operations (counted from before any app script runs), and
// holds no CryptoKey object at the end. The worker keeps every key and answers with rows, items and results;
// the session token is sealed at rest; locking drops the worker's keys.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHttpsFetch } from "@cryptex/cli/src/net/https-fetch.ts";
import { type OpenedAccount, signUp } from "@cryptex/core/client/account.ts";
import { createApiClient } from "@cryptex/core/client/api-client.ts";
import type { Browser, CDPSession, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, launchChromium, waitSynced } from "../packages/web/src/testing/browser.ts";

const EMAIL = `custody-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple custody-4e1b";
const NEW_PASSWORD = "another horse battery staple custody-9d20";

let server: RunningServer;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let account: OpenedAccount;
/** session tokens the page (or its worker) sent to the server */
const tokensSent = new Set<string>();

/** Counts the page realm's WebCrypto calls (a worker is another realm: its calls are not seen here). */
function countPageCrypto(): void {
  const counts: Record<string, number> = {};
  (globalThis as unknown as { subtleCalls: Record<string, number> }).subtleCalls = counts;
  const subtle = globalThis.crypto.subtle as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ["importKey", "deriveKey", "deriveBits", "unwrapKey", "decrypt", "encrypt", "generateKey", "sign", "exportKey"]) {
    const real = subtle[name]!.bind(globalThis.crypto.subtle);
    subtle[name] = (...args: unknown[]) => {
      counts[name] = (counts[name] ?? 0) + 1;
      return real(...args);
    };
  }
}

/** Records every message a worker posts to the page, before any app script runs. */
function recordWorkerMessages(): void {
  const seen: unknown[] = [];
  (globalThis as unknown as { workerMessages: unknown[] }).workerMessages = seen;
  (globalThis as unknown as { workers: Worker[] }).workers = [];
  const Base = globalThis.Worker;
  globalThis.Worker = class extends Base {
    constructor(url: string | URL, opts?: WorkerOptions) {
      super(url, opts);
      (globalThis as unknown as { workers: Worker[] }).workers.push(this);
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

/** How many CryptoKey objects the page's heap holds (CDP queryObjects over CryptoKey.prototype). */
async function cryptoKeysInHeap(): Promise<number> {
  await cdp.send("HeapProfiler.collectGarbage");
  const proto = await cdp.send("Runtime.evaluate", { expression: "CryptoKey.prototype" });
  const found = await cdp.send("Runtime.queryObjects", { prototypeObjectId: proto.result.objectId! });
  const n = await cdp.send("Runtime.callFunctionOn", {
    objectId: found.objects.objectId!,
    functionDeclaration: "function () { return this.length; }",
    returnByValue: true,
  });
  return n.result.value as number;
}

/** Paths of CryptoKeys in the recorded worker messages. */
const cryptoKeysInMessages = (p: Page) =>
  p.evaluate(() => {
    const found: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (v instanceof CryptoKey) found.push(path);
      else if (v && typeof v === "object" && !ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer))
        for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    for (const [i, m] of (globalThis as unknown as { workerMessages: unknown[] }).workerMessages.entries()) walk(m, `message[${i}]`);
    return found;
  });

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
  await page.addInitScript(countPageCrypto);
  page.on("request", (r) => {
    const auth = r.headers().authorization;
    if (auth?.startsWith("Bearer ")) tokensSent.add(auth.slice(7));
  });
  cdp = await page.context().newCDPSession(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("sign-in, unlock, save, reveal, sync, attach and a password change: no key reaches the page", async () => {
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

  // save, reveal, sync, attach: the item's plaintext comes to the page, its keys do not
  await page.getByRole("button", { name: "Add item", exact: true }).click();
  await page.getByLabel("Title").fill("Custody bank");
  await page.getByLabel("Username").fill("custody-user");
  await page.getByLabel("Password", { exact: true }).fill("custody-secret-pw-1");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("heading", { name: "Custody bank" }).waitFor();
  await page.getByRole("button", { name: "Reveal Password" }).click();
  await page.getByText("custody-secret-pw-1").waitFor();
  await waitSynced(page);
  const attachments = page.getByRole("region", { name: "Attachments" });
  await attachments
    .locator('input[type="file"]')
    .setInputFiles({ name: "custody.txt", mimeType: "text/plain", buffer: Buffer.from("custody file") });
  await attachments.getByText("custody.txt", { exact: true }).waitFor({ timeout: 30_000 });
  await attachments.getByRole("button", { name: "Download custody.txt" }).click();
  await waitSynced(page);

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
  // and unlock again with the new password, then open the item (reads it and its attachment list)
  await page.getByRole("button", { name: "Lock", exact: true }).click();
  await page.getByLabel("Account password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.getByRole("button", { name: "Lock", exact: true }).waitFor({ timeout: 30_000 });
  await page.getByText("Custody bank").first().click();
  await page.getByRole("heading", { name: "Custody bank" }).waitFor();

  const calls = await page.evaluate(() => (globalThis as unknown as { subtleCalls: Record<string, number> }).subtleCalls);
  assert.deepEqual(calls, {}, "the page itself made no WebCrypto key, encrypt or decrypt call");
  assert.equal(await cryptoKeysInHeap(), 0, "no CryptoKey object in the page's heap");
  assert.deepEqual(await cryptoKeysInMessages(page), [], "no worker message carries a CryptoKey");

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
  // a CryptoKey made in the page is seen by the counter, the heap query and the message walk
  await page.evaluate(async () => {
    const k = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    (globalThis as unknown as { planted: unknown[] }).planted.push(k);
    (globalThis as unknown as { workerMessages: unknown[] }).workerMessages.push({ result: { key: k } });
  });
  assert.equal(await cryptoKeysInHeap(), 1);
  assert.deepEqual(await cryptoKeysInMessages(page), [
    `message[${(await page.evaluate(() => (globalThis as unknown as { workerMessages: unknown[] }).workerMessages.length)) - 1}].result.key`,
  ]);
  assert.equal(await page.evaluate(() => (globalThis as unknown as { subtleCalls: Record<string, number> }).subtleCalls.generateKey), 1);
});

test("the server session token is sealed at rest: IndexedDB holds no token the browser sends", async () => {
  await page.reload();
  await page.getByLabel("Account password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Unlock" }).click();
  await waitSynced(page); // the sealed token opened in the worker: the sync went through
  const stored = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const r = indexedDB.open("cryptex");
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const get = r.result.transaction("meta").objectStore("meta").get("meta");
          get.onsuccess = () => resolve(String(get.result.sessionToken));
          get.onerror = () => reject(get.error);
        };
      }),
  );
  assert.match(stored, /^sealed1\./);
  assert.ok(tokensSent.size > 0, "tokens were seen on the wire");
  for (const t of tokensSent) assert.ok(!stored.includes(t), "the stored form does not contain the token");
});

test("locking drops the keys in the worker: its vault cannot be opened or read again without the password", async () => {
  await page.getByRole("button", { name: "Lock", exact: true }).click();
  await page.getByRole("heading", { name: "Vault locked" }).waitFor();
  const accountId = account.accountId;
  const answers = await page.evaluate(async (accountId) => {
    const w = (globalThis as unknown as { workers: Worker[] }).workers[0]!;
    const ask = (id: number, method: string, args: unknown[]) =>
      new Promise<{ ok: boolean; message?: string }>((resolve) => {
        const on = (e: MessageEvent) => {
          if (e.data?.id !== id) return;
          w.removeEventListener("message", on);
          resolve(e.data);
        };
        w.addEventListener("message", on);
        w.postMessage({ op: "vault", method, args, id });
      });
    return [await ask(900001, "open", [accountId, "cryptex", "test"]), await ask(900002, "unsyncedCount", [])];
  }, accountId);
  assert.deepEqual(
    answers.map((a) => [a.ok, a.message]),
    [
      [false, "unlock first"],
      [false, "the vault is locked"],
    ],
  );
});

test("signing out from the lock screen still ends the server session the page last had open", async () => {
  const api = (token: string) => createApiClient({ baseUrl: server.url, token, fetch: createHttpsFetch(server.caPem) });
  const alive = async () => {
    const ok: string[] = [];
    for (const t of tokensSent)
      if (
        await api(t)
          .sessions()
          .then(() => true)
          .catch(() => false)
      )
        ok.push(t);
    return ok;
  };
  assert.equal((await alive()).length, 1, "the page's session is alive while locked");
  await page.getByRole("button", { name: "Sign out and remove this device's copy" }).click();
  const dialog = page.getByRole("alertdialog");
  await dialog.getByRole("button", { name: "Sign out and remove" }).click();
  await page.getByRole("heading", { name: "Sign in on this device" }).waitFor();
  assert.deepEqual(await alive(), [], "the server ended it");
});
