// Property-based fuzzing (fast-check, bounded runs for CI) of every input a hostile party controls: the EAK
// text, QR images, item payloads, every API answer the client parses (through the real proxy), and every
// request the real server validates. Invariants: typed errors only, no hang, the server never answers 5xx.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiError } from "@cryptex/core/client/api-client.ts";
import { isCryptexError } from "@cryptex/core/errors.ts";
import { parseEakText } from "@cryptex/core/formats/eak.ts";
import { qrToPng } from "@cryptex/core/formats/qr.ts";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import { parse } from "@cryptex/core/schema/shape.ts";
import { createItem, itemShape } from "@cryptex/core/vault/item.ts";
import { request } from "@cryptex/server/src/testing/https-client.ts";
import fc from "fast-check";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("fuzz");
});
after(() => world.stop());

const typed = (e: unknown) => isCryptexError(e) || e instanceof ApiError;
function onlyTyped(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    assert.ok(typed(e), `untyped ${String(e)}`);
  }
}

const hostileJson = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.constant("[".repeat(100_000)),
  fc.constant(`{"a":${"[".repeat(50_000)}`),
  fc.string({ maxLength: 200 }),
  fc.constant(`{"items":[${'{"id":"x"},'.repeat(5000)}{}]}`),
);

test("fuzz: EAK text parser (random text and mutated real EAKs) → typed errors only", () => {
  const real = a.account.eakText;
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 400 }),
        fc
          .tuple(fc.nat(real.length - 1), fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=:a1 "))
          .map(([i, c]) => real.slice(0, i) + c + real.slice(i + 1)),
        fc.nat(real.length).map((n) => real.slice(0, n)),
      ),
      (text) => onlyTyped(() => parseEakText(text)),
    ),
    { numRuns: 2000 },
  );
});

test("fuzz: QR decode of mutated PNGs → typed errors only, bounded time", () => {
  const png = qrToPng(a.account.eakText, 4);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(png.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.nat(png.length),
      (flips, cut) => {
        const bad = png.slice(0, Math.max(8, cut));
        for (const [i, v] of flips) if (i < bad.length) bad[i] = v;
        const t = Date.now();
        onlyTyped(() => decodeQrImage(bad));
        assert.ok(Date.now() - t < 5000);
      },
    ),
    { numRuns: 40 },
  );
});

test("fuzz: item payload validation → typed errors only", () => {
  const good = createItem({ type: "login", title: "t", fields: { password: "p" } }) as unknown as Record<string, unknown>;
  fc.assert(
    fc.property(
      fc.oneof(
        fc.anything({ maxDepth: 5 }),
        fc
          .record({ key: fc.constantFrom(...Object.keys(good)), value: fc.anything({ maxDepth: 3 }) })
          .map(({ key, value }) => ({ ...good, [key]: value })),
      ),
      (v) => onlyTyped(() => parse(itemShape, v)),
    ),
    { numRuns: 2000 },
  );
});

test("fuzz: every API answer the client parses, hostile bodies through the proxy → ApiError only, bounded time", async () => {
  const calls: [string, (api: Device["api"]) => Promise<unknown>][] = [
    ["/api/v1/account", (api) => api.account()],
    ["/api/v1/items?", (api) => api.pull(0)],
    ["/api/v1/items", (api) => api.push([])],
    ["/api/v1/manifests", (api) => api.manifests()],
    ["/api/v1/sync-profile", (api) => api.syncProfile()],
    ["/api/v1/sessions", (api) => api.sessions()],
    ["/api/v1/auth/challenge", (api) => api.challenge(a.email)],
    ["/api/v1/account/challenge", (api) => api.actionChallenge()],
    [
      "/api/v1/account/rotation",
      (api) =>
        api.commitRotation({
          challenge: "A".repeat(43),
          signature: "A".repeat(86),
          authPublicKey: "A".repeat(43),
          verifier: "AA",
          wrappedEak: "AA",
          eakGeneration: 1,
        }),
    ],
  ];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...calls),
      hostileJson,
      fc.constantFrom(200, 201, 400, 409, 500),
      fc.boolean(),
      async ([path, call], body, status, truncate) => {
        let raw = typeof body === "string" ? body : (JSON.stringify(body) ?? "null");
        if (truncate) raw = raw.slice(0, Math.floor(raw.length / 2));
        world.proxy.onRequest((x) => (x.path.startsWith(path) ? { status, raw, contentType: "application/json" } : undefined));
        const api = world.api(a.account.session.token);
        const t = Date.now();
        try {
          await call(api);
        } catch (e) {
          assert.ok(typed(e), `untyped ${String(e)}`);
        }
        assert.ok(Date.now() - t < 5000);
      },
    ),
    { numRuns: 150 },
  );
  // oversized: 60 MiB of JSON is refused by size, not parsed
  world.proxy.onRequest((x) => (x.path.startsWith("/api/v1/items?") ? { raw: Buffer.alloc(60 * 1024 * 1024, 0x20) } : undefined));
  await assert.rejects(world.api(a.account.session.token).pull(0), (e) => e instanceof ApiError && e.code === "answer_too_large");
  world.proxy.onRequest(undefined);
});

test("fuzz: the real server's request validation → 4xx JSON {code,message}, never 5xx, stays up", async () => {
  const srv = world.server;
  const token = a.account.session.token;
  const routes: [string, string, boolean][] = [
    ["POST", "/api/v1/accounts", false],
    ["POST", "/api/v1/auth/challenge", false],
    ["POST", "/api/v1/auth/signin", false],
    ["POST", "/api/v1/items", true],
    ["PUT", `/api/v1/manifests/${a.account.accountId}`, true],
    ["PUT", "/api/v1/sync-profile", true],
    ["POST", "/api/v1/account/password", true],
    ["POST", "/api/v1/account/reset", true],
    ["PUT", "/api/v1/account/rotation/items", true],
    ["POST", "/api/v1/account/rotation", true],
    ["POST", "/api/v1/account/mail", true],
    ["DELETE", "/api/v1/account", true],
    ["GET", "/api/v1/items?since=-1&limit=x", true],
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...routes), hostileJson, async ([method, path, auth], body) => {
      const raw = typeof body === "string" ? body : (JSON.stringify(body) ?? "null");
      const r = await request(method, srv.url + path, {
        ca: srv.caPem,
        ...(auth ? { token } : {}),
        ...(method === "GET" ? {} : { rawBody: raw }),
        headers: { "content-type": "application/json" },
      });
      assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} → ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(typeof r.json?.code, "string");
      assert.equal(typeof r.json?.message, "string");
      assert.ok(!/\n\s+at /.test(r.text), "no stack trace");
    }),
    { numRuns: 200 },
  );
  const h = await request("GET", `${srv.url}/healthz`, { ca: srv.caPem });
  assert.equal(h.status, 200);
  await a.vault.sync(a.api); // and the account still works
});
