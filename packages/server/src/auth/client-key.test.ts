// Client keys: IPv4 as is (also mapped into IPv6), IPv6 grouped by /64; loopback detection.
import assert from "node:assert/strict";
import { test } from "node:test";
import { clientKey, isLoopback } from "./client-key.ts";

test("IPv4 addresses are keys as they are, also when mapped into IPv6", () => {
  assert.equal(clientKey("203.0.113.7"), "203.0.113.7");
  assert.equal(clientKey("::ffff:203.0.113.7"), "203.0.113.7");
  assert.equal(clientKey("::FFFF:127.0.0.2"), "127.0.0.2");
  assert.notEqual(clientKey("::ffff:127.0.0.1"), clientKey("::ffff:127.0.0.2"));
});

test("IPv6 addresses are grouped by their /64", () => {
  const a = clientKey("2001:db8:1:2::1");
  assert.equal(a, "2001:db8:1:2::/64");
  assert.equal(clientKey("2001:0db8:0001:0002:ffff:eeee:dddd:cccc"), a);
  assert.equal(clientKey("2001:DB8:1:2:0:0:0:99"), a);
  assert.notEqual(clientKey("2001:db8:1:3::1"), a);
  assert.equal(clientKey("::1"), "0:0:0:0::/64");
  assert.equal(clientKey("fe80::1%eth0"), "fe80:0:0:0::/64");
  assert.equal(clientKey("64:ff9b::192.0.2.33"), "64:ff9b:0:0::/64");
});

test("anything else is kept, bounded", () => {
  assert.equal(clientKey("unknown"), "unknown");
  assert.equal(clientKey("x".repeat(500)).length, 64);
});

test("loopback: 127.0.0.0/8 and ::1, nothing else", () => {
  for (const a of ["127.0.0.1", "127.9.8.7", "::ffff:127.0.0.1", "::1", "0:0:0:0:0:0:0:1"]) assert.equal(isLoopback(a), true, a);
  for (const a of ["10.0.0.1", "192.168.1.1", "::ffff:10.0.0.1", "::2", "fe80::1", "2001:db8::1", "unknown", "128.0.0.1"])
    assert.equal(isLoopback(a), false, a);
});
