// The one contract every Store implementation passes (SQLite and PostgreSQL run it in their own test files).
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { test } from "node:test";
import { type Account, MAX_CODE_ATTEMPTS, type Session, STAGED_SLACK_BYTES, type Store } from "./store.ts";

const now = 1_700_000_000_000;
export function sampleAccount(over: Partial<Account> = {}): Account {
  return {
    id: randomUUID(),
    email: `User${randomUUID().slice(0, 8)}@Example.org`,
    authPublicKey: "A".repeat(43),
    verifier: "dmVyaWZpZXI",
    wrappedEak: "d3JhcHBlZA",
    eakGeneration: 0,
    resetEpoch: 0,
    revision: 0,
    emailEnabled: true,
    createdAt: now,
    ...over,
  };
}
export function sampleSession(accountId: string, over: Partial<Session> = {}): Session {
  return { id: randomUUID(), accountId, deviceName: "laptop", createdAt: now, lastSeenAt: now, expiresAt: now + 1000, ...over };
}
const bytes = (s: string) => new TextEncoder().encode(s);

/** Registers the contract tests against a store made by `open` (called once, closed at the end). */
export function storeContract(name: string, open: () => Promise<Store>): void {
  let store: Store;
  test(`${name}: open`, async () => {
    store = await open();
  });

  test(`${name}: accounts are unique by id and by case-insensitive e-mail`, async () => {
    const a = sampleAccount();
    assert.equal(await store.createAccount(a, sampleSession(a.id), randomBytes(32)), "created");
    assert.equal(await store.createAccount({ ...sampleAccount(), id: a.id }, sampleSession(a.id), randomBytes(32)), "taken");
    assert.equal(
      await store.createAccount({ ...sampleAccount(), email: a.email.toUpperCase() }, sampleSession(a.id), randomBytes(32)),
      "taken",
    );
    assert.deepEqual(await store.getAccount(a.id), a);
    assert.deepEqual(await store.findAccountByEmail(a.email.toLowerCase()), a);
    assert.equal(await store.getAccount(randomUUID()), undefined);
  });

  test(`${name}: the server secret is made once and kept`, async () => {
    const s1 = await store.serverSecret();
    assert.equal(s1.length, 32);
    assert.deepEqual(await store.serverSecret(), s1);
  });

  test(`${name}: challenges are one-use, bound to account and purpose, and expire`, async () => {
    const acc = randomUUID();
    const c = randomBytes(32);
    await store.putChallenge(c, acc, "signin", now + 100);
    assert.equal(await store.takeChallenge(c, acc, "signin", now), true);
    assert.equal(await store.takeChallenge(c, acc, "signin", now), false, "replayed");
    const d = randomBytes(32);
    await store.putChallenge(d, acc, "signin", now + 100);
    assert.equal(await store.takeChallenge(d, randomUUID(), "signin", now), false, "other account");
    assert.equal(await store.takeChallenge(d, acc, "signin", now), false, "consumed by the failed try");
    const e = randomBytes(32);
    await store.putChallenge(e, acc, "signin", now + 100);
    assert.equal(await store.takeChallenge(e, acc, "action", now), false, "other purpose");
    const f = randomBytes(32);
    await store.putChallenge(f, acc, "action", now + 100);
    assert.equal(await store.takeChallenge(f, acc, "action", now + 100), false, "expired");
  });

  test(`${name}: sessions by token hash, expiry, touch, list and revoke`, async () => {
    const a = sampleAccount();
    const s1 = sampleSession(a.id);
    const h1 = randomBytes(32);
    await store.createAccount(a, s1, h1);
    const s2 = sampleSession(a.id, { deviceName: "phone", createdAt: now + 1 });
    const h2 = randomBytes(32);
    await store.createSession(s2, h2);
    assert.deepEqual(await store.findSession(h1, now), s1);
    assert.equal(await store.findSession(h1, now + 1000), undefined, "expired");
    assert.equal(await store.findSession(randomBytes(32), now), undefined);
    await store.touchSession(s1.id, now + 500, now + 5000);
    assert.deepEqual(await store.findSession(h1, now + 1000), { ...s1, lastSeenAt: now + 500, expiresAt: now + 5000 });
    assert.deepEqual(
      (await store.listSessions(a.id, now)).map((s) => s.deviceName),
      ["laptop", "phone"],
    );
    assert.equal(await store.revokeSession(randomUUID(), s2.id), false, "not another account's session");
    assert.equal(await store.revokeSession(a.id, s2.id), true);
    assert.equal(await store.findSession(h2, now), undefined);
    assert.equal(await store.revokeSession(a.id, s2.id), false);
  });

  test(`${name}: ending the other sessions keeps this one and leaves other accounts alone`, async () => {
    const a = sampleAccount();
    const keep = sampleSession(a.id);
    const hKeep = randomBytes(32);
    await store.createAccount(a, keep, hKeep);
    const others = [sampleSession(a.id, { deviceName: "phone" }), sampleSession(a.id, { deviceName: "tablet" })];
    const hOthers = others.map(() => randomBytes(32));
    for (const [i, s] of others.entries()) await store.createSession(s, hOthers[i]!);
    const b = sampleAccount();
    const bs = sampleSession(b.id);
    const hb = randomBytes(32);
    await store.createAccount(b, bs, hb);
    assert.deepEqual((await store.endOtherSessions(a.id, keep.id)).sort(), others.map((s) => s.id).sort());
    assert.deepEqual(await store.findSession(hKeep, now), keep);
    for (const h of hOthers) assert.equal(await store.findSession(h, now), undefined);
    assert.deepEqual(await store.findSession(hb, now), bs, "another account's session stays");
    assert.deepEqual(await store.endOtherSessions(a.id, keep.id), [], "nothing left to end");
  });

  test(`${name}: push assigns consecutive revisions; pull pages in order with the snapshot revision`, async () => {
    const a = sampleAccount();
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const r = await store.push(
      a.id,
      ids.map((id) => ({ id, baseRevision: 0, data: bytes(`v1 ${id}`) })),
      "s",
    );
    assert.equal(r.kind, "applied");
    assert.ok(r.kind === "applied");
    assert.equal(r.revision, 5);
    assert.deepEqual(
      r.items,
      ids.map((id, i) => ({ id, revision: i + 1 })),
    );
    const p1 = await store.pull(a.id, 0, 3);
    assert.ok(p1);
    assert.deepEqual(
      p1.items.map((i) => i.id),
      ids.slice(0, 3),
    );
    assert.equal(p1.more, true);
    assert.equal(p1.revision, 5);
    const p2 = await store.pull(a.id, 3, 3);
    assert.deepEqual(
      p2?.items.map((i) => [i.id, i.revision, new TextDecoder().decode(i.data)]),
      ids.slice(3).map((id, i) => [id, i + 4, `v1 ${id}`]),
    );
    assert.equal(p2?.more, false);
    // update two (a delete is an encrypted tombstone: to the server, another write): both move to the end
    const u = await store.push(
      a.id,
      [
        { id: ids[0]!, baseRevision: 1, data: bytes("v2") },
        { id: ids[1]!, baseRevision: 2, data: bytes("tombstone") },
      ],
      "s",
    );
    assert.deepEqual(u, {
      kind: "applied",
      revision: 7,
      items: [
        { id: ids[0], revision: 6 },
        { id: ids[1], revision: 7 },
      ],
    });
    const d = await store.pull(a.id, 5, 100);
    assert.deepEqual(d?.items, [
      { id: ids[0], revision: 6, data: bytes("v2") },
      { id: ids[1], revision: 7, data: bytes("tombstone") },
    ]);
    assert.equal((await store.pull(a.id, 7, 100))?.items.length, 0);
    assert.equal(await store.pull(randomUUID(), 0, 10), undefined);
  });

  test(`${name}: a stale base is a conflict with the current version and applies nothing`, async () => {
    const a = sampleAccount();
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    const [x, y, z] = [randomUUID(), randomUUID(), randomUUID()];
    await store.push(a.id, [{ id: x, baseRevision: 0, data: bytes("x1") }], "s");
    await store.push(a.id, [{ id: y, baseRevision: 0, data: bytes("y1") }], "s");
    const r = await store.push(
      a.id,
      [
        { id: z, baseRevision: 0, data: bytes("z1") },
        { id: x, baseRevision: 0, data: bytes("x-again") },
        { id: y, baseRevision: 0, data: bytes("y-again") },
      ],
      "s",
    );
    assert.deepEqual(r, {
      kind: "conflict",
      conflicts: [
        { id: x, revision: 1, data: bytes("x1") },
        { id: y, revision: 2, data: bytes("y1") },
      ],
    });
    const p = await store.pull(a.id, 0, 100);
    assert.equal(p?.revision, 2);
    assert.deepEqual(
      p?.items.map((i) => i.id),
      [x, y],
      "z was not applied",
    );
    const gone = randomUUID();
    const missing = await store.push(a.id, [{ id: gone, baseRevision: 1, data: bytes("?") }], "s");
    assert.deepEqual(missing, { kind: "conflict", conflicts: [{ id: gone, revision: 0, data: undefined }] }, "not held: no data");
    assert.deepEqual(await store.push(a.id, [{ id: x, baseRevision: 3, data: bytes("x") }], "s"), { kind: "future" });
    assert.deepEqual(await store.push(randomUUID(), [], "s"), { kind: "no_account" });
  });

  test(`${name}: concurrent pushes to one account never share a revision`, async () => {
    const a = sampleAccount();
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.push(a.id, [{ id: randomUUID(), baseRevision: 0, data: bytes("c") }], "s")),
    );
    const revs = results.map((r) => (r.kind === "applied" ? r.revision : -1)).sort((p, q) => p - q);
    assert.deepEqual(
      revs,
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  test(`${name}: a pull page is bounded in bytes`, async () => {
    const a = sampleAccount();
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    const big = new Uint8Array(1024 * 1024 - 1);
    for (let i = 0; i < 10; i++) await store.push(a.id, [{ id: randomUUID(), baseRevision: 0, data: big }], "s");
    const p = await store.pull(a.id, 0, 1000);
    assert.ok(p && p.items.length === 9 && p.more, `${p?.items.length}`);
  });

  test(`${name}: change password needs the next generation`, async () => {
    const a = sampleAccount();
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    const u = { authPublicKey: "B".repeat(43), wrappedEak: "bmV3", eakGeneration: 2, emailEnabled: false };
    assert.equal(await store.changePassword(a.id, u), "stale");
    const ok = await store.changePassword(a.id, { ...u, eakGeneration: 1 });
    assert.deepEqual(ok, { ...a, authPublicKey: "B".repeat(43), wrappedEak: "bmV3", eakGeneration: 1, emailEnabled: false });
    assert.equal(await store.changePassword(randomUUID(), u), undefined);
  });

  test(`${name}: the kit fingerprint is kept with the account and replaced by a password change and a reset`, async () => {
    const legacy = sampleAccount();
    await store.createAccount(legacy, sampleSession(legacy.id), randomBytes(32));
    assert.equal((await store.getAccount(legacy.id))?.kit, undefined, "an account without one reads as unknown");
    const a = sampleAccount({ kit: "k".repeat(22) });
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    assert.equal((await store.findAccountByEmail(a.email))?.kit, "k".repeat(22));
    const u = { authPublicKey: "B".repeat(43), wrappedEak: "bmV3", eakGeneration: 1, emailEnabled: true, kit: "n".repeat(22) };
    assert.equal(await store.changePassword(a.id, { ...u, eakGeneration: 2 }), "stale");
    assert.equal((await store.getAccount(a.id))?.kit, "k".repeat(22), "a refused change keeps the old one");
    assert.equal((await store.changePassword(a.id, u)) && (await store.getAccount(a.id))?.kit, "n".repeat(22));
    const s = sampleSession(a.id);
    await store.createSession(s, randomBytes(32));
    const r = await store.resetAccount(a.id, { ...u, verifier: "dg", eakGeneration: 0, kit: "r".repeat(22) }, s.id);
    assert.equal(r?.kit, "r".repeat(22));
  });

  test(`${name}: reset wipes items, manifests and other sessions; delete removes everything`, async () => {
    const a = sampleAccount();
    const keep = sampleSession(a.id);
    const hk = randomBytes(32);
    await store.createAccount(a, keep, hk);
    const other = sampleSession(a.id);
    const ho = randomBytes(32);
    await store.createSession(other, ho);
    await store.push(a.id, [{ id: randomUUID(), baseRevision: 0, data: bytes("i") }], "s");
    const dev = randomUUID();
    assert.equal(await store.putManifest(a.id, { deviceId: dev, data: bytes("m1"), updatedAt: now }), "stored");
    assert.equal(await store.putManifest(a.id, { deviceId: dev, data: bytes("m2"), updatedAt: now + 1 }), "stored");
    assert.equal(await store.storageUsed(a.id), 3);
    assert.deepEqual(await store.listManifests(a.id), [{ deviceId: dev, data: bytes("m2"), updatedAt: now + 1 }]);
    assert.equal(await store.getSyncProfile(a.id), undefined);
    assert.equal(await store.putSyncProfile(a.id, bytes("p1"), now), "stored");
    assert.equal(await store.putSyncProfile(a.id, bytes("p2"), now + 2), "stored");
    assert.deepEqual(await store.getSyncProfile(a.id), { data: bytes("p2"), updatedAt: now + 2 });
    assert.equal(await store.putSyncProfile(randomUUID(), bytes("p"), now), "no_account");
    const r = await store.resetAccount(
      a.id,
      { authPublicKey: "C".repeat(43), verifier: "dg", wrappedEak: "dw", eakGeneration: 0, emailEnabled: true },
      keep.id,
    );
    assert.equal(r?.resetEpoch, 1);
    assert.equal(r?.revision, 1, "the revision never goes back");
    assert.equal(r?.verifier, "dg");
    assert.equal((await store.pull(a.id, 0, 100))?.items.length, 0);
    assert.deepEqual(await store.listManifests(a.id), []);
    assert.equal(await store.getSyncProfile(a.id), undefined, "a reset forgets the sync profile");
    assert.equal(await store.storageUsed(a.id), 0, "a reset frees the account's storage");
    assert.ok(await store.findSession(hk, now));
    assert.equal(await store.findSession(ho, now), undefined);
    assert.equal(await store.sessionEndedBy(ho, now), "reset", "a device whose session the reset ended is told so");
    assert.equal(await store.sessionEndedBy(hk, now), undefined);
    assert.equal(await store.sessionEndedBy(randomBytes(32), now), undefined);
    assert.equal(await store.deleteAccount(a.id), true);
    assert.equal(await store.sessionEndedBy(ho, now), undefined);
    assert.equal(await store.getAccount(a.id), undefined);
    assert.equal(await store.findSession(hk, now), undefined);
    assert.equal(await store.deleteAccount(a.id), false);
  });

  test(`${name}: the storage quota counts item and manifest bytes, refuses growth past it, always lets an account shrink`, async () => {
    const a = sampleAccount();
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    const data = (n: number) => new Uint8Array(n).fill(7);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const first = await store.push(
      a.id,
      ids.map((id) => ({ id, baseRevision: 0, data: data(100) })),
      "s",
      350,
    );
    assert.equal(first.kind, "applied");
    assert.equal(await store.storageUsed(a.id), 300);
    // one more item would pass the quota: refused whole, nothing stored, no revision spent
    const extra = { id: randomUUID(), baseRevision: 0, data: data(100) };
    const shrinkToo = { id: ids[0]!, baseRevision: 1, data: data(60) };
    assert.deepEqual(await store.push(a.id, [shrinkToo, extra], "s", 350), { kind: "quota", used: 300, quota: 350 });
    assert.equal((await store.pull(a.id, 0, 100))?.revision, 3);
    assert.equal(await store.storageUsed(a.id), 300);
    // an update that grows the net total by less than what is left passes; exactly full is allowed
    assert.equal((await store.push(a.id, [shrinkToo, { ...extra, data: data(90) }], "s", 350)).kind, "applied");
    assert.equal(await store.storageUsed(a.id), 350);
    const dev = randomUUID();
    assert.equal(await store.putManifest(a.id, { deviceId: dev, data: data(10), updatedAt: now }, 350), "quota");
    assert.deepEqual(await store.listManifests(a.id), []);
    // a (tiny here) tombstone frees its item's bytes; then the manifest fits
    assert.equal((await store.push(a.id, [{ id: ids[1]!, baseRevision: 2, data: data(0) }], "s", 350)).kind, "applied");
    assert.equal(await store.storageUsed(a.id), 250);
    assert.equal(await store.putManifest(a.id, { deviceId: dev, data: data(10), updatedAt: now }, 350), "stored");
    assert.equal(await store.putManifest(a.id, { deviceId: dev, data: data(4), updatedAt: now + 1 }, 350), "stored");
    assert.equal(await store.storageUsed(a.id), 254);
    // with a quota lowered below what it holds, an account can still shrink, not grow
    assert.equal((await store.push(a.id, [{ id: ids[2]!, baseRevision: 3, data: data(50) }], "s", 100)).kind, "applied");
    assert.equal(await store.storageUsed(a.id), 204);
    assert.equal((await store.push(a.id, [{ id: randomUUID(), baseRevision: 0, data: data(1) }], "s", 100)).kind, "quota");
    assert.equal((await store.push(a.id, [{ id: randomUUID(), baseRevision: 0, data: data(0) }], "s", 100)).kind, "applied");
    assert.equal(await store.putManifest(randomUUID(), { deviceId: dev, data: data(1), updatedAt: now }), "no_account");
    assert.equal(await store.storageUsed(randomUUID()), undefined);
  });

  test(`${name}: blobs count their declared size in the quota from the start, resume, and free it when deleted`, async () => {
    const a = sampleAccount();
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    await store.push(a.id, [{ id: randomUUID(), baseRevision: 0, data: bytes("item") }], "s");
    const id = randomUUID();
    assert.equal(await store.createBlob(a.id, id, 1000, now, 2000), "created");
    assert.equal(await store.storageUsed(a.id), 1004, "counted before a byte arrives, so uploads cannot outgrow the quota");
    assert.equal(await store.createBlob(a.id, id, 10, now, 2000), "exists");
    assert.equal(await store.createBlob(a.id, randomUUID(), 997, now, 2000), "quota", "1004 + 997 is past 2000");
    assert.equal(await store.createBlob(randomUUID(), randomUUID(), 1, now), "no_account");
    assert.deepEqual(await store.getBlob(a.id, id), { id, size: 1000, received: 0, createdAt: now });
    await store.setBlobReceived(a.id, id, 400);
    assert.equal((await store.getBlob(a.id, id))?.received, 400);
    await store.setBlobReceived(a.id, id, 5000);
    assert.equal((await store.getBlob(a.id, id))?.received, 1000, "never past the size");
    // another account does not see it
    const b = sampleAccount();
    await store.createAccount(b, sampleSession(b.id), randomBytes(32));
    assert.equal(await store.getBlob(b.id, id), undefined);
    assert.equal(await store.deleteBlob(b.id, id), false);
    assert.equal(await store.deleteBlob(a.id, id), true);
    assert.equal(await store.deleteBlob(a.id, id), false);
    assert.equal(await store.getBlob(a.id, id), undefined);
    assert.equal(await store.storageUsed(a.id), 4);
    // an upload left unfinished is dropped by the sweep once it is older than the cut-off; a finished one stays
    const stale = randomUUID();
    const done = randomUUID();
    assert.equal(await store.createBlob(a.id, stale, 30, now), "created");
    assert.equal(await store.createBlob(a.id, done, 20, now), "created");
    await store.setBlobReceived(a.id, stale, 10);
    await store.setBlobReceived(a.id, done, 20);
    assert.deepEqual(await store.dropStaleUploads(now, 100), [], "not before the cut-off");
    assert.deepEqual(await store.dropStaleUploads(now + 1, 100), [{ accountId: a.id, id: stale }]);
    assert.equal(await store.getBlob(a.id, stale), undefined);
    assert.ok(await store.getBlob(a.id, done));
    assert.equal(await store.storageUsed(a.id), 24);
    assert.equal(await store.deleteBlob(a.id, done), true);
    // reset and delete remove every blob
    const c = randomUUID();
    assert.equal(await store.createBlob(a.id, c, 50, now), "created");
    await store.resetAccount(
      a.id,
      { authPublicKey: "C".repeat(43), verifier: "dg", wrappedEak: "dw", eakGeneration: 0, emailEnabled: true },
      randomUUID(),
    );
    assert.equal(await store.getBlob(a.id, c), undefined);
    assert.equal(await store.storageUsed(a.id), 0);
    assert.equal(await store.createBlob(b.id, c, 50, now), "created");
    assert.equal(await store.deleteAccount(b.id), true);
    const b2 = { ...sampleAccount(), id: b.id };
    await store.createAccount(b2, sampleSession(b2.id), randomBytes(32));
    assert.equal(await store.getBlob(b2.id, c), undefined, "a deleted account's blobs are gone");
  });

  test(`${name}: a key rotation switches every staged item in one step, or nothing`, async () => {
    const a = sampleAccount();
    const keep = sampleSession(a.id);
    const hk = randomBytes(32);
    await store.createAccount(a, keep, hk);
    const other = sampleSession(a.id);
    const ho = randomBytes(32);
    await store.createSession(other, ho);
    const [x, y] = [randomUUID(), randomUUID()];
    await store.push(a.id, [{ id: x, baseRevision: 0, data: bytes("x1") }], "s");
    await store.push(a.id, [{ id: y, baseRevision: 0, data: bytes("y1") }], "s");
    await store.putManifest(a.id, { deviceId: randomUUID(), data: bytes("m"), updatedAt: now });
    const K = "D".repeat(43);
    const update = { authPublicKey: K, verifier: "bnY", wrappedEak: "bnc", eakGeneration: 1, emailEnabled: true, kit: "q".repeat(22) };
    assert.equal(await store.stageRotation(a.id, K, [{ id: x, revision: 1, data: bytes("X1") }]), 1);
    assert.deepEqual(await store.commitRotation(a.id, update, keep.id, 10), { kind: "incomplete", items: [y] });
    // staged for an older revision than the item now has: still incomplete
    assert.equal(await store.stageRotation(a.id, K, [{ id: y, revision: 1, data: bytes("Y1") }]), 1);
    assert.deepEqual(await store.commitRotation(a.id, update, keep.id, 10), { kind: "incomplete", items: [y] });
    assert.deepEqual(await store.commitRotation(a.id, { ...update, eakGeneration: 2 }, keep.id, 10), { kind: "stale" });
    // nothing switched so far
    assert.deepEqual(
      (await store.pull(a.id, 0, 10))?.items.map((i) => i.data),
      [bytes("x1"), bytes("y1")],
    );
    assert.equal((await store.getAccount(a.id))?.authPublicKey, a.authPublicKey);
    assert.ok(await store.findSession(ho, now));
    // a copy staged by another rotation (another new key) never counts for this one
    await store.stageRotation(a.id, "E".repeat(43), [{ id: y, revision: 2, data: bytes("Y-other-key") }]);
    assert.deepEqual(await store.commitRotation(a.id, update, keep.id, 10), { kind: "incomplete", items: [y] });
    await store.stageRotation(a.id, K, [{ id: y, revision: 2, data: bytes("Y2") }]);
    const r = await store.commitRotation(a.id, update, keep.id, 10);
    assert.equal(r.kind, "rotated");
    const after = await store.getAccount(a.id);
    assert.deepEqual(after, { ...a, ...update, revision: 4 });
    const page = await store.pull(a.id, 2, 10);
    assert.deepEqual(
      page?.items.map((i) => [i.id, i.revision, i.data]),
      [
        [x, 3, bytes("X1")],
        [y, 4, bytes("Y2")],
      ],
    );
    assert.deepEqual(await store.listManifests(a.id), []);
    assert.ok(await store.findSession(hk, now));
    assert.equal(await store.findSession(ho, now), undefined);
    assert.equal(await store.sessionEndedBy(ho, now), "rotated");
    // the staged copies are gone: a second rotation needs fresh ones
    assert.deepEqual(await store.commitRotation(a.id, { ...update, eakGeneration: 2 }, keep.id, 10), { kind: "incomplete", items: [x, y] });
    await store.stageRotation(a.id, K, [{ id: x, revision: 3, data: bytes("X3") }]);
    await store.discardRotation(a.id);
    assert.deepEqual(await store.commitRotation(a.id, { ...update, eakGeneration: 2 }, keep.id, 1), { kind: "incomplete", items: [x] });
    assert.equal(await store.stageRotation(randomUUID(), K, []), undefined);
    assert.deepEqual(await store.commitRotation(randomUUID(), update, keep.id, 10), { kind: "no_account" });
  });

  test(`${name}: staged copies are kept only for stored items, and no larger than them`, async () => {
    const a = sampleAccount();
    const keep = sampleSession(a.id);
    await store.createAccount(a, keep, randomBytes(32));
    const x = randomUUID();
    await store.push(a.id, [{ id: x, baseRevision: 0, data: new Uint8Array(100) }], "s");
    const K = "H".repeat(43);
    const big = new Uint8Array(100 + STAGED_SLACK_BYTES + 1);
    assert.equal(
      await store.stageRotation(a.id, K, [
        { id: randomUUID(), revision: 1, data: new Uint8Array(10) }, // no such item: a session cannot fill the disk
        { id: x, revision: 1, data: big }, // far larger than what it re-encrypts
      ]),
      0,
    );
    assert.equal(await store.stageRotation(a.id, K, [{ id: x, revision: 1, data: new Uint8Array(100 + STAGED_SLACK_BYTES) }]), 1);
    const update = { authPublicKey: K, verifier: "bnY", wrappedEak: "bnc", eakGeneration: 1, emailEnabled: true };
    assert.equal((await store.commitRotation(a.id, update, keep.id, 10)).kind, "rotated");
  });

  test(`${name}: a key rotation replaces the sync profile with the one sealed under the new key, or drops it`, async () => {
    const a = sampleAccount();
    const keep = sampleSession(a.id);
    await store.createAccount(a, keep, randomBytes(32));
    await store.putSyncProfile(a.id, bytes("profile-old-key"), now);
    const update = { authPublicKey: "F".repeat(43), verifier: "bnY", wrappedEak: "bnc", eakGeneration: 1, emailEnabled: true };
    // an incomplete switch leaves the profile as it was
    await store.push(a.id, [{ id: randomUUID(), baseRevision: 0, data: bytes("i") }], "s");
    const incomplete = await store.commitRotation(
      a.id,
      { ...update, syncProfile: { data: bytes("profile-new-key"), updatedAt: now + 1 } },
      keep.id,
      10,
    );
    assert.equal(incomplete.kind, "incomplete");
    assert.deepEqual(await store.getSyncProfile(a.id), { data: bytes("profile-old-key"), updatedAt: now });
    await store.stageRotation(a.id, update.authPublicKey, [
      { id: (await store.pull(a.id, 0, 10))!.items[0]!.id, revision: 1, data: bytes("I") },
    ]);
    const r = await store.commitRotation(
      a.id,
      { ...update, syncProfile: { data: bytes("profile-new-key"), updatedAt: now + 1 } },
      keep.id,
      10,
    );
    assert.equal(r.kind, "rotated");
    assert.deepEqual(await store.getSyncProfile(a.id), { data: bytes("profile-new-key"), updatedAt: now + 1 });
    // a switch without a profile drops the old one: the new key could not open it
    await store.stageRotation(a.id, "G".repeat(43), [
      { id: (await store.pull(a.id, 0, 10))!.items[0]!.id, revision: 2, data: bytes("I2") },
    ]);
    assert.equal(
      (await store.commitRotation(a.id, { ...update, authPublicKey: "G".repeat(43), eakGeneration: 2 }, keep.id, 10)).kind,
      "rotated",
    );
    assert.equal(await store.getSyncProfile(a.id), undefined);
  });

  test(`${name}: events reach subscribers; an applied push announces its revision`, async () => {
    const a = sampleAccount();
    await store.createAccount(a, sampleSession(a.id), randomBytes(32));
    const seen: unknown[] = [];
    store.subscribe((e) => {
      if (e.type !== "pair" && e.accountId === a.id) seen.push(e);
    });
    await store.push(a.id, [{ id: randomUUID(), baseRevision: 0, data: bytes("e") }], "sess");
    await store.publish({ type: "account", accountId: a.id, eakGeneration: 1, resetEpoch: 0 });
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen, [
      { type: "revision", accountId: a.id, revision: 1, fromSession: "sess" },
      { type: "account", accountId: a.id, eakGeneration: 1, resetEpoch: 0 },
    ]);
  });

  test(`${name}: mailed codes are one-use, bound to purpose, die after MAX_CODE_ATTEMPTS wrong guesses and expire`, async () => {
    const hash = new Uint8Array(randomBytes(32));
    const code = {
      id: randomUUID(),
      purpose: "signup" as const,
      email: "a@example.org",
      codeHash: hash,
      payload: "{}",
      expiresAt: now + 1000,
    };
    await store.putMailCode(code);
    assert.equal(await store.takeMailCode(code.id, "forgot", hash, now), undefined, "wrong purpose");
    assert.equal(await store.takeMailCode(code.id, "signup", hash, now + 1000), undefined, "expired");
    const taken = await store.takeMailCode(code.id, "signup", hash, now);
    assert.equal(taken?.email, "a@example.org");
    assert.equal(taken?.payload, "{}");
    assert.equal(await store.takeMailCode(code.id, "signup", hash, now), undefined, "one use");

    await store.putMailCode(code);
    const wrong = new Uint8Array(randomBytes(32));
    for (let i = 0; i < MAX_CODE_ATTEMPTS - 1; i++) assert.equal(await store.takeMailCode(code.id, "signup", wrong, now), undefined);
    assert.ok(await store.takeMailCode(code.id, "signup", hash, now), "the right code still works before the last attempt");
    await store.putMailCode(code);
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) await store.takeMailCode(code.id, "signup", wrong, now);
    assert.equal(await store.takeMailCode(code.id, "signup", hash, now), undefined, "gone after too many wrong guesses");

    await store.putMailCode(code);
    await store.putMailCode({ ...code, codeHash: wrong }); // a new code replaces the old one
    assert.equal(await store.takeMailCode(code.id, "signup", hash, now), undefined);
    assert.ok(await store.takeMailCode(code.id, "signup", wrong, now));
    await store.putMailCode(code);
    await store.sweep(now + 1000);
    await store.putMailCode({ ...code, id: randomUUID() });
    assert.equal(await store.takeMailCode(code.id, "signup", hash, now), undefined, "swept");
  });

  test(`${name}: deleting with endedBy "reset" remembers the sessions as ended by a reset`, async () => {
    const a = sampleAccount();
    const hash = new Uint8Array(randomBytes(32));
    await store.createAccount(a, sampleSession(a.id, { expiresAt: now + 10_000 }), hash);
    assert.ok(await store.deleteAccount(a.id, "reset"));
    assert.equal(await store.getAccount(a.id), undefined);
    assert.equal(await store.findSession(hash, now), undefined);
    assert.equal(await store.sessionEndedBy(hash, now), "reset");
    assert.equal(await store.createAccount({ ...sampleAccount(), email: a.email }, sampleSession(a.id), randomBytes(32)), "created");
  });

  test(`${name}: sweep drops expired challenges and sessions`, async () => {
    const a = sampleAccount();
    const h = randomBytes(32);
    await store.createAccount(a, sampleSession(a.id, { expiresAt: now + 10 }), h);
    const c = randomBytes(32);
    await store.putChallenge(c, a.id, "signin", now + 10);
    await store.sweep(now + 10);
    assert.equal(await store.takeChallenge(c, a.id, "signin", now), false);
    assert.equal(await store.findSession(h, now), undefined);
  });

  test(`${name}: close`, async () => {
    await store.close();
  });
}
