// The parallel Argon2id backend of the account worker (issue 17): the block matrix in a shared WebAssembly.Memory,
// one lane worker per lane up to navigator.hardwareConcurrency (lanes multiplexed when fewer), meeting at each
// slice boundary. Shared memory needs a cross-origin isolated page (COOP + COEP, packages/server's static
// headers); elsewhere `laneBackendIfIsolated` returns undefined and core's single-threaded WebAssembly stays.
import type { LaneAnswer, LaneJob } from "./argon2-lane.worker.ts";
import { type Argon2Input, finalTag, kernelModule, layoutOf, memoryFor, writeFirstBlocks } from "./argon2-lanes.ts";
import { KERNEL_WASM_BASE64 } from "./kernel-wasm.ts";
import { LaneBarrier } from "./lane-barrier.ts";

export class LaneWorkerError extends Error {}

/** Whether this context can share memory with workers and run the kernel (SIMD and threads). */
export function canRunLanes(): boolean {
  if (!(globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function" && typeof Worker === "function")) return false;
  try {
    return WebAssembly.validate(Uint8Array.from(atob(KERNEL_WASM_BASE64), (ch) => ch.charCodeAt(0)));
  } catch {
    return false;
  }
}

function run(worker: Worker, job: LaneJob): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (ev: MessageEvent<LaneAnswer>) => {
      if (ev.data.ok) resolve();
      else reject(new LaneWorkerError(ev.data.message));
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      new LaneBarrier(job.memory.buffer, job.layout.barrier, job.layout.workers).abort(); // release the others
      reject(new LaneWorkerError("a key derivation lane worker failed to start"));
    };
    worker.postMessage(job);
  });
}

/**
 * How long one computation may take on the lane workers before it counts as failed. A run takes well under a
 * second here even under heavy load; a lane worker that never starts (or a browser that stops scheduling it)
 * would otherwise leave the others waiting at a barrier for ever, and the user's sign-in with them.
 */
export const LANE_TIMEOUT_MS = 20_000;

/** bytes of Argon2id memory zeroed per task after a run */
const WIPE_SLICE = 4 * 1024 * 1024;

/** `spawn` makes one lane worker (kept for the next computation); `maxWorkers` caps how many run at once. */
export function createLaneBackend(
  spawn: () => Worker,
  maxWorkers: number,
  timeoutMs = LANE_TIMEOUT_MS,
): (input: Argon2Input) => Promise<Uint8Array> {
  const pool: Worker[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  /** once a computation failed, the lanes are not trusted again: calls queued behind it fail at once */
  let failed = false;
  let wiped: Promise<void> = Promise.resolve();

  async function compute(input: Argon2Input): Promise<Uint8Array> {
    if (failed) throw new LaneWorkerError("the key derivation lane workers failed earlier");
    const workers = Math.max(1, Math.min(input.params.p, maxWorkers));
    const layout = layoutOf(input.params, workers);
    const memory = memoryFor(layout);
    const bytes = new Uint8Array(memory.buffer);
    try {
      writeFirstBlocks(bytes, input, layout);
      const module = await kernelModule();
      while (pool.length < workers) pool.push(spawn());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          new LaneBarrier(memory.buffer, layout.barrier, layout.workers).abort(); // wake any worker waiting
          reject(new LaneWorkerError("the key derivation lane workers did not finish in time"));
        }, timeoutMs);
      });
      try {
        await Promise.race([Promise.all(pool.slice(0, workers).map((w, worker) => run(w, { module, memory, layout, worker }))), timedOut]);
      } finally {
        clearTimeout(timer);
      }
      return finalTag(bytes, layout, input.length);
    } catch (e) {
      failed = true;
      for (const w of pool.splice(0)) w.terminate(); // a failed pool is not reused
      throw e;
    } finally {
      // the blocks are derived from the password: zeroed right after the tag is out (the next run waits for it),
      // a slice per task, so that what the tag unlocks (the vault's open) is not held behind a 64 MiB fill
      wiped = new Promise((done) => {
        const step = (at: number) => {
          bytes.fill(0, at, at + WIPE_SLICE);
          if (at + WIPE_SLICE < bytes.length) setTimeout(step, 0, at + WIPE_SLICE);
          else done();
        };
        setTimeout(step, 0, 0);
      });
    }
  }

  // one computation at a time: they share the pool, and two at once would only halve each other's speed
  return (input) => {
    const next = queue.then(() => compute(input));
    queue = next.catch(() => undefined).then(() => wiped);
    return next;
  };
}

/** One lane worker, bundled by Vite. */
export const spawnLaneWorker = (): Worker =>
  new Worker(new URL("./argon2-lane.worker.ts", import.meta.url), { type: "module", name: "argon2-lane" });

/** The lane backend, one worker per core at most, or undefined where memory cannot be shared. */
export function laneBackendIfIsolated(): ((input: Argon2Input) => Promise<Uint8Array>) | undefined {
  if (!canRunLanes()) return undefined;
  return createLaneBackend(spawnLaneWorker, Math.max(1, navigator.hardwareConcurrency || 1));
}
