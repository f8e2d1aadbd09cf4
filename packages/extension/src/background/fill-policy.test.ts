// Table of fill decisions: exact origin, same-site with private suffixes, ports, IDN, downgrade, frames, gesture, visibility.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decideFill, type FillFacts, type MatchMode, siteOf } from "./fill-policy.ts";

const top = (url: string, more: Partial<FillFacts> = {}): FillFacts => ({
  frameUrl: url,
  frameOrigin: new URL(url).origin,
  topUrl: url,
  frameId: 0,
  gesture: true,
  confirmedFrame: false,
  fieldsVisible: true,
  ...more,
});
const frame = (url: string, topUrl: string, more: Partial<FillFacts> = {}): FillFacts => ({
  ...top(url),
  topUrl,
  frameId: 7,
  ...more,
});

const rows: [string, string[], MatchMode, FillFacts, string][] = [
  ["exact origin", ["https://example.com/login"], "origin", top("https://example.com/signin?x=1"), "fill"],
  ["bare saved host means https", ["example.com"], "origin", top("https://example.com/"), "fill"],
  ["host case is ignored", ["https://EXAMPLE.com"], "origin", top("https://example.com/"), "fill"],
  ["look-alike domain", ["https://example.com"], "origin", top("https://examp1e.com/"), "no_match"],
  ["suffix trick", ["https://example.com"], "origin", top("https://example.com.evil.net/"), "no_match"],
  ["homograph (IDN) is not the ASCII name", ["https://apple.com"], "origin", top("https://аpple.com/"), "no_match"],
  ["IDN saved and visited alike", ["https://bücher.de"], "origin", top("https://xn--bcher-kva.de/"), "fill"],
  ["sibling subdomain, exact mode", ["https://accounts.example.com"], "origin", top("https://blog.example.com/"), "no_match"],
  ["subdomain of saved, exact mode", ["https://example.com"], "origin", top("https://www.example.com/"), "no_match"],
  ["sibling subdomain, same-site opt-in", ["https://accounts.example.com"], "site", top("https://blog.example.com/"), "fill"],
  ["same-site under a public suffix", ["https://a.example.co.uk"], "site", top("https://b.example.co.uk/"), "fill"],
  ["different sites under co.uk", ["https://example.co.uk"], "site", top("https://other.co.uk/"), "no_match"],
  ["private suffix github.io separates users", ["https://alice.github.io"], "site", top("https://bob.github.io/"), "no_match"],
  ["same-site keeps the port", ["https://a.example.com:8443"], "site", top("https://b.example.com/"), "no_match"],
  ["port must match", ["https://example.com:8443"], "origin", top("https://example.com/"), "no_match"],
  ["explicit default port is the same origin", ["https://example.com:443"], "origin", top("https://example.com/"), "fill"],
  ["IP needs exact host and port", ["https://10.0.0.1:8443"], "site", top("https://10.0.0.2:8443/"), "no_match"],
  ["IP with port", ["https://10.0.0.1:8443"], "origin", top("https://10.0.0.1:8443/"), "fill"],
  ["localhost other port", ["http://localhost:3000"], "site", top("http://localhost:3001/"), "no_match"],
  ["http downgrade refused", ["https://example.com"], "origin", top("http://example.com/"), "insecure_page"],
  ["http downgrade refused in site mode", ["https://a.example.com"], "site", top("http://b.example.com/"), "insecure_page"],
  ["http login on its https upgrade", ["http://example.com"], "origin", top("https://example.com/"), "fill"],
  ["http login on http page", ["http://intranet.test"], "origin", top("http://intranet.test/"), "fill"],
  [
    "https login on a loopback http page: no match, not a downgrade",
    ["https://localhost:8080"],
    "origin",
    top("http://localhost:8080/"),
    "no_match",
  ],
  ["non-web scheme page", ["https://example.com"], "origin", top("file:///etc/passwd"), "bad_page_url"],
  ["saved URL that is not a web URL", ["javascript:alert(1)", "ftp://example.com"], "origin", top("https://example.com/"), "no_match"],
  ["no gesture", ["https://example.com"], "origin", top("https://example.com/", { gesture: false }), "no_gesture"],
  ["hidden field", ["https://example.com"], "origin", top("https://example.com/", { fieldsVisible: false }), "hidden_field"],
  ["same-origin iframe", ["https://example.com"], "origin", frame("https://example.com/frame", "https://example.com/"), "fill"],
  [
    "cross-origin iframe of another site",
    ["https://example.com"],
    "origin",
    frame("https://evil.net/frame", "https://example.com/"),
    "no_match",
  ],
  [
    "login site embedded by another page, unconfirmed",
    ["https://example.com"],
    "origin",
    frame("https://example.com/frame", "https://evil.net/"),
    "needs_confirmation",
  ],
  [
    "login site embedded, confirmed outside the page",
    ["https://example.com"],
    "origin",
    frame("https://example.com/frame", "https://evil.net/", { confirmedFrame: true }),
    "fill",
  ],
  [
    "sandboxed frame (opaque origin)",
    ["https://example.com"],
    "origin",
    frame("https://example.com/frame", "https://example.com/", { frameOrigin: "null" }),
    "sandboxed_frame",
  ],
  [
    "frame URL and browser origin disagree",
    ["https://example.com"],
    "origin",
    frame("https://example.com/frame", "https://example.com/", { frameOrigin: "https://evil.net" }),
    "sandboxed_frame",
  ],
];

for (const [name, urls, mode, facts, want] of rows) {
  test(`fill policy: ${name}`, () => {
    const d = decideFill(urls, mode, facts);
    assert.equal(d.fill ? "fill" : d.reason, want);
  });
}

test("siteOf uses the private section of the Public Suffix List", () => {
  assert.equal(siteOf("a.b.example.co.uk"), "example.co.uk");
  assert.equal(siteOf("alice.github.io"), "alice.github.io");
  assert.equal(siteOf("127.0.0.1"), undefined);
  assert.equal(siteOf("localhost"), undefined);
});
