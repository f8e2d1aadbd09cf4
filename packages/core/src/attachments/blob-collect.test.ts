import assert from "node:assert/strict";
import { test } from "node:test";
import { acknowledgedByAll, type CollectInput, planCollection } from "./blob-collect.ts";

const ME = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const C = "00000000-0000-4000-8000-00000000000c";
const X = "11111111-1111-4111-8111-111111111111";

const base = (over: Partial<CollectInput> = {}): CollectInput => ({
  owned: [X],
  referenced: new Set(),
  waiting: new Map(),
  frontier: new Map([
    [ME, 5],
    [B, 3],
  ]),
  devices: [B],
  acks: new Map([[B, new Map([[ME, 5]])]]),
  clean: true,
  ...over,
});

test("a blob found unreferenced waits one sync, then goes once every device acknowledged what this one had seen", () => {
  const first = planCollection(base());
  assert.deepEqual(first.remove, [], "never on the sync that first finds it unreferenced");
  assert.deepEqual(
    [...first.waiting.get(X)!],
    [
      [ME, 5],
      [B, 3],
    ],
  );
  // B has read this device up to 5 (its own seqs need no acknowledgement): the blob goes
  const second = planCollection(base({ waiting: first.waiting, frontier: new Map([[ME, 6]]) }));
  assert.deepEqual(second.remove, [X]);
  assert.equal(second.waiting.size, 0);
});

test("a device that has not read the removal keeps the blob, and so does one never heard from", () => {
  const waiting = new Map([[X, new Map([[ME, 5]])]]);
  const behind = planCollection(base({ waiting, acks: new Map([[B, new Map([[ME, 4]])]]) }));
  assert.deepEqual(behind.remove, []);
  assert.ok(behind.waiting.has(X), "still waiting, with the frontier it was found at");
  assert.deepEqual([...behind.waiting.get(X)!], [[ME, 5]]);
  const silent = planCollection(base({ waiting, devices: [B, C] }));
  assert.deepEqual(silent.remove, [], "C's manifest acknowledges nothing");
  assert.equal(
    acknowledgedByAll(
      new Map([[ME, 5]]),
      [B, C],
      new Map([
        [C, new Map([[ME, 9]])],
        [B, new Map([[ME, 5]])],
      ]),
    ),
    true,
  );
  assert.equal(acknowledgedByAll(new Map([[B, 2]]), [B, C], new Map([[C, new Map([[ME, 9]])]])), false, "C never read B");
});

test("a record that comes back (an edit beat the delete) cancels the removal", () => {
  const waiting = new Map([[X, new Map([[ME, 5]])]]);
  const back = planCollection(base({ waiting, referenced: new Set([X]) }));
  assert.deepEqual(back.remove, []);
  assert.equal(back.waiting.size, 0);
});

test("a sync with files missing or in transit removes nothing and starts nothing, but forgets nothing", () => {
  assert.equal(planCollection(base({ clean: false })).waiting.size, 0);
  const waiting = new Map([[X, new Map([[ME, 5]])]]);
  const held = planCollection(base({ waiting, clean: false }));
  assert.deepEqual(held.remove, []);
  assert.ok(held.waiting.has(X));
  // a blob this device no longer holds is forgotten
  assert.equal(planCollection(base({ waiting, owned: [] })).waiting.size, 0);
});
