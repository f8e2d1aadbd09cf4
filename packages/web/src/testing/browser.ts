// Test support (Node only): builds the web app when needed and launches Debian's Chromium through playwright-core,
// trusting one server's self-signed certificate by its SPKI hash (so service workers work as on a real site).
import { createHash, X509Certificate } from "node:crypto";
import { type Browser, chromium, type Page } from "playwright-core";

export { buildWebIfNeeded, distOf } from "../build-if-stale.ts";

export const WEB_DIR = new URL("../..", import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}

/** `alsoTrust`: more self-signed certificates (another local HTTPS service the page calls). */
export function launchChromium(caPem: string, ...alsoTrust: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      `--ignore-certificate-errors-spki-list=${[caPem, ...alsoTrust].map(spkiHash).join(",")}`,
    ],
  });
}

/** Waits until the vault bar says Synced. A timeout names what the bar said instead (a sync error, offline, still
 * syncing), so a failure on a loaded machine says why rather than only that it waited. */
export async function waitSynced(page: Page, timeout = 60_000): Promise<void> {
  try {
    await page.getByText("Synced").first().waitFor({ timeout });
  } catch (e) {
    const said = await page
      .locator(".sync[data-status]")
      .textContent({ timeout: 1000 })
      .catch(() => "(no sync status on the page)");
    throw new Error(`the vault never said Synced; its status says: ${said}`, { cause: e });
  }
}
