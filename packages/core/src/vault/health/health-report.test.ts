import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type RangeServer, startRangeServer } from "../../../../../e2e/support/pwned-range-server.ts";
import { createHttpsFetch } from "../../../../cli/src/net/https-fetch.ts";
import { generateAccountKey } from "../../keys/account-key.ts";
import { newAccountId } from "../../keys/ids.ts";
import { createItem, editItem } from "../item.ts";
import { HealthCache } from "./health-cache.ts";
import { deriveLocalKeys, passwordFingerprint } from "./health-keys.ts";
import { healthReport } from "./health-report.ts";
import { parseEndpoint, parseRangeBody, pwnedHash } from "./pwned-passwords.ts";

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 10, 30);
const STRONG = "correct-Horse-battery-9-staple-Xq";
const STRONG2 = "vivid-Lantern-7-orbit-quietly-Zm";

const login = (title: string, password: string, extra: Record<string, string> = {}, at = NOW - DAY) =>
  createItem({ type: "login", title, fields: { username: "ann", password, ...extra } }, at);

let range: RangeServer;
before(async () => {
  range = await startRangeServer({ password1: 2_400_000, [STRONG2]: 3 });
});
after(() => range.close());

const keysP = deriveLocalKeys(generateAccountKey(), newAccountId());

test("the rules: weak, reused, old, http:, missing one-time code", async () => {
  const keys = await keysP;
  const a = login("A weak", "password1", { url: "https://shop.example" });
  const b = login("B reused", STRONG, { url: "http://router.example" });
  const c = login("C reused too", STRONG, { url: "https://accounts.google.com/signin" });
  const d = login("D old", STRONG2, { url: "https://github.com", totp: "JBSWY3DPEHPK3PXP" }, NOW - 400 * DAY);
  // changed 10 days ago: not old, though the item was made long ago
  const e = editItem(
    login("E renewed", "old-Secret-that-was-1", {}, NOW - 500 * DAY),
    { fields: { password: "fresh-Meadow-4-copper-kettle" } },
    NOW - 10 * DAY,
  );
  const note = createItem({ type: "secure-note", title: "Note", notes: "no password" });
  const trashed = { ...login("Trashed", "password1"), trashedAt: NOW };
  const r = await healthReport([a, b, c, d, e, note, trashed], { keys, cache: new HealthCache(), now: NOW });
  assert.equal(r.passwords, 5);
  assert.deepEqual(
    r.weak.map((x) => x.title),
    ["A weak"],
  );
  assert.ok(r.weak[0]!.strength < 3);
  assert.deepEqual(
    r.reused.map((g) => g.map((x) => x.title)),
    [["B reused", "C reused too"]],
  );
  assert.deepEqual(
    r.old.map((x) => x.title),
    ["D old"],
  );
  assert.deepEqual(
    r.insecureUrls.map((x) => [x.title, x.url]),
    [["B reused", "http://router.example"]],
  );
  assert.deepEqual(
    r.missingTotp.map((x) => [x.title, x.domain]),
    [["C reused too", "google.com"]],
  );
  assert.deepEqual(r.breached, []);
  assert.deepEqual(r.breachCheck, { status: "off" });
  assert.equal(r.score, 20, "one of five passwords has no finding");
  assert.ok(!JSON.stringify(r).includes(STRONG), "the report holds no password");
});

test("breach check: k-anonymity, padding ignored, counts named, cached encrypted", async () => {
  const keys = await keysP;
  const items = [login("Weak", "password1"), login("Seen", STRONG2), login("Clean", STRONG)];
  const cache = new HealthCache();
  const fetch = createHttpsFetch(range.caPem);
  const endpoint = parseEndpoint(range.url)!;
  range.requests.length = 0;
  const r = await healthReport(items, { keys, cache, now: NOW, breaches: { fetch, endpoint } });
  assert.deepEqual(r.breachCheck, { status: "done", asked: 3, fromCache: 0 });
  assert.deepEqual(
    r.breached.map((x) => [x.title, x.count]),
    [
      ["Weak", 2_400_000],
      ["Seen", 3],
    ],
  );
  // only 5-hex prefixes left, each with the padding header
  const want = new Set(["password1", STRONG2, STRONG].map((p) => `/range/${pwnedHash(p).slice(0, 5)}`));
  assert.deepEqual(new Set(range.requests.map((q) => q.path)), want);
  for (const q of range.requests) assert.equal(q.padding, "true");

  // a second run within a week asks nothing; the sealed cache opens and still names the counts
  const sealed = await cache.seal(keys);
  assert.ok(!new TextDecoder().decode(sealed).includes("2400000"));
  const reopened = await HealthCache.open(keys, sealed);
  range.requests.length = 0;
  const again = await healthReport(items, { keys, cache: reopened, now: NOW + DAY, breaches: { fetch, endpoint } });
  assert.equal(range.requests.length, 0);
  assert.deepEqual(again.breachCheck, { status: "done", asked: 0, fromCache: 3 });
  assert.deepEqual(
    again.breached.map((x) => x.count),
    [2_400_000, 3],
  );
  // the cache is keyed by fingerprint, not by password
  assert.ok(reopened.get(await passwordFingerprint(keys, "password1")));
});

test("breach check failures are reported, not thrown", async () => {
  const keys = await keysP;
  const items = [login("Weak", "password1")];
  const fetch = createHttpsFetch(range.caPem);
  const bad = await healthReport(items, { keys, cache: new HealthCache(), now: NOW, breaches: { fetch, endpoint: `${range.url}/nope` } });
  assert.equal(bad.breachCheck.status, "failed");
  assert.match((bad.breachCheck as { message: string }).message, /HTTP 400/);
  const down = await healthReport(items, {
    keys,
    cache: new HealthCache(),
    now: NOW,
    breaches: { fetch, endpoint: "https://127.0.0.1:9" },
  });
  assert.match((down.breachCheck as { message: string }).message, /could not be reached/);
});

test("parseRangeBody: padding lines dropped, hostile answers refused", () => {
  const ok = parseRangeBody(
    "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0\r\n011053FD0102E94D6AE2F8B83D76FAF94F6:13\r\n",
  );
  assert.deepEqual(ok, {
    ok: true,
    counts: new Map([
      ["0018A45C4D1DEF81644B54AB7F969B88D65", 1],
      ["011053FD0102E94D6AE2F8B83D76FAF94F6", 13],
    ]),
  });
  assert.equal(parseRangeBody("<html>blocked</html>").ok, false);
  assert.equal(parseRangeBody("0018A45C4D1DEF81644B54AB7F969B88D65:-1").ok, false);
});

test("parseEndpoint: https only", () => {
  assert.equal(parseEndpoint("https://api.pwnedpasswords.com/"), "https://api.pwnedpasswords.com");
  assert.equal(parseEndpoint("https://mirror.example/pwned/"), "https://mirror.example/pwned");
  assert.equal(parseEndpoint("http://127.0.0.1:8080"), undefined);
  assert.equal(parseEndpoint("http://mirror.example"), undefined);
  assert.equal(parseEndpoint("https://x.example/?a=1"), undefined);
  assert.equal(parseEndpoint("not a url"), undefined);
});

test("pwnedHash is the upper-case SHA-1 the API names", () => {
  assert.equal(pwnedHash("password"), "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8");
});
