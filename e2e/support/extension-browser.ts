// Launches Debian's Chromium with the built extension loaded (a fresh profile each time), trusting the
// given certificates by SPKI hash and mapping test host names to 127.0.0.1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page, type Worker } from "playwright-core";
import { CHROMIUM, spkiHash } from "../../packages/web/src/testing/browser.ts";

export interface ExtensionBrowser {
  readonly context: BrowserContext;
  readonly id: string;
  worker(): Promise<Worker>;
  /** the popup page, opened as a tab, acting on the given page's tab */
  openPopup(target: Page): Promise<Page>;
  tabIdOf(page: Page): Promise<number>;
  close(): Promise<void>;
}

export async function launchWithExtension(dir: string, certs: readonly string[], hosts: readonly string[]): Promise<ExtensionBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "cryptex-ext-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1000, height: 700 },
    args: [
      "--headless=new",
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      `--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(", ")}, EXCLUDE localhost`,
      `--ignore-certificate-errors-spki-list=${certs.map(spkiHash).join(",")}`,
    ],
  });
  /** the live worker; a stopped one is replaced by the next event that wakes it */
  const worker = async (): Promise<Worker> => {
    // listening before looking: a worker that starts while the list is checked is not missed (a loaded
    // machine showed that gap as a 30 s timeout)
    const next = context.waitForEvent("serviceworker", { timeout: 60_000 });
    for (const sw of [...context.serviceWorkers()].reverse())
      if (await sw.evaluate(() => true).catch(() => false)) {
        next.catch(() => undefined);
        return sw;
      }
    return next;
  };
  let id: string;
  try {
    id = new URL((await worker()).url()).host;
  } catch (e) {
    // a browser left running would keep the test process alive until its timeout
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  let helper: Page | undefined;
  /** asked from an extension page, which works whether or not the worker is running */
  const tabIdOf = async (page: Page): Promise<number> => {
    if (!helper || helper.isClosed()) {
      helper = await context.newPage();
      await helper.goto(`chrome-extension://${id}/popup.html?tab=-1`);
    }
    return helper.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? -1, page.url());
  };
  return {
    context,
    id,
    worker,
    tabIdOf,
    async openPopup(target) {
      const tab = await tabIdOf(target);
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 360, height: 600 });
      await popup.goto(`chrome-extension://${id}/popup.html?tab=${tab}`);
      return popup;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
