// Vite build of the web app into dist/, served by the server under a strict CSP (no inline scripts or styles).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
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

/** Writes a .br and a .gz beside every text file of dist/ (when smaller), so the server sends them as they are. */
function precompress(outDir: string): Plugin {
  const TEXT = /\.(html|js|mjs|css|json|svg|txt|webmanifest|wasm)$/;
  return {
    name: "cryptex-precompress",
    apply: "build",
    closeBundle() {
      const dist = new URL(`./${outDir}/`, import.meta.url).pathname;
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
      for (const file of walk(dist).filter((f) => TEXT.test(f))) {
        const raw = readFileSync(file);
        const br = brotliCompressSync(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
        });
        const gz = gzipSync(raw, { level: 9 });
        if (br.length < raw.length) writeFileSync(`${file}.br`, br);
        if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

// `--mode test` builds the same app with its test hooks into dist-test/; dist/ (production) has none.
const outDirOf = (mode: string) => (mode === "test" ? "dist-test" : "dist");

export default defineConfig(({ mode }) => ({
  root: import.meta.dirname,
  base: "/",
  plugins: [preact(), offlineShell(), precompress(outDirOf(mode))],
  build: {
    outDir: outDirOf(mode),
    emptyOutDir: true,
    target: "es2022",
    // The modulepreload polyfill would be inlined into index.html; the CSP forbids inline scripts.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  worker: { format: "es" },
}));
