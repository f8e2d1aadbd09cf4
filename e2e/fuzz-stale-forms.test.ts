// Stale-form fuzzing (issue 9): three devices — the real core engine over real SQLite files, a real server —
// open edit forms, sync, and save those forms later, after other devices' changes arrived, in random
// interleavings (fast-check). Every save names the version its form opened. Afterwards every device syncs
// twice: all hold the same items, nothing is quarantined, and no saved value is lost: every password ever
// saved is an item's password or in a password history, and every username saved survives unless a
// later save replaced it while showing it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ItemId } from "@cryptex/core/ids.ts";
import { createItem, editItem, fieldValue, type Item, restoreItem, trashItem } from "@cryptex/core/vault/item.ts";
import fc from "fast-check";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let devices: Device[];
/** the item each device's edit form has open (its base), if any */
const forms: (Item | undefined)[] = [undefined, undefined, undefined];

before(async () => {
  world = await startWorld();
  const a = await world.signUpDevice("stale-a");
  devices = [a, await world.signInDevice(a, "stale-b"), await world.signInDevice(a, "stale-c")];
});
after(() => world.stop());

type Command =
  | { kind: "add"; d: number }
  | { kind: "open" | "edit" | "trash" | "restore"; d: number; pick: number }
  | { kind: "save"; d: number; what: "password" | "username" | "both" }
  | { kind: "sync"; d: number }
  | { kind: "relay"; d: number };

const device = fc.integer({ min: 0, max: 2 });
const pick = fc.nat(50);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("add" as const), d: device }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("open" as const), d: device, pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("save" as const),
      d: device,
      what: fc.constantFrom("password" as const, "username" as const, "both" as const),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("edit" as const), d: device, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("trash" as const, "restore" as const), d: device, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("sync" as const), d: device }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("relay" as const), d: device }) },
);

const RUNS = Number(process.env.FUZZ_STALE_RUNS ?? 30);
let counter = 0;

async function itemsOf(d: Device): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  for (const s of await d.store.readAllItems()) if (!s.deleted && s.data) out.set(s.id, await d.vault.get(s.id as ItemId));
  return out;
}

/** Edits aim at two seed items every device holds, mostly the first, so that forms and changes often meet. */
const focus: ItemId[] = [];

async function pickItem(d: Device, n: number, trashed?: boolean): Promise<Item | undefined> {
  const it = await d.vault.get(focus[n % 4 === 0 ? 1 : 0]!);
  return trashed === undefined || Boolean(it.trashedAt) === trashed ? it : undefined;
}

interface Ledger {
  passwords: Set<string>;
  usernames: Set<string>;
  /** usernames a save replaced while its form showed them */
  replacedUsernames: Set<string>;
}

async function run(c: Command, l: Ledger): Promise<void> {
  const d = devices[c.d]!;
  const value = (what: string) => `${what}${++counter}-${d.name}`;
  switch (c.kind) {
    case "add": {
      const [pw, user] = [value("p"), value("u")];
      l.passwords.add(pw);
      l.usernames.add(user);
      await d.vault.save(createItem({ type: "login", title: `t${counter}`, fields: { username: user, password: pw } }), null);
      return;
    }
    case "open":
      // a form stays open until it is saved: opening another item is a no-op meanwhile
      forms[c.d] ??= await pickItem(d, c.pick);
      return;
    case "edit":
    case "save": {
      const base = c.kind === "edit" ? await pickItem(d, c.pick) : forms[c.d];
      if (!base) return;
      forms[c.d] = undefined;
      const fields: Record<string, string> = {};
      const what = c.kind === "save" ? c.what : "password";
      if (what !== "username") {
        fields.password = value("p");
        l.passwords.add(fields.password);
      }
      if (what !== "password") {
        l.replacedUsernames.add(fieldValue(base, "username") ?? "");
        fields.username = value("u");
        l.usernames.add(fields.username);
      }
      await d.vault.save(editItem(base, { fields }), base);
      return;
    }
    case "trash":
    case "restore": {
      const it = await pickItem(d, c.pick, c.kind === "restore");
      if (it) await d.vault.save(c.kind === "trash" ? trashItem(it) : restoreItem(it), it);
      return;
    }
    case "sync":
      await d.vault.sync(d.api);
      return;
    case "relay":
      // d's changes reach every device and theirs reach d: open forms now show older versions than devices hold
      await d.vault.sync(d.api);
      for (const e of devices) if (e !== d) await e.vault.sync(e.api);
      await d.vault.sync(d.api);
      return;
  }
}

test("stale forms: saves made from old versions on three devices converge and lose no saved value", async () => {
  const l: Ledger = { passwords: new Set(), usernames: new Set(), replacedUsernames: new Set() };
  let stale = 0;
  let runs = 0;
  // two items every device holds, so forms meet on one item from the first run on
  for (let i = 0; i < 2; i++) await run({ kind: "add", d: 0 }, l);
  focus.push(...devices[0]!.vault.list().map((e) => e.id));
  for (const d of devices) await d.vault.sync(d.api);
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 8, maxLength: 24 }), async (cmds) => {
      runs++;
      // every run starts with a form open on each device; commands open more as they go
      for (const [i, d] of devices.entries()) forms[i] = await pickItem(d, 1);
      // at the end, Save is pressed on every form still open: the staler, the better
      const flush: Command[] = devices.map((_, d) => ({ kind: "save", d, what: "password" }));
      for (const c of [...cmds, ...flush]) {
        const base = c.kind === "save" ? forms[c.d] : undefined;
        if (base) {
          const now = (await devices[c.d]!.store.readItem(base.id))?.data ? await devices[c.d]!.vault.get(base.id) : undefined;
          if (now && now.rev !== base.rev) stale++;
        }
        await run(c, l);
      }
      for (let round = 0; round < 2; round++) for (const d of devices) await d.vault.sync(d.api);
      const states = await Promise.all(devices.map(itemsOf));
      const [first, ...rest] = states.map((m) => new Map([...m].map(([id, it]) => [id, JSON.stringify(it)])));
      for (const [i, s] of rest.entries()) assert.deepEqual(s, first, `${devices[i + 1]!.name} differs from ${devices[0]!.name}`);
      for (const d of devices) assert.deepEqual(await d.store.readQuarantine(), [], `${d.name} quarantined nothing`);
      const items = [...states[0]!.values()];
      const heldPw = new Set(items.flatMap((it) => [fieldValue(it, "password"), ...it.history.map((h) => h.value)]));
      const lostPw = [...l.passwords].filter((v) => !heldPw.has(v));
      assert.deepEqual(lostPw, [], "every saved password is an item's password or in a password history");
      const heldUser = new Set(items.map((it) => fieldValue(it, "username")));
      const lostUser = [...l.usernames].filter((v) => !l.replacedUsernames.has(v) && !heldUser.has(v));
      assert.deepEqual(lostUser, [], "every username saved and not knowingly replaced survives");
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: 150_000 * Math.max(1, RUNS / 30), markInterruptAsFailure: false },
  );
  assert.ok(runs >= Math.min(10, RUNS), `enough runs (${runs})`);
  assert.ok(stale >= 15, `forms were saved after their item moved (${stale} stale saves)`);
});
