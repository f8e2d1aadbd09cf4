// One lane worker: fills lanes slice by slice, meeting the other workers at every slice boundary (a slice may
// reference the finished slices of every lane). It sees only the shared block memory;
// the password, H0 and the tag stay with the account worker.
import { fillSegment, kernelOf, type Layout } from "./argon2-lanes.ts";
import { LaneBarrier } from "./lane-barrier.ts";

export interface LaneJob {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly layout: Layout;
  readonly worker: number;
}
export type LaneAnswer = { readonly ok: true } | { readonly ok: false; readonly message: string };

self.onmessage = (ev: MessageEvent<LaneJob>) => {
  const { module, memory, layout, worker } = ev.data;
  const barrier = new LaneBarrier(memory.buffer, layout.barrier, layout.workers);
  let answer: LaneAnswer = { ok: true };
  try {
    const kernel = kernelOf(module, memory);
    // Each worker takes the next untaken lane of the slice (lanes are multiplexed when there are fewer workers
    // than lanes); a worker held up by other work on the device leaves more lanes to the others.
    const claims = new Int32Array(memory.buffer, layout.claims, 4 * layout.passes);
    for (let pass = 0; pass < layout.passes; pass++) {
      for (let slice = 0; slice < 4; slice++) {
        for (let lane = Atomics.add(claims, pass * 4 + slice, 1); lane < layout.lanes; lane = Atomics.add(claims, pass * 4 + slice, 1)) {
          fillSegment(kernel, layout, pass, slice, lane, worker);
        }
        if (pass < layout.passes - 1 || slice < 3) barrier.arrive();
      }
    }
  } catch (e) {
    barrier.abort();
    answer = { ok: false, message: e instanceof Error ? e.message : "lane worker failed" };
  }
  (self as unknown as Worker).postMessage(answer);
};
