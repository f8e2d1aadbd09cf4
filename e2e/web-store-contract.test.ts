// Core's VaultStore contract suite run in real Chromium against the IndexedDB store (Vite's dev server compiles
// the TypeScript test page on the fly; http://localhost is a secure context, so IndexedDB and WebCrypto work).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { CHROMIUM, WEB_DIR } from "../packages/web/src/testing/browser.ts";

let vite: ViteDevServer;
let browser: Browser;

before(async () => {
  vite = await createServer({
    root: WEB_DIR,
    configFile: `${WEB_DIR}vite.config.ts`,
    logLevel: "error",
    server: { host: "127.0.0.1", port: 0, hmr: false },
  });
  await vite.listen();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
  await vite?.close();
});

test("the IndexedDB store passes core's VaultStore contract in Chromium", async () => {
  const address = vite.httpServer!.address();
  assert.ok(address && typeof address === "object");
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`http://localhost:${address.port}/src/testing/store-contract.html`);
  await page.waitForFunction(() => "storeContractResults" in globalThis || false, undefined, { timeout: 60_000 });
  const results = (await page.evaluate(() => (globalThis as unknown as { storeContractResults: unknown }).storeContractResults)) as {
    name: string;
    ok: boolean;
    error?: string;
  }[];
  assert.deepEqual(errors, []);
  assert.ok(results.length >= 9, `the suite ran ${results.length} cases`);
  for (const r of results) assert.ok(r.ok, `${r.name}: ${r.error}`);
});
