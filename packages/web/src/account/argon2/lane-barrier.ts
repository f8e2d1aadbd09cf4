// A barrier for the lane workers over three i32 of the shared memory: count, generation, abort. The last worker
// to arrive starts the next generation and wakes the others; a worker that fails sets abort and wakes everyone,
// so no worker waits forever for one that will not come.
export class LaneAbort extends Error {}

export class LaneBarrier {
  private readonly words: Int32Array;
  private readonly parties: number;

  constructor(buffer: ArrayBufferLike, offset: number, parties: number) {
    this.words = new Int32Array(buffer, offset, 3);
    this.parties = parties;
  }

  /** Blocks until all parties arrived (Atomics.wait: only in workers). */
  arrive(): void {
    const w = this.words;
    const gen = Atomics.load(w, 1);
    if (Atomics.load(w, 2)) throw new LaneAbort("another lane worker failed");
    if (Atomics.add(w, 0, 1) === this.parties - 1) {
      Atomics.store(w, 0, 0);
      Atomics.add(w, 1, 1);
      Atomics.notify(w, 1);
      return;
    }
    while (Atomics.load(w, 1) === gen) Atomics.wait(w, 1, gen);
    if (Atomics.load(w, 2)) throw new LaneAbort("another lane worker failed");
  }

  abort(): void {
    Atomics.store(this.words, 2, 1);
    Atomics.add(this.words, 1, 1);
    Atomics.notify(this.words, 1);
  }
}
