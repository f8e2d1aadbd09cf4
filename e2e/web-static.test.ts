// The web app's files over real HTTPS from a real server: precompressed brotli and gzip chosen by
// Accept-Encoding (with Vary), byte-identical to the built files once decoded; the password-strength
// dictionary is its own chunk, absent from the entry script; the QR decoders are not in it either; the test
// hooks exist only in the test build (dist-test/), never in what the server ships.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { get } from "node:https";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { buildWebIfNeeded, distOf, WEB_DIR } from "../packages/web/src/testing/browser.ts";

const DIST = join(WEB_DIR, "dist");
let server: RunningServer;

function fetchRaw(path: string, accept?: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = accept === undefined ? {} : { "accept-encoding": accept };
    get(`${server.url}${path}`, { ca: server.caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

const assets = () => readdirSync(join(DIST, "assets"));
const entryScript = () => readFileSync(join(DIST, "index.html"), "utf8").match(/src="\/(assets\/[^"]+\.js)"/)![1]!;

before(async () => {
  buildWebIfNeeded();
  server = await startServer();
});
after(async () => server?.stop());

test("brotli when accepted, else gzip, else identity; always Vary: Accept-Encoding", async () => {
  for (const path of [`/${entryScript()}`, "/", "/sw.js"]) {
    const raw = readFileSync(join(DIST, path === "/" ? "index.html" : path));
    const br = await fetchRaw(path, "gzip, deflate, br, zstd");
    assert.equal(br.status, 200);
    assert.equal(br.headers["content-encoding"], "br", path);
    assert.equal(br.headers.vary, "Accept-Encoding");
    assert.equal(Number(br.headers["content-length"]), br.body.length);
    assert.ok(br.body.length < raw.length, `${path}: compressed is smaller`);
    assert.deepEqual(brotliDecompressSync(br.body), raw);
    const gz = await fetchRaw(path, "gzip");
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.deepEqual(gunzipSync(gz.body), raw);
    const refused = await fetchRaw(path, "br;q=0, gzip;q=1.0");
    assert.equal(refused.headers["content-encoding"], "gzip", "q=0 refuses brotli");
    const plain = await fetchRaw(path);
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(plain.headers.vary, "Accept-Encoding");
    assert.deepEqual(plain.body, raw);
  }
});

test("a client route gets index.html compressed too; a missing asset is 404", async () => {
  const r = await fetchRaw("/some/route", "br");
  assert.equal(r.headers["content-encoding"], "br");
  assert.match(brotliDecompressSync(r.body).toString("utf8"), /<div id="app">/);
  assert.equal((await fetchRaw("/assets/nope.js", "br")).status, 404);
});

test("the password-strength dictionary is a chunk of its own, not in the entry script", () => {
  const strength = assets().filter((f) => f.startsWith("password-strength") && f.endsWith(".js"));
  assert.equal(strength.length, 1, `one password-strength chunk in ${assets().join(", ")}`);
  const chunk = readFileSync(join(DIST, "assets", strength[0]!));
  assert.ok(chunk.length > 1_000_000, "the dictionary is in that chunk");
  const entry = readFileSync(join(DIST, entryScript()));
  assert.ok(entry.length < 400_000, `entry script is ${entry.length} bytes`);
  assert.ok(!entry.includes("zxcvbn"), "the entry script has no zxcvbn code");
});

/** Every script of a build, by file name. */
function scripts(dist: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js")))
    out.set(f, readFileSync(join(dist, "assets", f), "utf8"));
  out.set("sw.js", readFileSync(join(dist, "sw.js"), "utf8"));
  return out;
}
const HOOK_MARKS = ["cryptexTest", "testhooks", "rawLimits"];

test("the test hooks are built only into the test build, never into the production bundle", () => {
  buildWebIfNeeded("test");
  const withHooks = [...scripts(distOf("test"))].filter(([, code]) => HOOK_MARKS.every((m) => code.includes(m)));
  assert.equal(withHooks.length, 1, "the test build has the hooks (so this check can see them)");
  for (const [file, code] of scripts(DIST)) {
    for (const mark of HOOK_MARKS) assert.ok(!code.includes(mark), `production ${file} contains ${mark}`);
  }
});

test("the entry script has no QR decoder (jsqr, the JPEG decoder): they load when a QR image is read", () => {
  const entry = readFileSync(join(DIST, entryScript()), "utf8");
  // the entry may name the decoder chunks (to import them later), but holds none of their code
  assert.ok(!entry.includes("inversionAttempts"), "no QR decoder in the entry script");
  assert.ok(!entry.includes("maxResolutionInMP"), "no JPEG decoder in the entry script");
  const decoder = [...scripts(DIST)].filter(([, code]) => code.includes("inversionAttempts"));
  assert.ok(decoder.length >= 1, "the decoder is in a chunk of its own");
});
