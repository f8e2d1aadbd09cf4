// The lane workers' barrier across real threads (node:worker_threads share memory as browser workers do): no
// party passes a round before all arrived, and an abort wakes a party that would otherwise wait forever.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { LaneAbort, LaneBarrier } from "./lane-barrier.ts";

const BARRIER_URL = new URL("./lane-barrier.ts", import.meta.url).href;

/** A thread that runs `body(barrier, slots)` with the barrier at offset 0 and four i32 slots after it. */
function peer(shared: SharedArrayBuffer, body: string): Worker {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    import(${JSON.stringify(BARRIER_URL)}).then(({ LaneBarrier }) => {
      const barrier = new LaneBarrier(workerData, 0, 2);
      const slots = new Int32Array(workerData, 12, 4);
      try { ${body}; parentPort.postMessage("done"); }
      catch (e) { parentPort.postMessage(e.constructor.name); }
    });`;
  return new Worker(code, { eval: true, workerData: shared });
}

const answer = (w: Worker) => new Promise<string>((resolve, reject) => w.once("message", resolve).once("error", reject));

test("two threads: nobody starts round k+1 before the other finished round k", { timeout: 10_000 }, async () => {
  const shared = new SharedArrayBuffer(28);
  const slots = new Int32Array(shared, 12, 4);
  const w = peer(
    shared,
    "for (let k = 1; k <= 5; k++) { Atomics.store(slots, 1, k); barrier.arrive(); if (Atomics.load(slots, 0) < k) throw new RangeError(); }",
  );
  const done = answer(w);
  const barrier = new LaneBarrier(shared, 0, 2);
  for (let k = 1; k <= 5; k++) {
    Atomics.store(slots, 0, k);
    barrier.arrive();
    assert.ok(Atomics.load(slots, 1) >= k, `round ${k}`);
  }
  assert.equal(await done, "done");
  await w.terminate();
});

test("an abort wakes a waiting thread with LaneAbort, and later arrivals fail at once", { timeout: 10_000 }, async () => {
  const shared = new SharedArrayBuffer(28);
  const w = peer(shared, "barrier.arrive()");
  const done = answer(w);
  await new Promise((r) => setTimeout(r, 100)); // the peer is waiting for a second party that never comes
  const barrier = new LaneBarrier(shared, 0, 2);
  barrier.abort();
  assert.equal(await done, "LaneAbort");
  assert.throws(() => barrier.arrive(), LaneAbort);
  await w.terminate();
});
