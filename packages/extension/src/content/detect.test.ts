// Field detection over a corpus of login pages users report (fixtures/*.html), in real headless Chromium:
// each fixture names the fields it expects in <meta name="expect">; "delayed" ones appear only after a fade-in.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM } from "../../../web/src/testing/browser.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
let browser: Browser;
let page: Page;
let bundle: string;

before(async () => {
  const out = await build({
    stdin: {
      contents: 'export { findLoginFields, waitForLoginFields } from "./detect.ts";',
      resolveDir: new URL(".", import.meta.url).pathname,
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    globalName: "cxDetect",
    write: false,
  });
  bundle = out.outputFiles[0]!.text;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
});

after(async () => {
  await browser?.close();
});

interface Expect {
  username?: string;
  password?: string;
  newPassword?: string;
  otp?: string;
  delayed?: boolean;
}

type Found = Omit<Expect, "delayed">;

async function detect(wait: boolean): Promise<Found> {
  return page.evaluate(async (w) => {
    const api = (globalThis as unknown as { cxDetect: typeof import("./detect.ts") }).cxDetect;
    const f = w ? await api.waitForLoginFields(2000) : api.findLoginFields(document);
    const out: Record<string, string> = {};
    for (const [k, el] of Object.entries(f)) if (el) out[k] = (el as HTMLInputElement).id;
    return out;
  }, wait);
}

for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith(".html"))) {
  test(`detects fields: ${file}`, async () => {
    const html = readFileSync(FIXTURES + file, "utf8");
    const m = /<meta name="expect" content='([^']*)'>/.exec(html);
    assert.ok(m, "the fixture states what it expects");
    const { delayed, ...want } = JSON.parse(m[1]!) as Expect;
    await page.setContent(html);
    await page.addScriptTag({ content: bundle });
    if (delayed) assert.deepEqual(await detect(false), {}, "nothing is offered before the fields are visible");
    assert.deepEqual(await detect(Boolean(delayed)), want);
  });
}
