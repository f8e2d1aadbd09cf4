import assert from "node:assert/strict";
import { test } from "node:test";
import { newAttachment } from "../../attachments/attachment.ts";
import { toIndexEntry } from "../../formats/vault-index.ts";
import { generateAccountKey } from "../../keys/account-key.ts";
import { type ItemId, newAccountId } from "../../keys/ids.ts";
import { deriveLocalKeys } from "../health/health-keys.ts";
import { addAttachment, createItem, editItem, type Item } from "../item.ts";
import { DeepIndex, deepText } from "./deep-index.ts";
import { searchEntries } from "./deep-search.ts";

const items = () => {
  const a = createItem({
    type: "login",
    title: "Mail",
    fields: [
      { name: "username", kind: "text", value: "ann" },
      { name: "password", kind: "hidden", value: "s3cret-Pass" },
      { name: "Recovery PIN", kind: "hidden", value: "998877", custom: true },
      { name: "Security question", kind: "text", value: "First pet: Rex", custom: true },
    ],
    notes: "Backup codes are in the blue folder",
    tags: ["work"],
  });
  const b = createItem({ type: "secure-note", title: "Wifi at home", notes: "Router admin is at 192.168.1.1", favorite: true });
  const c = createItem({ type: "login", title: "Bank", fields: { username: "ann", password: "x", url: "https://bank.example/login" } });
  return [a, b, c];
};

test("deepText holds notes, custom names and non-secret values, never hidden values", () => {
  const [a] = items();
  const t = deepText(a!);
  assert.match(t, /backup codes/);
  assert.match(t, /recovery pin/);
  assert.match(t, /first pet: rex/);
  assert.doesNotMatch(t, /998877/);
  assert.doesNotMatch(t, /s3cret/i);
  const withFile = addAttachment(a!, newAttachment("Passport-Scan.pdf", 10, "application/pdf"));
  assert.match(deepText(withFile), /passport-scan\.pdf/, "attachment names are searched");
  assert.equal(deepText(withFile).includes(withFile.attachments![0]!.key.toLowerCase()), false, "never the attachment key");
});

test("the index is built incrementally and round-trips encrypted", async () => {
  const keys = await deriveLocalKeys(generateAccountKey(), newAccountId());
  let all = items();
  const byId = new Map<ItemId, Item>(all.map((i) => [i.id, i]));
  const reads: ItemId[] = [];
  const read = async (id: ItemId) => {
    reads.push(id);
    return byId.get(id)!;
  };
  const index = new DeepIndex();
  assert.deepEqual(await index.refresh(all.map(toIndexEntry), read), { updated: 3, removed: 0 });
  // unchanged revisions are not read again
  reads.length = 0;
  assert.deepEqual(await index.refresh(all.map(toIndexEntry), read), { updated: 0, removed: 0 });
  assert.equal(reads.length, 0);
  // one edit: one read; one removal
  const edited = editItem(all[1]!, { notes: "Router moved to the attic" });
  byId.set(edited.id, edited);
  all = [all[0]!, edited];
  assert.deepEqual(await index.refresh(all.map(toIndexEntry), read), { updated: 1, removed: 1 });
  assert.deepEqual(reads, [edited.id]);
  assert.match(index.textOf(edited.id)!, /attic/);

  const sealed = await index.seal(keys);
  assert.ok(!new TextDecoder().decode(sealed).includes("attic"), "the stored index is encrypted");
  const reopened = await DeepIndex.open(keys, sealed);
  assert.equal(reopened.size, 2);
  assert.match(reopened.textOf(edited.id)!, /attic/);
  const other = await deriveLocalKeys(generateAccountKey(), keys.accountId);
  await assert.rejects(DeepIndex.open(other, sealed), { code: "tampered" });
});

test("searchEntries: operators, phrases and deep text", async () => {
  const all = items();
  const entries = all.map(toIndexEntry);
  const deep = new DeepIndex();
  for (const i of all) deep.put(i);
  const titles = (q: string, ctx = {}) => searchEntries(entries, q, ctx).map((e) => e.title);
  assert.deepEqual(titles("backup"), [], "without deep search notes are not searched");
  assert.deepEqual(titles("backup", { deep }), ["Mail"]);
  assert.deepEqual(titles('"blue folder"', { deep }), ["Mail"]);
  assert.deepEqual(titles('"folder blue"', { deep }), []);
  assert.deepEqual(titles("998877", { deep }), [], "hidden values are not searchable");
  assert.deepEqual(titles("type:login"), ["Bank", "Mail"]);
  assert.deepEqual(titles("type:login ann"), ["Bank", "Mail"]);
  assert.deepEqual(titles("tag:work"), ["Mail"]);
  assert.deepEqual(titles("is:favorite"), ["Wifi at home"]);
  assert.deepEqual(titles("url:bank.example"), ["Bank"]);
  assert.deepEqual(titles("is:weak"), [], "is:weak without a report matches nothing");
  assert.deepEqual(titles("is:weak", { weak: new Set([all[2]!.id]) }), ["Bank"]);
  assert.deepEqual(titles("folder:finance"), []);
  const inFolder = { ...entries[2]!, folder: "Finance/Banks" };
  assert.deepEqual(
    searchEntries([inFolder, entries[0]!], "folder:finance").map((e) => e.title),
    ["Bank"],
  );
  assert.deepEqual(searchEntries([inFolder], "folder:fin").length, 0, "a folder matches whole path segments");
  // a title match ranks above a deep-text match
  const router = createItem({ type: "login", title: "Router", fields: { password: "p" } });
  deep.put(router);
  assert.deepEqual(
    searchEntries([...entries, toIndexEntry(router)], "router", { deep }).map((e) => e.title),
    ["Router", "Wifi at home"],
  );
});

test("a keyless copy from toDocs()/fromDocs() answers searches like the index it came from", async () => {
  const list = items();
  const index = new DeepIndex();
  await index.refresh(list.map(toIndexEntry), async (id) => list.find((i) => i.id === id)!);
  const copy = DeepIndex.fromDocs(index.toDocs());
  assert.equal(copy.size, index.size);
  for (const i of list) assert.equal(copy.textOf(i.id), index.textOf(i.id));
  const entries = list.map(toIndexEntry);
  const ids = (deep: DeepIndex) => searchEntries(entries, "blue folder", { deep }).map((e) => e.id);
  assert.deepEqual(ids(copy), ids(index));
  assert.deepEqual(ids(copy), [list[0]!.id]);
  // the copy is brought up to date like the index: an unchanged revision is not read again
  let reads = 0;
  const changed = await copy.refresh(entries, async (id) => {
    reads++;
    return list.find((i) => i.id === id)!;
  });
  assert.deepEqual([changed.updated, changed.removed, reads], [0, 0, 0]);
});
