// Merge fuzzing (issue 6): three devices — the real core engine over real SQLite files, an honest real server —
// issue random add / edit (password or notes) / trash / restore / purge / sync commands in random
// interleavings (fast-check). After every device syncs twice: all devices hold the same items (same ids, same
// content), nothing is quarantined, and every value a device saved that no device later replaced or deleted
// *while seeing it* survives, in its item (merged or not) or in a conflict copy. Bounded: 25 runs × up to 12 commands.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ItemId } from "@cryptex/core/ids.ts";
import { createItem, editItem, fieldValue, type Item, restoreItem, trashItem } from "@cryptex/core/vault/item.ts";
import fc from "fast-check";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let devices: Device[];

before(async () => {
  world = await startWorld();
  const a = await world.signUpDevice("fuzz-a");
  devices = [a, await world.signInDevice(a, "fuzz-b"), await world.signInDevice(a, "fuzz-c")];
});
after(() => world.stop());

type Command =
  | { kind: "add"; d: number }
  | { kind: "edit" | "note" | "trash" | "restore" | "purge"; d: number; pick: number }
  | { kind: "sync"; d: number }
  | { kind: "sync-both"; d: number; e: number };

const device = fc.integer({ min: 0, max: 2 });
const pick = fc.nat(50);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), d: device }),
  fc.record({
    kind: fc.constantFrom("edit" as const, "note" as const, "trash" as const, "restore" as const, "purge" as const),
    d: device,
    pick,
  }),
  fc.record({ kind: fc.constant("sync" as const), d: device }),
  fc.record({ kind: fc.constant("sync-both" as const), d: device, e: device }),
);

const PW = "password";
/** FUZZ_MERGE_RUNS=500 for a longer hunt by hand; CI runs 25. */
const RUNS = Number(process.env.FUZZ_MERGE_RUNS ?? 25);
let counter = 0;
/** items merged by sync (offline edits of the password and the notes meeting), shown with the result */
let merges = 0;

/** Every live (not purged) item a device holds, decrypted, by id. */
async function itemsOf(d: Device): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  for (const s of await d.store.readAllItems()) if (!s.deleted && s.data) out.set(s.id, await d.vault.get(s.id as ItemId));
  return out;
}

async function pickItem(d: Device, n: number, trashed?: boolean): Promise<Item | undefined> {
  const all = [...(await itemsOf(d)).values()].filter((it) => trashed === undefined || Boolean(it.trashedAt) === trashed);
  all.sort((x, y) => (x.id < y.id ? -1 : 1));
  return all.length ? all[n % all.length] : undefined;
}

/** Runs one command; returns the values it saved and the values it replaced or deleted while seeing them. */
async function run(c: Command, saved: Set<string>, replaced: Set<string>): Promise<void> {
  const d = devices[c.d]!;
  const value = () => `v${++counter}-${d.name}`;
  switch (c.kind) {
    case "add": {
      const v = value();
      saved.add(v);
      await d.vault.save(createItem({ type: "login", title: `t${counter}`, fields: { username: "u", [PW]: v } }), null);
      return;
    }
    case "edit": {
      const it = await pickItem(d, c.pick);
      if (!it) return;
      const v = value();
      replaced.add(fieldValue(it, PW) ?? "");
      saved.add(v);
      await d.vault.save(editItem(it, { fields: { [PW]: v } }), it);
      return;
    }
    case "note": {
      // another slot than the password: concurrent edits of the two merge into one item on sync
      const it = await pickItem(d, c.pick);
      if (!it) return;
      const v = value();
      if (it.notes) replaced.add(it.notes);
      saved.add(v);
      await d.vault.save(editItem(it, { notes: v }), it);
      return;
    }
    case "trash":
    case "restore": {
      const it = await pickItem(d, c.pick, c.kind === "restore");
      if (it) await d.vault.save(c.kind === "trash" ? trashItem(it) : restoreItem(it), it);
      return;
    }
    case "purge": {
      const it = await pickItem(d, c.pick);
      if (!it) return;
      replaced.add(fieldValue(it, PW) ?? "");
      replaced.add(it.notes);
      await d.vault.purge(it.id, it);
      return;
    }
    case "sync":
      merges += (await d.vault.sync(d.api)).merged.length;
      return;
    case "sync-both": {
      const e = devices[c.e]!;
      const reports = await Promise.all(c.e === c.d ? [d.vault.sync(d.api)] : [d.vault.sync(d.api), e.vault.sync(e.api)]);
      for (const r of reports) merges += r.merged.length;
      return;
    }
  }
}

const stable = (it: Item) => JSON.stringify(it);

test("merge fuzzing: random interleavings on three devices converge, quarantine nothing and lose nothing", async () => {
  const saved = new Set<string>();
  const replaced = new Set<string>();
  let runs = 0;
  let commands = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (cmds) => {
      runs++;
      for (const c of cmds) {
        commands++;
        await run(c, saved, replaced);
      }
      for (let round = 0; round < 2; round++) for (const d of devices) merges += (await d.vault.sync(d.api)).merged.length;
      const states = await Promise.all(devices.map(itemsOf));
      const [first, ...rest] = states.map((m) => new Map([...m].map(([id, it]) => [id, stable(it)])));
      for (const [i, s] of rest.entries()) assert.deepEqual(s, first, `${devices[i + 1]!.name} differs from ${devices[0]!.name}`);
      for (const d of devices) assert.deepEqual(await d.store.readQuarantine(), [], `${d.name} quarantined nothing`);
      for (const d of devices) assert.deepEqual(await d.store.readPending(10), [], `${d.name} has nothing left to push`);
      const held = new Set([...states[0]!.values()].flatMap((it) => [fieldValue(it, PW), it.notes]));
      const lost = [...saved].filter((v) => !replaced.has(v) && !held.has(v));
      assert.deepEqual(lost, [], "every value saved last survives in its item or a conflict copy");
      // the index each device shows agrees with its items
      for (const [i, d] of devices.entries())
        assert.deepEqual(new Set(d.vault.list().map((e) => e.id)), new Set(states[i]!.keys()), `${d.name}'s index matches its items`);
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: 150_000 * Math.max(1, RUNS / 25), markInterruptAsFailure: false },
  );
  assert.ok(runs >= Math.min(10, RUNS) && commands > 50, `enough work was fuzzed (${runs} runs, ${commands} commands)`);
  assert.ok(saved.size > 20, "values were saved");
  console.log(`merge fuzzing: ${runs} runs, ${commands} commands, ${merges} items merged by sync`);
});
