// Property (fast-check): three devices of one account share a folder through a hostile sync client
// (delays, conflict-copy duplicates, cut files, iCloud stubs, EBUSY, foreign files) and issue random
// adds, edits, deletes, syncs, compactions and restarts from saved state in random interleavings. Once the client has delivered
// everything and each device has synced twice: all devices show the same vault, nothing is quarantined
// or reported rolled back, and every value a device saved that no device later replaced or deleted
// *while seeing it* survives, in its item or in a conflict copy.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { freshAccountKeys } from "../../formats/test-keys.ts";
import { newUuid } from "../../keys/ids.ts";
import { createItem, editItem } from "../../vault/item.ts";
import { HostileBlobStore, SharedFolder, seededRandom } from "./hostile-blob-store.ts";
import { LogReplica } from "./log-replica.ts";

type Command = { kind: "add" | "sync" | "compact" | "restart"; d: number } | { kind: "edit" | "remove"; d: number; pick: number };

const device = fc.integer({ min: 0, max: 2 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("add" as const), d: device }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("edit" as const), d: device, pick: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), d: device, pick: fc.nat(5) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("sync" as const), d: device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), d: device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("restart" as const), d: device }) },
);

const RUNS = Number(process.env.FUZZ_LOG_RUNS ?? 40);

test("three devices behind a hostile sync client converge and lose nothing", async () => {
  const keys = await freshAccountKeys();
  let withCopies = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 8, maxLength: 40 }), fc.integer(), async (commands, seed) => {
      const folder = new SharedFolder();
      const random = seededRandom(seed);
      const faults = { delay: 0.3, maxLag: 4, duplicate: 0.15, truncate: 0.15, stub: 0.1, busy: 0.1 };
      const views = [0, 1, 2].map(() => new HostileBlobStore(folder, faults, random));
      // one command is one tick; the grace period just outlasts the sync client's worst lag, so
      // compaction removes files as early as the rules allow
      const opts = { graceMs: 5, now: () => folder.clock };
      const replicas = [0, 1, 2].map(() => new LogReplica(keys, newUuid(), opts));
      const saved = new Set<string>();
      const replaced = new Set<string>();
      let n = 0;
      // a shared start, so concurrent edits of one item (the interesting case) are common
      for (let i = 0; i < 3; i++) {
        const value = `v${n++}`;
        await replicas[0]!.save(createItem({ type: "secure-note", title: value, notes: value }));
        saved.add(value);
      }
      for (const [i, r] of replicas.entries()) {
        views[i]!.deliver({ settle: true });
        await r.sync(views[i]!);
      }
      for (const c of commands) {
        folder.clock++;
        const r = replicas[c.d]!;
        const shown = [...r.items().values()];
        switch (c.kind) {
          case "add": {
            const value = `v${n++}`;
            await r.save(createItem({ type: "secure-note", title: value, notes: value }));
            saved.add(value);
            break;
          }
          case "edit":
          case "remove": {
            const it = shown[c.pick % Math.max(1, shown.length)];
            if (!it) break;
            replaced.add(it.notes);
            if (c.kind === "remove") await r.remove(it.id);
            else {
              const value = `v${n++}`;
              await r.save(editItem(it, { notes: value }));
              saved.add(value);
            }
            break;
          }
          case "sync": {
            views[c.d]!.deliver();
            const report = await r.sync(views[c.d]!);
            assert.deepEqual(report.quarantined, [], "nothing is quarantined for being in transit");
            assert.deepEqual(report.rollbacks, [], "a slow sync client is not a rollback");
            break;
          }
          case "restart":
            // the device stops and starts again from its saved state
            replicas[c.d] = await LogReplica.restore(keys, r.exportState(), opts);
            break;
          case "compact":
            views[c.d]!.deliver();
            await r.compact(views[c.d]!);
            break;
        }
      }
      for (let round = 0; round < 2; round++)
        for (const [i, r] of replicas.entries()) {
          views[i]!.deliver({ settle: true });
          const report = await r.sync(views[i]!);
          assert.deepEqual([report.quarantined, report.rollbacks], [[], []]);
          if (round === 1) assert.deepEqual([report.unavailable, report.missing], [[], []]);
        }
      const canon = (r: LogReplica) => JSON.stringify([...r.items()].sort(([a], [b]) => (a < b ? -1 : 1)));
      assert.equal(canon(replicas[1]!), canon(replicas[0]!), "devices 0 and 1 converge");
      assert.equal(canon(replicas[2]!), canon(replicas[0]!), "devices 0 and 2 converge");
      if (replicas[0]!.items().size > 0 && [...replicas[0]!.items().values()].some((i) => i.conflictOf)) withCopies++;
      const values = new Set([...replicas[0]!.items().values()].map((i) => i.notes));
      for (const v of saved) if (!replaced.has(v)) assert.ok(values.has(v), `saved value ${v} survives`);
    }),
    { numRuns: RUNS },
  );
  // the property is only worth its name if conflicts happen: most runs end with a conflict copy
  assert.ok(withCopies > RUNS / 4, `only ${withCopies} of ${RUNS} runs made a conflict`);
});
