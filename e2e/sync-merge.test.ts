// Sync merges through the real engine (real SQLite stores, a real server behind an honest proxy) with three
// devices: two of them merge the same newer version into their own offline edits at the same time and push;
// whichever push the server takes second is merged again from the first one's version. Every device ends with
// one item holding all three changes, and one more sync round moves nothing (no revision ping-pong).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ItemId } from "@cryptex/core/ids.ts";
import { createItem, editItem, fieldValue, type Item } from "@cryptex/core/vault/item.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let b: Device;
let c: Device;

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("merge-a");
  b = await world.signInDevice(a, "merge-b");
  c = await world.signInDevice(a, "merge-c");
  a.vault.setHistory({ deviceName: "laptop A" });
  b.vault.setHistory({ deviceName: "phone B" });
  c.vault.setHistory({ deviceName: "tablet C" });
});
after(() => world.stop());

const edit = async (d: Device, id: ItemId, changes: Parameters<typeof editItem>[1]) => {
  const it = await d.vault.get(id);
  return d.vault.save(editItem(it, changes), it);
};
const live = async (d: Device): Promise<Item[]> => {
  const out: Item[] = [];
  for (const s of await d.store.readAllItems()) if (!s.deleted && s.data) out.push(await d.vault.get(s.id as ItemId));
  return out;
};

test("two devices merge the same remote edit into their own at once, push, and all three converge and settle", async () => {
  const item = createItem({ type: "login", title: "Router", fields: { username: "admin", password: "p0" }, notes: "n0" });
  await a.vault.save(item, null);
  for (const d of [a, b, c]) await d.vault.sync(d.api);

  await edit(c, item.id, { title: "Home router" });
  await c.vault.sync(c.api);
  // A and B edited offline, other fields; both pull C's version while their edits are pending, and push
  await edit(a, item.id, { fields: { password: "p-from-A" } });
  await edit(b, item.id, { notes: "n-from-B" });
  const [ra, rb] = await Promise.all([a.vault.sync(a.api), b.vault.sync(b.api)]);
  assert.deepEqual([...ra.conflicts, ...rb.conflicts], [], "no conflict copy");
  assert.ok(ra.merged.length + rb.merged.length >= 2, "each merged C's version into its own edit (and the later pusher once more)");

  for (const d of [c, a, b]) await d.vault.sync(d.api);
  const states = await Promise.all([a, b, c].map(live));
  for (const s of states) assert.deepEqual(s, states[0], "every device holds the same items, byte for byte in plaintext");
  assert.equal(states[0]!.length, 1, "one item, no conflict copy");
  const it = states[0]![0]!;
  assert.deepEqual([it.title, fieldValue(it, "password"), it.notes], ["Home router", "p-from-A", "n-from-B"]);
  const by = new Set((it.versions ?? []).map((v) => v.savedBy));
  for (const name of ["laptop A", "phone B", "tablet C"]) assert.ok(by.has(name), `${name}'s version is in the history`);

  // settled: another round sends and receives nothing
  for (const d of [a, b, c]) {
    const r = await d.vault.sync(d.api);
    assert.deepEqual([r.pulled, r.pushed, r.merged.length], [0, 0, 0], `${d.name} has nothing more to do`);
  }
});

test("the same field changed on two devices still keeps a conflict copy, and settles", async () => {
  const [it] = await live(a);
  await edit(a, it!.id, { fields: { password: "same-A" } });
  await edit(b, it!.id, { fields: { password: "same-B" } });
  await a.vault.sync(a.api);
  const r = await b.vault.sync(b.api);
  assert.deepEqual(
    r.conflicts.map((x) => x.kind),
    ["both-edited"],
  );
  assert.deepEqual(r.merged, []);
  for (const d of [a, c, b, a]) await d.vault.sync(d.api);
  const states = await Promise.all([a, b, c].map(live));
  for (const s of states) assert.deepEqual(s, states[0]);
  assert.deepEqual(states[0]!.map((x) => fieldValue(x, "password")).sort(), ["same-A", "same-B"]);
  for (const d of [a, b, c]) {
    const again = await d.vault.sync(d.api);
    assert.deepEqual([again.pulled, again.pushed], [0, 0], `${d.name} settled`);
  }
});
