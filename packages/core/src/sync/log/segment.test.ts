import assert from "node:assert/strict";
import { test } from "node:test";
import { encryptItem } from "../../formats/item-envelope.ts";
import { freshAccountKeys } from "../../formats/test-keys.ts";
import { newUuid } from "../../keys/ids.ts";
import { createItem } from "../../vault/item.ts";
import { logPath, parseLogPath } from "./blob-store.ts";
import { openSegment, readHeader, sealSegment, versionTag } from "./segment.ts";

const device = newUuid();

test("a segment round-trips its versions and bases, and binds account, device and seq", async () => {
  const keys = await freshAccountKeys();
  const item = createItem({ type: "login", title: "bank" });
  const data = await encryptItem(keys, item);
  const base = new Uint8Array(16).fill(7);
  const h = { kind: "segment" as const, deviceId: device, seq: 3, salt: "0a0b0c0d" };
  const bytes = await sealSegment(keys, h, { kind: "segment", versions: [{ id: item.id, data, bases: [base] }] });
  const { header, body } = await openSegment(keys, bytes);
  assert.deepEqual(header, h);
  assert.equal(body.kind, "segment");
  if (body.kind !== "segment") return;
  assert.deepEqual(body.versions[0]?.bases, [base]);
  assert.deepEqual(versionTag(body.versions[0]!.data), versionTag(data));
  // the header is public: a reader can tell what a file claims before it has the key
  assert.deepEqual(readHeader(bytes), h);
  // another account, a changed seq, a cut file: none opens
  await assert.rejects(openSegment(await freshAccountKeys(), bytes), { code: "tampered" });
  const moved = bytes.slice();
  moved[22 + 16 + 7] = 4;
  await assert.rejects(openSegment(keys, moved), { code: "tampered" });
  await assert.rejects(openSegment(keys, bytes.subarray(0, bytes.length - 1)), { code: "tampered" });
  await assert.rejects(openSegment(keys, bytes.subarray(0, 10)), { code: "tampered" });
  const future = bytes.slice();
  future[4] = 2;
  await assert.rejects(openSegment(keys, future), { code: "unsupported_format" });
});

test("snapshots and manifests round-trip", async () => {
  const keys = await freshAccountKeys();
  const item = createItem({ type: "secure-note", title: "n" });
  const data = await encryptItem(keys, item);
  const other = newUuid();
  const snap = await sealSegment(
    keys,
    { kind: "snapshot", deviceId: device, seq: 9, salt: "00000001" },
    {
      kind: "snapshot",
      vector: new Map([[other, 4]]),
      versions: [{ id: item.id, data, bases: [] }],
      superseded: new Map([[item.id, [new Uint8Array(16)]]]),
    },
  );
  const s = (await openSegment(keys, snap)).body;
  assert.equal(s.kind, "snapshot");
  if (s.kind === "snapshot") {
    assert.equal(s.vector.get(other), 4);
    assert.equal(s.superseded.get(item.id)?.length, 1);
  }
  const mf = await sealSegment(
    keys,
    { kind: "manifest", deviceId: device, seq: 2, salt: "00000002" },
    { kind: "manifest", published: 7, snapshot: 5 },
  );
  assert.deepEqual((await openSegment(keys, mf)).body, { kind: "manifest", published: 7, snapshot: 5 });
  // a manifest may carry how far its writer has read the others (older manifests carry nothing)
  const acked = await sealSegment(
    keys,
    { kind: "manifest", deviceId: device, seq: 3, salt: "00000003" },
    { kind: "manifest", published: 7, snapshot: 5, read: new Map([[other, 12]]) },
  );
  assert.deepEqual((await openSegment(keys, acked)).body, { kind: "manifest", published: 7, snapshot: 5, read: new Map([[other, 12]]) });
  // a body that claims another kind than its header is refused at sealing
  await assert.rejects(
    sealSegment(keys, { kind: "segment", deviceId: device, seq: 1, salt: "00000000" }, { kind: "manifest", published: 1, snapshot: 0 }),
    { code: "invalid_input" },
  );
});

test("names: sync-client variants are recognised, foreign files are not ours", () => {
  const p = logPath("log", device, 26, "deadbeef");
  assert.equal(p, `log/${device}/000000000000001a-deadbeef.cxs`);
  const base = parseLogPath(p);
  assert.deepEqual([base?.area, base?.seq, base?.salt, base?.stub], ["log", 26, "deadbeef", false]);
  const dropbox = parseLogPath(`log/${device}/000000000000001a-deadbeef (conflicted copy 2026-11-30).cxs`);
  assert.equal(dropbox?.seq, 26);
  const syncthing = parseLogPath(`${p}.sync-conflict-20261130-120102-ABCDEFG`);
  assert.equal(syncthing?.seq, 26);
  const stub = parseLogPath(`log/${device}/.000000000000001a-deadbeef.cxs.icloud`);
  assert.equal(stub?.stub, true);
  assert.equal(stub?.target, p);
  for (const foreign of [
    "desktop.ini",
    "log/.DS_Store",
    `log/${device}/desktop.ini`,
    `tmp/${device}-1.part`,
    `log/${device}/0000000000000000-deadbeef.cxs`,
    `log/${device}/000000000000001a-deadbeef.cxs.bak`,
    `log/${device}/.000000000000001a-deadbeef.cxs`,
  ])
    assert.equal(parseLogPath(foreign), undefined, foreign);
});
