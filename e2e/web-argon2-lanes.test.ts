// Argon2id's lanes in parallel workers (issue 17), in real Chromium against a real server: the app's documents
// and scripts come with COOP + COEP so the page is cross-origin isolated; the lane workers give RFC 9106's vector
// and node:crypto's tags; an account made in the page on that path opens in Node (core's single-threaded
// WebAssembly) and on a second isolated context; and a page that is not isolated (COEP stripped on its way in)
// signs in on the single-worker path with the same keys.
import assert from "node:assert/strict";
import { argon2Sync, randomBytes, randomInt } from "node:crypto";
import { after, before, test } from "node:test";
import { createHttpsFetch } from "@cryptex/cli/src/net/https-fetch.ts";
import { signIn } from "@cryptex/core/client/account.ts";
import { createApiClient } from "@cryptex/core/client/api-client.ts";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, distOf, launchChromium } from "../packages/web/src/testing/browser.ts";

const EMAIL = `lanes-${Date.now()}@example.test`;
const PASSWORD = "correct horse battery staple lanes-71c2";

interface HookInput {
  password: string;
  salt: string;
  secret?: string;
  ad?: string;
  params: { m: number; t: number; p: number };
  length: number;
}
declare const cryptexTest: {
  kdfBackend(): Promise<"lanes" | "single">;
  laneArgon2id(input: HookInput): Promise<{ tag: string; ms: number } | undefined>;
};

let server: RunningServer;
let browser: Browser;
let page: Page;
let eakText: string;

before(async () => {
  buildWebIfNeeded("test"); // the hooks exist only in the test build
  server = await startServer({ env: { WEB_DIR: distOf("test") } });
  browser = await launchChromium(server.caPem);
  page = await (await browser.newContext()).newPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

async function signInInPage(p: Page): Promise<void> {
  await p.goto(`${server.url}/?testhooks`);
  await p.getByRole("button", { name: "Sign in on this device" }).click();
  await p.getByLabel("Email").fill(EMAIL);
  await p.getByLabel("Encrypted account key").fill(eakText);
  await p.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await p.getByRole("button", { name: "Sign in", exact: true }).click();
  await p.getByRole("button", { name: "Lock", exact: true }).waitFor({ timeout: 60_000 });
  await p.waitForFunction(() => "cryptexTest" in globalThis);
}

test("the app's page and its scripts are sent with COOP same-origin and COEP require-corp", async () => {
  const fetch = createHttpsFetch(server.caPem);
  const html = await fetch(`${server.url}/`, {});
  assert.equal(html.headers.get("cross-origin-opener-policy"), "same-origin");
  assert.equal(html.headers.get("cross-origin-embedder-policy"), "require-corp");
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
  assert.ok(script, "index.html names its script");
  const js = await fetch(`${server.url}${script}`, {});
  assert.equal(js.headers.get("cross-origin-embedder-policy"), "require-corp");
  assert.equal(js.headers.get("cross-origin-resource-policy"), "same-origin");
});

test("sign-up in the isolated page runs Argon2id on the lane workers; Node opens the account with core's WebAssembly", async () => {
  await page.goto(`${server.url}/?testhooks`);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, "the page is cross-origin isolated");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm account password").fill(PASSWORD);
  await page.getByText(/Strong|Very strong/).waitFor();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Code from the mail").fill(await outboxMailbox(server.outboxDir).code(EMAIL, "signup", 60_000));
  await page.getByRole("button", { name: "Confirm" }).click();
  eakText = (await page.locator("p.mono.break").textContent({ timeout: 60_000 })) ?? "";
  assert.match(eakText, /^CRYPTEX:/);
  await page.getByRole("button", { name: "Continue to vault" }).click();
  await page.waitForFunction(() => "cryptexTest" in globalThis);
  assert.equal(await page.evaluate(() => cryptexTest.kdfBackend()), "lanes");

  // the EAK sealed under the page's S and the verifier made from its keys open with the reference Argon2id
  const api = createApiClient({ baseUrl: server.url, fetch: createHttpsFetch(server.caPem) });
  const opened = await signIn({ api, email: EMAIL, password: PASSWORD, eakText, deviceName: "node" });
  assert.match(opened.session.token, /./);
});

test("a second isolated context signs in on the lane workers", async () => {
  const ctx = await browser.newContext();
  try {
    const p = await ctx.newPage();
    await signInInPage(p);
    assert.equal(await p.evaluate(() => cryptexTest.kdfBackend()), "lanes");
  } finally {
    await ctx.close();
  }
});

test("a page that is not cross-origin isolated falls back to one worker and derives the same keys", async () => {
  // no service worker (it would answer from its cache, past the route) and every answer stripped of COEP
  // (route.fetch asks from Node, which does not know the test certificate: hence ignoreHTTPSErrors)
  const ctx: BrowserContext = await browser.newContext({ serviceWorkers: "block", ignoreHTTPSErrors: true });
  try {
    // the app's files only: the API (and its endless event stream) goes straight to the server
    const app = (url: URL) => url.origin === server.url && !url.pathname.startsWith("/api/");
    await ctx.route(app, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers["cross-origin-embedder-policy"];
      await route.fulfill({ response, headers });
    });
    const p = await ctx.newPage();
    await signInInPage(p);
    assert.equal(await p.evaluate(() => crossOriginIsolated), false);
    assert.equal(await p.evaluate(() => cryptexTest.kdfBackend()), "single");
    assert.equal(
      await p.evaluate(() => cryptexTest.laneArgon2id({ password: "", salt: "", params: { m: 8, t: 1, p: 1 }, length: 4 })),
      undefined,
    );
  } finally {
    await ctx.close();
  }
});

test("the lane workers give RFC 9106's vector and node:crypto's tags for random inputs and the account's parameters", async () => {
  const vector = await page.evaluate(() =>
    cryptexTest.laneArgon2id({
      password: "01".repeat(32),
      salt: "02".repeat(16),
      secret: "03".repeat(8),
      ad: "04".repeat(12),
      params: { m: 32, t: 3, p: 4 },
      length: 32,
    }),
  );
  assert.equal(vector?.tag, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");

  const cases: HookInput[] = [];
  for (let i = 0; i < 10; i++) {
    const p = randomInt(1, 9);
    cases.push({
      password: hex(randomBytes(randomInt(0, 64))),
      salt: hex(randomBytes(16)),
      params: { m: 8 * p + randomInt(0, 3000), t: randomInt(1, 5), p },
      length: randomInt(4, 100),
      ...(i % 3 === 0 ? { secret: hex(randomBytes(16)) } : {}),
    });
  }
  cases.push({ password: hex(randomBytes(30)), salt: hex(randomBytes(16)), params: { m: 65536, t: 3, p: 4 }, length: 32 });
  for (const c of cases) {
    const got = await page.evaluate((c) => cryptexTest.laneArgon2id(c), c);
    const want = argon2Sync("argon2id", {
      message: Buffer.from(c.password, "hex"),
      nonce: Buffer.from(c.salt, "hex"),
      memory: c.params.m,
      passes: c.params.t,
      parallelism: c.params.p,
      tagLength: c.length,
      ...(c.secret ? { secret: Buffer.from(c.secret, "hex") } : {}),
    }).toString("hex");
    assert.equal(got?.tag, want, JSON.stringify({ ...c.params, length: c.length }));
  }
});

test("cross-origin isolation keeps the page's blob: previews working: a PDF frame opens Chromium's viewer, an image loads", async () => {
  const pdf = [
    "%PDF-1.4",
    "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj",
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj",
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]>>endobj",
    "trailer<</Root 1 0 R>>",
    "%%EOF",
  ].join("\n");
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const imageWidth = await page.evaluate(async (pdf) => {
    const frame = document.createElement("iframe");
    frame.src = URL.createObjectURL(new Blob([pdf], { type: "application/pdf" }));
    document.body.append(frame);
    const canvas = new OffscreenCanvas(7, 5);
    canvas.getContext("2d")!.fillRect(0, 0, 7, 5);
    const img = new Image();
    img.src = URL.createObjectURL(await canvas.convertToBlob());
    await img.decode();
    return img.naturalWidth;
  }, pdf);
  assert.equal(imageWidth, 7);
  // the viewer is Chromium's own extension page inside the blob: frame; a blocked frame would hold an error page
  const deadline = Date.now() + 15_000;
  while (!page.frames().some((f) => f.url().startsWith("chrome-extension://")) && Date.now() < deadline) await page.waitForTimeout(100);
  assert.ok(
    page.frames().some((f) => f.url().startsWith("chrome-extension://")),
    page
      .frames()
      .map((f) => f.url())
      .join(", "),
  );
});
