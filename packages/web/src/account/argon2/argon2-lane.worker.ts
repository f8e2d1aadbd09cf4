// One lane worker: fills its share of the lanes, slice by slice, meeting the other workers at every slice
// boundary (a slice may reference the finished slices of every lane). It sees only the shared block memory;
// the password, H0 and the tag stay with the account worker.
import { fillSlice, kernelOf, type Layout } from "./argon2-lanes.ts";
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
    // lanes are multiplexed when there are fewer workers than lanes
    const lanes: number[] = [];
    for (let lane = worker; lane < layout.lanes; lane += layout.workers) lanes.push(lane);
    for (let pass = 0; pass < layout.passes; pass++) {
      for (let slice = 0; slice < 4; slice++) {
        fillSlice(kernel, layout, pass, slice, lanes, worker);
        if (pass < layout.passes - 1 || slice < 3) barrier.arrive();
      }
    }
  } catch (e) {
    barrier.abort();
    answer = { ok: false, message: e instanceof Error ? e.message : "lane worker failed" };
  }
  (self as unknown as Worker).postMessage(answer);
};
