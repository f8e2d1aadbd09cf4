// Test support (Node only): builds the web app when needed and launches Debian's Chromium through playwright-core,
// trusting one server's self-signed certificate by its SPKI hash (so service workers work as on a real site).
import { spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

export const WEB_DIR = new URL("../..", import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    if (name.name === "node_modules" || name.name === "dist") continue;
    const p = join(dir, name.name);
    t = Math.max(t, name.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Runs `vite build` when dist/ is missing or older than the sources of web and core. */
export function buildWebIfNeeded(): void {
  const index = join(WEB_DIR, "dist", "index.html");
  const sources = Math.max(
    newest(join(WEB_DIR, "src")),
    newest(join(WEB_DIR, "public")),
    newest(join(WEB_DIR, "..", "core", "src")),
    statSync(join(WEB_DIR, "index.html")).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const vite = join(WEB_DIR, "..", "..", "node_modules", "vite", "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--logLevel", "error"], { cwd: WEB_DIR, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export function spkiHash(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64");
}

export function launchChromium(caPem: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      `--ignore-certificate-errors-spki-list=${spkiHash(caPem)}`,
    ],
  });
}
