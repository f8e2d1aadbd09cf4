// Manifests acknowledge how far their device has read the others, and that is what lets a device remove an
// attachment blob only once every device has seen it go (attachments/blob-collect.ts), driven here through real
// replicas over one store: a plain removal, and a concurrent edit that beats the delete and keeps the blob.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newAttachment } from "../../attachments/attachment.ts";
import { type Frontier, planCollection } from "../../attachments/blob-collect.ts";
import { freshAccountKeys } from "../../formats/test-keys.ts";
import { newUuid } from "../../keys/ids.ts";
import { addAttachment, createItem, editItem, removeAttachment } from "../../vault/item.ts";
import type { LogReplica, LogReport } from "./log-replica.ts";
import { LogReplica as Replica } from "./log-replica.ts";
import { MemoryBlobStore } from "./memory-blob-store.ts";

const ack = { acknowledge: true };

/** What the CLI runs after each sync of `r`, owning blob `id`; returns whether it may remove it now. */
function collector(id: string) {
  let waiting = new Map<string, Frontier>();
  return (r: LogReplica, report: LogReport): boolean => {
    const referenced = new Set([...r.items().values()].flatMap((i) => (i.attachments ?? []).map((a) => a.id)));
    const plan = planCollection({
      owned: [id],
      referenced,
      waiting,
      frontier: r.frontier(),
      devices: r.devices(),
      acks: r.acknowledgements(),
      clean: report.unavailable.length + report.missing.length + report.rollbacks.length === 0,
    });
    waiting = plan.waiting;
    return plan.remove.includes(id);
  };
}

test("asked to, a device that only reads publishes a manifest acknowledging what it read, once per change", async () => {
  const keys = await freshAccountKeys();
  const store = new MemoryBlobStore();
  const a = new Replica(keys, newUuid());
  const b = new Replica(keys, newUuid());
  await a.save(createItem({ type: "secure-note", title: "x" }));
  await a.sync(store, ack);
  await b.sync(store, ack);
  const manifests = async () => (await store.list(`mf/${b.deviceId}/`)).length;
  const after = await manifests();
  await b.sync(store, ack);
  assert.equal(await manifests(), after, "nothing new read: no new manifest");
  await a.sync(store, ack);
  assert.deepEqual([...a.acknowledgements().get(b.deviceId)!], [[a.deviceId, a.frontier().get(a.deviceId)]]);
  assert.deepEqual(a.devices(), [b.deviceId]);
  // the acknowledgement survives a restart of the replica (no manifest again for the same reads)
  const b2 = await Replica.restore(keys, b.exportState());
  await b2.sync(store, ack);
  assert.equal(await manifests(), after);
  // not asked to (no attachment blob of another device waits): reading writes nothing, as before
  await a.save(createItem({ type: "secure-note", title: "y" }));
  await a.sync(store);
  await b2.sync(store);
  assert.equal(await manifests(), after);
  await b2.sync(store, ack);
  assert.equal(await manifests(), after + 1);
});

test("a blob goes after both devices synced its removal; an edit that beat the delete keeps it", async () => {
  const keys = await freshAccountKeys();
  const store = new MemoryBlobStore();
  const a = new Replica(keys, newUuid());
  const b = new Replica(keys, newUuid());
  const att = newAttachment("scan.pdf", 10, "application/pdf");
  const item = addAttachment(createItem({ type: "secure-note", title: "doc" }), att);
  await a.save(item);
  const mayRemove = collector(att.id);
  assert.equal(mayRemove(a, await a.sync(store, ack)), false);
  await b.sync(store, ack);
  // A deletes the item; B has not seen it and edits it offline (an edit beats a concurrent delete)
  await a.remove(item.id);
  assert.equal(mayRemove(a, await a.sync(store, ack)), false, "B has not acknowledged the tombstone");
  assert.equal(mayRemove(a, await a.sync(store, ack)), false);
  await b.save(editItem(b.items().get(item.id)!, { title: "doc, edited offline" }));
  await b.sync(store, ack);
  // B's manifest (acknowledging the tombstone) arrives before B's segment with the edit: A must not act on it
  const segs = (await store.list(`log/${b.deviceId}/`)).sort();
  const edit = segs.at(-1)!;
  const held = await store.get(edit);
  assert.equal(held.kind, "ok");
  await store.removeOwn(edit);
  const partial = await a.sync(store, ack);
  assert.ok(partial.missing.length > 0, "the manifest says a segment is missing");
  assert.equal(a.items().has(item.id), false, "A has not seen the edit yet");
  assert.equal(mayRemove(a, partial), false, "a view with a file missing removes nothing");
  if (held.kind === "ok") await store.putNew(edit, held.bytes);
  assert.equal(mayRemove(a, await a.sync(store, ack)), false, "the edit brought the record back");
  assert.equal(a.items().get(item.id)?.attachments?.[0]?.id, att.id);
  // now removed for real on B: the blob goes once A has read it and B has acknowledged A's state
  await b.save(removeAttachment(b.items().get(item.id)!, att.id));
  await b.sync(store, ack);
  let removed = false;
  for (let i = 0; i < 3 && !removed; i++) {
    removed = mayRemove(a, await a.sync(store, ack));
    await b.sync(store, ack);
  }
  assert.equal(removed, true);
});
