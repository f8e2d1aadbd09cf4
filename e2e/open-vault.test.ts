// Core's OpenVault (session/open-vault.ts), the one object an app runs where its keys live (the web app's
// worker), against a real server and the CLI's real SQLite store: a keyless copy of the list made from its
// rows() and kept current by its change events equals the vault's own index through local saves, another
// device's change arriving over the live channel, and a purge; health, deep search and the current EAK answer
// without handing out a key; the session token is sealed at rest; closing stops the events.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type IndexEntry, VaultIndex } from "@cryptex/core/formats/vault-index.ts";
import { OpenVault, type SessionState } from "@cryptex/core/session/open-vault.ts";
import { deriveLocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let b: Device;

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("laptop");
  b = await world.signInDevice(a, "phone");
});
after(() => world.stop());

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sorted = (m: ReadonlyMap<string, IndexEntry>) => [...m.values()].sort((x, y) => x.id.localeCompare(y.id));

test("OpenVault: a keyless list copy follows saves, live remote changes and purges; health, deep search, EAK; close", async () => {
  // an item before opening, so the first rows come from the stored (opened) index segments
  const before = createItem({ type: "login", title: "Before open", fields: { username: "u0", password: "hunter2" } });
  await a.vault.save(before, null);

  const states: SessionState[] = [];
  let events = 0;
  let mirror: VaultIndex | undefined;
  const meta = (await a.store.readMeta())!;
  const opened = await OpenVault.open({
    store: a.store,
    keys: a.account.keys,
    local: await deriveLocalKeys(a.account.accountKey, a.account.accountId),
    meta,
    deviceName: "test laptop",
    api: () => a.api,
    onChange: (state, rows) => {
      events++;
      states.push(state);
      if (rows) mirror?.mirror(rows.upserts, rows.removed);
    },
  });
  try {
    // the session token: sealed at rest on opening, the clear one only in memory (and in the state shown)
    const storedToken = (await a.store.readMeta())!.sessionToken!;
    assert.match(storedToken, /^sealed1\./);
    assert.ok(!storedToken.includes(a.account.session.token));
    assert.equal(opened.state.meta.sessionToken, a.account.session.token);
    const rows = opened.rows();
    assert.ok(rows.every((r) => r instanceof Uint8Array) && rows.length > 0, "the list as plaintext segments");
    mirror = VaultIndex.fromPlain(rows);
    assert.deepEqual(sorted(mirror.entries), sorted(opened.vault.index.entries));
    assert.ok(mirror.entries.has(before.id));

    // a local save: the copy has it when save resolves, then the loop syncs it
    const mine = createItem({ type: "secure-note", title: "Local note", fields: {}, notes: "the purple elephant" });
    assert.equal((await opened.save(mine, null)).kind, "saved");
    assert.equal(mirror.entries.get(mine.id)?.title, "Local note");
    await until("synced", () => opened.state.sync.code === "synced" && opened.state.sync.status === "idle");

    // another device's change arrives over the live channel alone
    opened.startBackground();
    const theirs = createItem({ type: "login", title: "From the phone", fields: { username: "p", password: "password" } });
    await b.vault.save(theirs, null);
    await b.vault.sync(b.api);
    await until("the live change in the copy", () => mirror!.entries.has(theirs.id));
    assert.deepEqual(sorted(mirror.entries), sorted(opened.vault.index.entries));

    // purge: gone from the copy too
    await opened.purge(before.id, await opened.get(before.id));
    assert.ok(!mirror.entries.has(before.id));
    assert.deepEqual(sorted(mirror.entries), sorted(opened.vault.index.entries));

    // an attachment: sealed and uploaded here; the UI's item has its key blanked, and saving that item keeps it
    const bytes = new TextEncoder().encode("attached bytes ".repeat(1000));
    const withFile = await opened.attach(
      mine.id,
      { name: "a.txt", size: bytes.length, type: "text/plain" },
      (async function* () {
        yield bytes;
      })(),
    );
    const shown = withFile.attachments?.[0];
    assert.equal(shown?.name, "a.txt");
    assert.equal(shown?.key, "", "the UI never gets the attachment's key");
    const parts = await opened.openAttachment(mine.id, shown.id);
    assert.deepEqual(Buffer.concat(parts), Buffer.from(bytes));
    assert.equal((await opened.save({ ...withFile, title: "Local note, renamed" }, withFile)).kind, "saved");
    const stored = (await opened.vault.get(mine.id)).attachments?.[0];
    assert.equal(stored?.id, shown.id);
    assert.equal(stored?.key.length, 43, "the key is back in the stored item");
    assert.deepEqual(Buffer.concat(await opened.openAttachment(mine.id, shown.id)), Buffer.from(bytes));

    // health, deep search and the EAK for pairing, all answered as plain data
    const report = await opened.health();
    assert.ok(
      report.weak.some((w) => w.id === theirs.id),
      "the weak password is reported",
    );
    const docs = (await opened.deepDocs()) ?? [];
    assert.equal(await opened.deepDocs(), undefined, "unchanged: not sent again");
    assert.ok(docs.some(([id, , text]) => id === mine.id && text.includes("purple elephant")));
    const eak = await opened.currentEak();
    assert.equal(eak.eakText, a.account.eakText);
    assert.equal(eak.eakGeneration, a.account.eakGeneration);
    await opened.syncNow();
    assert.equal(await opened.unsyncedCount(), 0);
    assert.ok(states.length > 0 && states.every((s) => s.meta.accountId === a.account.accountId));
  } finally {
    opened.close();
  }
  // closed: another device's change brings no event
  const seen = events;
  await b.vault.save(createItem({ type: "login", title: "After close", fields: {} }), null);
  await b.vault.sync(b.api);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(events, seen, "no event after close");
});
