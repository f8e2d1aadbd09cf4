// The relay's state machine with a fake clock (a port, not our code): expiry, one claim, write-once ordered
// slots, message and channel bounds, and a sweep that gives the memory back.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PairEvent } from "../store/store.ts";
import { PAIR_MAX_MESSAGES, PAIR_TTL_MS, PairRelay } from "./relay.ts";

function loopback(maxChannels?: number) {
  const clock = { now: 1_000_000 };
  let relay: PairRelay;
  const publish = async (e: PairEvent) => relay.apply(JSON.parse(JSON.stringify(e)) as PairEvent);
  relay = new PairRelay(publish, () => clock.now, maxChannels);
  return { relay, clock };
}
const ch = (i: number) => `channel-${String(i).padStart(14, "0")}`;

test("open, one claim, ordered write-once messages, then expiry", async (t) => {
  const { relay, clock } = loopback();
  t.after(() => relay.close());
  assert.equal(await relay.open(ch(1)), "ok");
  assert.equal(await relay.open(ch(1)), "exists");
  assert.equal(await relay.put(ch(1), "a", 0, "AA"), "not_claimed");
  assert.equal(await relay.claim(ch(2)), "unknown");
  assert.equal(await relay.claim(ch(1)), "ok");
  assert.equal(await relay.claim(ch(1)), "claimed");
  assert.equal(await relay.put(ch(1), "b", 1, "BB"), "conflict");
  assert.equal(await relay.put(ch(1), "b", 0, "BB"), "ok");
  assert.equal(await relay.put(ch(1), "b", 0, "CC"), "conflict");
  assert.equal(await relay.get(ch(1), "b", 0, 0, AbortSignal.timeout(1000)), "BB");
  assert.equal(await relay.get(ch(1), "a", 0, 0, AbortSignal.timeout(1000)), undefined);
  clock.now += PAIR_TTL_MS;
  assert.equal(await relay.get(ch(1), "b", 0, 0, AbortSignal.timeout(1000)), "unknown");
  assert.equal(await relay.claim(ch(1)), "unknown");
  assert.equal(relay.size, 0);
});

test("a long-poll wakes on the message; at most a few messages per channel", async (t) => {
  const { relay } = loopback();
  t.after(() => relay.close());
  await relay.open(ch(3));
  await relay.claim(ch(3));
  const waiting = relay.get(ch(3), "a", 0, 10_000, AbortSignal.timeout(20_000));
  await relay.put(ch(3), "a", 0, "hello");
  assert.equal(await waiting, "hello");
  for (let i = 1; i < 4; i++) assert.equal(await relay.put(ch(3), "a", i, "x"), "ok");
  assert.equal(await relay.put(ch(3), "a", 4, "x"), "full");
  for (let i = 0; i < 4; i++) assert.equal(await relay.put(ch(3), "b", i, "x"), "ok");
  assert.equal(PAIR_MAX_MESSAGES, 8);
});

test("a flood of channels stops at the bound, and expired ones are swept away", async (t) => {
  const { relay, clock } = loopback(50);
  t.after(() => relay.close());
  for (let i = 0; i < 50; i++) assert.equal(await relay.open(ch(100 + i)), "ok");
  assert.equal(await relay.open(ch(999)), "full");
  assert.equal(relay.size, 50);
  clock.now += PAIR_TTL_MS + 1;
  assert.equal(await relay.open(ch(999)), "ok"); // a full relay sweeps before refusing
  assert.equal(relay.size, 1);
  clock.now += PAIR_TTL_MS + 1;
  relay.sweep();
  assert.equal(relay.size, 0);
});
