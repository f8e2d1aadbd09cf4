// Property (fast-check): three devices behind a hostile sync client (delays, duplicates, cut files, stubs,
// EBUSY) add items with attachments, edit them, remove attachments, delete items, sync, compact and restart in
// random interleavings, and after every sync each device removes the blobs it owns as attachments/blob-collect.ts
// allows. Never is a blob removed while any device's view still records its attachment (a device that had not
// seen the removal, or an edit that beat a delete); once the client has delivered everything and every device has
// synced a few times, no device still holds a blob that nothing records.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { newAttachment } from "../../attachments/attachment.ts";
import { type Frontier, planCollection } from "../../attachments/blob-collect.ts";
import { freshAccountKeys } from "../../formats/test-keys.ts";
import { newUuid } from "../../keys/ids.ts";
import { addAttachment, createItem, editItem, removeAttachment } from "../../vault/item.ts";
import { HostileBlobStore, SharedFolder, seededRandom } from "./hostile-blob-store.ts";
import { LogReplica, type LogReport } from "./log-replica.ts";

type Command =
  | { kind: "add" | "sync" | "compact" | "restart"; d: number }
  | { kind: "edit" | "detach" | "remove" | "attach"; d: number; pick: number };

const device = fc.integer({ min: 0, max: 2 });
const pick = fc.nat(5);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("add" as const), d: device }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("attach" as const), d: device, pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("edit" as const), d: device, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("detach" as const), d: device, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), d: device, pick }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("sync" as const), d: device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), d: device }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("restart" as const), d: device }) },
);

const RUNS = Number(process.env.FUZZ_LOG_RUNS ?? 60);
const recorded = (r: LogReplica) => new Set([...r.items().values()].flatMap((i) => (i.attachments ?? []).map((a) => a.id)));

test("no blob is removed while any device still records it, and every unrecorded blob goes in the end", async (t) => {
  const keys = await freshAccountKeys();
  let removedSome = 0;
  let keptForAnother = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 50 }), fc.integer(), async (commands, seed) => {
      const folder = new SharedFolder();
      const random = seededRandom(seed);
      const faults = { delay: 0.3, maxLag: 4, duplicate: 0.15, truncate: 0.15, stub: 0.1, busy: 0.1 };
      const views = [0, 1, 2].map(() => new HostileBlobStore(folder, faults, random));
      const opts = { graceMs: 5, now: () => folder.clock };
      const replicas = [0, 1, 2].map(() => new LogReplica(keys, newUuid(), opts));
      /** per device: the blobs it published and still holds, and what it waits on (kept across restarts, as the CLI's file) */
      const owned = [0, 1, 2].map(() => new Set<string>());
      const waiting = [0, 1, 2].map(() => new Map<string, Frontier>());

      const syncAndCollect = async (d: number, settle = false) => {
        views[d]!.deliver(settle ? { settle: true } : {});
        const report: LogReport = await replicas[d]!.sync(views[d]!, { acknowledge: true });
        const r = replicas[d]!;
        const plan = planCollection({
          owned: [...owned[d]!],
          referenced: recorded(r),
          waiting: waiting[d]!,
          frontier: r.frontier(),
          devices: r.devices(),
          acks: r.acknowledgements(),
          clean: report.unavailable.length + report.missing.length + report.rollbacks.length + report.quarantined.length === 0,
        });
        waiting[d] = plan.waiting;
        for (const id of plan.remove) {
          owned[d]!.delete(id);
          removedSome++;
          // the safety property: no device, whatever it has or has not read, still records it
          for (const [e, other] of replicas.entries())
            assert.ok(!recorded(other).has(id), `device ${d} removed a blob device ${e} still records`);
        }
        for (const id of waiting[d]!.keys()) if (replicas.some((other, e) => e !== d && recorded(other).has(id))) keptForAnother++;
      };

      for (const c of commands) {
        folder.clock++;
        const r = replicas[c.d]!;
        const shown = [...r.items().values()];
        const it = "pick" in c ? shown[c.pick % Math.max(1, shown.length)] : undefined;
        switch (c.kind) {
          case "add":
          case "attach": {
            const a = newAttachment(`f${folder.clock}-${c.d}.bin`, 1, "");
            const base = c.kind === "add" ? createItem({ type: "secure-note", title: "t" }) : it;
            if (!base || (base.attachments ?? []).length >= 3) break;
            // the blob is published before the item, as the CLI does
            owned[c.d]!.add(a.id);
            await r.save(addAttachment(base, a));
            break;
          }
          case "edit":
            if (it) await r.save(editItem(it, { notes: `n${folder.clock}` }));
            break;
          case "detach": {
            const a = it?.attachments?.[0];
            if (it && a) await r.save(removeAttachment(it, a.id));
            break;
          }
          case "remove":
            if (it) await r.remove(it.id);
            break;
          case "sync":
            await syncAndCollect(c.d);
            break;
          case "compact":
            views[c.d]!.deliver();
            await r.compact(views[c.d]!);
            break;
          case "restart":
            replicas[c.d] = await LogReplica.restore(keys, r.exportState(), opts);
            break;
        }
      }
      for (let round = 0; round < 4; round++) for (const d of [0, 1, 2]) await syncAndCollect(d, true);
      for (const d of [0, 1, 2]) {
        const all = new Set(replicas.flatMap((r) => [...recorded(r)]));
        for (const id of owned[d]!) assert.ok(all.has(id), `device ${d} still holds a blob nothing records`);
      }
    }),
    { numRuns: RUNS },
  );
  t.diagnostic(`${removedSome} blobs removed, ${keptForAnother} waits for a device that still recorded one`);
  // worth its name only if blobs go, and if some had to wait for a device that still recorded them
  assert.ok(removedSome > RUNS / 2, `only ${removedSome} blobs removed in ${RUNS} runs`);
  assert.ok(keptForAnother > 0, "no run kept a blob for a device that still recorded it");
});
