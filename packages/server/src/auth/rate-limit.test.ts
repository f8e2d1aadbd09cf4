// Token buckets: refusal per key with a wait, and the never-refusing global reservation with a bounded delay.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RateLimiter } from "./rate-limit.ts";

test("take refuses an empty bucket with the seconds to wait, and refills with time", () => {
  let now = 0;
  const l = new RateLimiter(1, () => now);
  const limit = { burst: 2, perMinute: 6 };
  assert.equal(l.take("a", limit), 0);
  assert.equal(l.take("a", limit), 0);
  assert.equal(l.take("a", limit), 10);
  assert.equal(l.take("b", limit), 0, "another key has its own bucket");
  now += 10_000;
  assert.equal(l.take("a", limit), 0);
});

test("reserve never refuses: past the burst each caller waits its turn, at most the cap", () => {
  let now = 0;
  const l = new RateLimiter(1, () => now);
  const limit = { burst: 2, perMinute: 60 }; // one turn a second
  assert.equal(l.reserve("g", limit, 5000), 0);
  assert.equal(l.reserve("g", limit, 5000), 0);
  assert.equal(l.reserve("g", limit, 5000), 1000);
  assert.equal(l.reserve("g", limit, 5000), 2000);
  const waits = Array.from({ length: 20 }, () => l.reserve("g", limit, 5000));
  assert.ok(waits.every((w) => w <= 5000));
  assert.equal(waits.at(-1), 5000, "a flood is held at the cap, not refused");
  now += 6000; // the debt stopped growing at the cap, so it is paid off after the cap plus a turn
  assert.equal(l.reserve("g", limit, 5000), 0);
});
