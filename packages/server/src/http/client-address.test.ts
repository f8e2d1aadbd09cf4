// Which address a request is counted against: X-Forwarded-For only from a trusted proxy, and then only its
// right-most entry (what the proxy itself added).
import assert from "node:assert/strict";
import { test } from "node:test";
import { clientAddress } from "./client-address.ts";

test("clientAddress: the table of peers, headers and trust settings", () => {
  const cases: [peer: string | undefined, xff: string | undefined, trusted: string[], want: string][] = [
    ["203.0.113.9", "198.51.100.1", [], "203.0.113.9"], // no proxy trusted: the header is ignored
    ["127.0.0.1", "198.51.100.1", [], "127.0.0.1"],
    ["127.0.0.1", "198.51.100.1", ["loopback"], "198.51.100.1"],
    ["::ffff:127.0.0.1", "198.51.100.1", ["loopback"], "198.51.100.1"],
    ["::1", "2001:db8::1", ["loopback"], "2001:db8::1"],
    ["203.0.113.9", "198.51.100.1", ["loopback"], "203.0.113.9"], // a non-loopback peer is not our proxy
    ["127.0.0.5", "1.1.1.1, 198.51.100.1", ["127.0.0.5"], "198.51.100.1"], // right-most: the forged left part is ignored
    ["127.0.0.1", "198.51.100.1", ["127.0.0.5"], "127.0.0.1"], // trusted by address: another loopback peer is not
    [undefined, "198.51.100.1", ["loopback"], "198.51.100.1"], // a Unix socket: only this host can connect
    [undefined, "198.51.100.1", ["127.0.0.5"], "unix"],
    ["127.0.0.1", "not-an-address", ["loopback"], "127.0.0.1"],
    ["127.0.0.1", "", ["loopback"], "127.0.0.1"],
    ["127.0.0.1", undefined, ["loopback"], "127.0.0.1"],
  ];
  for (const [peer, xff, trusted, want] of cases)
    assert.equal(clientAddress(peer, xff, trusted), want, JSON.stringify([peer, xff, trusted]));
});
