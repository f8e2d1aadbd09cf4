// The lane backend gives up on lane workers that never answer (a worker that does not start, or a browser that
// stops scheduling it): the computation fails within its time limit instead of waiting at a barrier for ever,
// and the calls queued behind it fail at once, so the account worker computes them on one thread instead.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLaneBackend, LaneWorkerError } from "./lane-backend.ts";

/** A stand-in for a browser Worker (not our code) that takes the job and never answers. */
function silentWorker(): Worker {
  const terminated = { value: false };
  return {
    postMessage() {},
    terminate() {
      terminated.value = true;
    },
    onmessage: null,
    onerror: null,
  } as unknown as Worker;
}

const input = { password: new Uint8Array(8), salt: new Uint8Array(16), params: { m: 64, t: 1, p: 2 }, length: 32 };

test("lane workers that never answer: the computation fails within its limit, and queued calls fail at once", {
  timeout: 10_000,
}, async () => {
  const spawned: Worker[] = [];
  const lanes = createLaneBackend(
    () => {
      const w = silentWorker();
      spawned.push(w);
      return w;
    },
    2,
    200,
  );
  const t0 = performance.now();
  const first = lanes(input);
  const queued = lanes(input);
  await assert.rejects(first, LaneWorkerError);
  assert.ok(performance.now() - t0 < 5_000, "gave up near its limit");
  const t1 = performance.now();
  await assert.rejects(queued, LaneWorkerError);
  assert.ok(performance.now() - t1 < 1_000, "a queued call does not wait for another limit");
  assert.equal(spawned.length, 2, "no new workers for the queued call");
});
