// The plaintext-leak scanner (issue 6): canaries planted in every field of every template, in titles, tags,
// notes, custom field names, planted timestamps and every Account Password; a whole life cycle through the
// real server (sign-up with mail, new device from the outbox QR, sync, edits, a conflict, a CLI device that
// runs `cryptex export`, password change, account reset); then every byte the server side holds or saw is scanned: data folder (SQLite + WAL + SHM,
// outbox), a PostgreSQL dump, server logs, every HTTP body through the proxy. Zero hits, on both stores.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { qrPngFromOutbox, runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { changePassword, resetAccount, unlockWithPassword } from "@cryptex/core/client/account.ts";
import { readExport } from "@cryptex/core/export/cryptex-export.ts";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import { createItem, editItem, type Item } from "@cryptex/core/vault/item.ts";
import { TEMPLATES } from "@cryptex/core/vault/templates.ts";
import { type RunningPostgres, startPostgres } from "@cryptex/server/src/testing/postgres.ts";
import { startWorld } from "./support/devices.ts";
import { encodings, filesUnder, scan } from "./support/leak-scan.ts";

const canary = (tag: string) => `cx${tag}${randomBytes(9).toString("hex")}Q`;
let pg: RunningPostgres | undefined;
after(() => pg?.stop());

test("the scanner itself finds a canary in each encoding it claims", () => {
  const secret = canary("self");
  for (const e of encodings(secret)) {
    const blob = Buffer.concat([randomBytes(7), Buffer.from(`..${e.bytes.toString("latin1")}..`, "latin1"), randomBytes(5)]);
    assert.equal(scan([{ where: e.name, bytes: blob }], [secret]).length > 0, true, e.name);
  }
  const wrapped = Buffer.from(`{"x":"${Buffer.from(`prefix-${secret}-suffix`).toString("base64")}"}`);
  assert.ok(scan([{ where: "b64", bytes: wrapped }], [secret]).length > 0, "inside a larger base64 value");
  assert.deepEqual(scan([{ where: "clean", bytes: randomBytes(4096) }], [secret]), []);
});

async function lifeCycle(databaseUrl?: string) {
  const world = await startWorld(databaseUrl ? { databaseUrl } : {});
  try {
    const secrets: string[] = [];
    const exportFiles: Buffer[] = [];
    const plant = (tag: string) => {
      const c = canary(tag);
      secrets.push(c);
      return c;
    };
    const email = `${canary("mail").toLowerCase()}@example.test`; // the e-mail is stored in the clear by design: not a secret
    const password = `Pw ${plant("pw1")} horse`;
    const a = await world.signUpDevice("laptop", { email, password, sendEmail: true });
    secrets.push(a.account.accountKey);
    let t = 1_111_111_111_111;
    const items: Item[] = [];
    for (const tpl of TEMPLATES) {
      const fields: Record<string, string> = {};
      for (const f of tpl.fields) fields[f.name] = plant(`${tpl.type}-${f.name}`.replace(/[^a-z]/gi, ""));
      fields[plant("customname")] = plant("customvalue");
      const at = t++;
      secrets.push(String(at));
      const item = createItem(
        { type: tpl.type, title: plant("title"), fields, notes: plant("notes"), tags: [plant("tag"), plant("tag")] },
        at,
      );
      items.push(item);
      await a.vault.save(item, null);
    }
    await a.vault.sync(a.api);

    // a new device from the QR in the outbox mail
    const eakText = decodeQrImage(qrPngFromOutbox(world.server.outboxDir, email));
    const b = await world.signInDevice(a, "phone", eakText);
    await b.vault.sync(b.api);
    assert.equal(b.vault.list().length, items.length);

    // edits on both sides of one item: a conflict, both versions kept
    const first = items[0]!;
    const baseA = await a.vault.get(first.id);
    await a.vault.save(editItem(baseA, { title: plant("edit-a"), notes: plant("edit-a-notes") }), baseA);
    const baseB = await b.vault.get(first.id);
    await b.vault.save(editItem(baseB, { title: plant("edit-b"), fields: { password: plant("edit-b-pw") } }), baseB);
    await a.vault.sync(a.api);
    const r = await b.vault.sync(b.api);
    assert.equal(r.conflicts.length, 1);
    await b.vault.purge(items[1]!.id, await b.vault.get(items[1]!.id));
    await b.vault.sync(b.api);
    await a.vault.sync(a.api);

    // `cryptex export` on a CLI device of the account (through the proxy): the file stays on the device
    const cliHome = join(world.dir, "cli-export");
    const ca = join(world.dir, "ca.pem");
    writeFileSync(ca, world.server.caPem);
    const cliEnv = { NODE_EXTRA_CA_CERTS: ca };
    const signedIn = await runCli(["signin", "--server", world.proxy.url, "--email", email, "--qr-text", eakText, "--password-stdin"], {
      home: cliHome,
      stdin: `${password}\n`,
      env: cliEnv,
    });
    assert.equal(signedIn.code, 0, signedIn.stderr);
    const exportFile = join(cliHome, "export.cxex");
    const exportPassword = `Ex ${plant("exportpw")} lantern`;
    const exported = await runCli(["export", "--out", exportFile, "--password-stdin"], {
      home: cliHome,
      stdin: `${password}\n${exportPassword}\n`,
      env: cliEnv,
    });
    assert.equal(exported.code, 0, exported.stderr);
    const exportBytes = readFileSync(exportFile);
    const inExport = await readExport(new Uint8Array(exportBytes), exportPassword);
    assert.equal(inExport.length, a.vault.list().length, "the export holds the vault");
    assert.deepEqual(scan([{ where: "export file", bytes: exportBytes }], secrets), [], "the export file is encrypted");
    exportFiles.push(exportBytes);

    // password change on A; B learns it
    const newPassword = `Pw ${plant("pw2")} battery`;
    const unlocked = await unlockWithPassword({ accountId: a.account.accountId, eak: a.account.eak.bytes }, password);
    const changed = await changePassword(a.api, unlocked, 0, newPassword, true);
    await a.store.write({ meta: { eak: changed.eak.bytes, eakGeneration: changed.eakGeneration } });
    assert.equal((await b.vault.sync(b.api)).passwordChanged, true);

    // account reset: a new Account Key
    const unlocked2 = await unlockWithPassword({ accountId: a.account.accountId, eak: changed.eak.bytes }, newPassword);
    const reset = await resetAccount(a.api, unlocked2, email, `Pw ${plant("pw3")} staple`, true);
    secrets.push(reset.accountKey);

    const sources = [
      ...filesUnder(world.server.dataDir).filter((f) => !f.where.includes("/tls/")),
      { where: "server logs", bytes: Buffer.from(world.server.logs()) },
      ...world.proxy.captured.flatMap((x, i) => [
        { where: `request ${i} ${x.method} ${x.path}`, bytes: Buffer.concat([Buffer.from(x.path), x.requestBody]) },
        { where: `answer ${i} ${x.method} ${x.path}`, bytes: x.body },
      ]),
    ];
    if (pg) sources.push({ where: "pg_dump", bytes: Buffer.from(await pg.dump()) });
    // the export never left the device: its bytes appear nowhere on the server side
    const exportHead = exportFiles[0]!.subarray(47, 47 + 64);
    assert.deepEqual(
      sources.filter((s) => s.bytes.includes(exportHead) || s.bytes.includes(Buffer.from(exportHead.toString("base64")))),
      [],
      "no trace of the export file on the server side",
    );
    assert.ok(
      sources.some((s) => s.where.endsWith(".eml")),
      "the outbox was scanned",
    );
    assert.ok(databaseUrl || sources.some((s) => /\.(sqlite|db)(-wal)?$/.test(s.where)), "the SQLite files were scanned");
    // positive control: the e-mail address is stored in the clear by design, so the scan must find it
    assert.ok(
      scan(sources, [email]).some((h) => h.encoding === "utf8"),
      "the scanner sees the server's data",
    );
    const hits = scan(sources, secrets);
    assert.deepEqual(hits, [], `leaks: ${JSON.stringify(hits.slice(0, 5))}`);
    // the item types of the planted items are not visible in item traffic either
    const itemTraffic = sources.filter((s) => s.where.includes("/api/v1/items"));
    const typeHits = scan(
      itemTraffic,
      TEMPLATES.map((x) => `"type":"${x.type}"`),
    );
    assert.deepEqual(typeHits, []);
    return { secrets: secrets.length, bytes: sources.reduce((n, s) => n + s.bytes.length, 0) };
  } finally {
    await world.stop();
  }
}

test("leak scanner over SQLite: zero hits", async () => {
  const r = await lifeCycle();
  assert.ok(r.secrets > 100 && r.bytes > 10_000);
});

test("leak scanner over PostgreSQL: zero hits", async () => {
  pg = await startPostgres();
  const r = await lifeCycle(pg.url);
  assert.ok(r.secrets > 100 && r.bytes > 10_000);
});
