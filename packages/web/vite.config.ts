// Vite build of the web app into dist/, served by the server under a strict CSP (no inline scripts or styles).
import { readFileSync } from "node:fs";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

/** Emits sw.js with the list of built files to precache, so the app opens offline. */
function offlineShell(): Plugin {
  return {
    name: "cryptex-offline-shell",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => f !== "sw.js" && !f.endsWith(".html") && !f.includes("password-strength"));
      const assets = ["/", "/favicon.svg", ...files.map((f) => `/${f}`)];
      const version = files
        .filter((f) => f.startsWith("assets/"))
        .sort()
        .join("|");
      let hash = 0;
      for (let i = 0; i < version.length; i++) hash = (hash * 31 + version.charCodeAt(i)) >>> 0;
      const template = readFileSync(new URL("./src/offline/sw-template.js", import.meta.url), "utf8");
      const source = template.replace("__ASSETS__", JSON.stringify(assets)).replace("__VERSION__", JSON.stringify(hash.toString(36)));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [preact(), offlineShell()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The modulepreload polyfill would be inlined into index.html; the CSP forbids inline scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  worker: { format: "es" },
});
