// Attachments through the real `cryptex` program and the real server, behind a proxy that can lie: attach, list,
// lazy get on another device, sync --attachments, rm and purge removing the server's blob after the sync, an
// interrupted upload and download that resume, and a server that swaps, truncates, replays, pads or flips blob
// bytes: a clear error, a non-zero exit, nothing written to --out. The server's blob files never hold plaintext.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type CliResult, runCli } from "@cryptex/cli/src/testing/run-cli.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let env: Record<string, string>;
const sessions = new Map<string, string>();

const cli = (home: string, args: string[], stdin = ""): Promise<CliResult> => {
  const s = sessions.get(home);
  return runCli(args, { home, stdin, env: { ...env, ...(s ? { CRYPTEX_SESSION: s } : {}) } });
};
const ok = async (home: string, args: string[], stdin = "") => {
  const r = await cli(home, args, stdin);
  assert.equal(r.code, 0, `cryptex ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r;
};
const noStack = (r: CliResult) => assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, "no stack trace");
const honest = () => {
  world.proxy.onAnswer(undefined);
  world.proxy.onRequest(undefined);
};

/** A CLI device signed in to the account through the proxy, unlocked for the test's commands. */
async function cliDevice(name: string): Promise<string> {
  const home = join(world.dir, name);
  await ok(
    home,
    ["signin", "--server", world.proxy.url, "--email", a.email, "--qr-text", a.account.eakText, "--password-stdin"],
    `${a.password}\n`,
  );
  sessions.set(home, (await ok(home, ["unlock", "--raw", "--password-stdin"], `${a.password}\n`)).stdout.trim());
  await ok(home, ["sync"]);
  return home;
}

/** A file whose plaintext has a marker the leak checks look for, and random bytes after it. */
function makeFile(name: string, size: number): { path: string; bytes: Buffer } {
  const marker = Buffer.from(`PLAINTEXT-MARKER-${name}-`);
  const bytes = Buffer.concat([marker, randomBytes(size - marker.length)]);
  const path = join(world.dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

const blobDir = () => join(world.server.dataDir, "blobs", a.account.accountId);
const serverBlobs = () => (existsSync(blobDir()) ? readdirSync(blobDir()) : []);
const listJson = async (home: string, title: string) =>
  JSON.parse((await ok(home, ["attachment", "list", title, "--json"])).stdout) as {
    attachments: { id: string; name: string; size: number; type: string; local: boolean }[];
  };

let laptop: string;
let phone: string;
let scan: { path: string; bytes: Buffer };
let scanId: string;

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("engine");
  await a.vault.save(createItem({ type: "login", title: "Bank", fields: { username: "me", password: "pw" } }), null);
  await a.vault.save(createItem({ type: "login", title: "Old", fields: { username: "me", password: "pw" } }), null);
  await a.vault.sync(a.api);
  writeFileSync(join(world.dir, "ca.pem"), world.server.caPem);
  env = { NODE_EXTRA_CA_CERTS: join(world.dir, "ca.pem") };
  laptop = await cliDevice("laptop");
  phone = await cliDevice("phone");
});
after(() => world?.stop());

test("attach, list, and a lazy get on another device give the same bytes; the server holds only sealed bytes", async () => {
  scan = makeFile("scan.pdf", 300_000);
  const r = await ok(laptop, ["attach", "Bank", scan.path, "--json"]);
  scanId = JSON.parse(r.stdout).attachment;
  const mine = await listJson(laptop, "Bank");
  assert.deepEqual(
    mine.attachments.map((x) => [x.name, x.size, x.type, x.local]),
    [["scan.pdf", 300_000, "application/pdf", true]],
  );
  // the server's file: sealed, and neither the marker nor any 32-byte run of the file appears in it
  const onServer = readFileSync(join(blobDir(), scanId));
  assert.equal(onServer.length, 300_000 + 5 * 28, "5 chunks of 64 KiB, 28 bytes of nonce and tag each");
  assert.equal(onServer.includes(Buffer.from("PLAINTEXT-MARKER")), false);
  for (let at = 0; at < scan.bytes.length; at += 50_000) assert.equal(onServer.includes(scan.bytes.subarray(at, at + 32)), false);
  for (const x of world.proxy.captured.filter((c) => c.path.startsWith("/api/v1/blobs/")))
    assert.equal(x.requestBody.includes(Buffer.from("PLAINTEXT-MARKER")), false, "no upload carries plaintext");

  await ok(phone, ["sync"]);
  const theirs = await listJson(phone, "Bank");
  assert.equal(theirs.attachments[0]?.local, false, "not fetched until opened");
  const out = join(world.dir, "phone-scan.pdf");
  await ok(phone, ["attachment", "get", "Bank", "scan.pdf", "--out", out]);
  assert.deepEqual(readFileSync(out), scan.bytes);
  assert.equal((await listJson(phone, "Bank")).attachments[0]?.local, true, "kept (sealed) once fetched");

  const tablet = await cliDevice("tablet");
  const s = await ok(tablet, ["sync", "--attachments"]);
  assert.match(s.stdout, /Attachments: 1 downloaded/);
  assert.equal((await listJson(tablet, "Bank")).attachments[0]?.local, true);
});

test("a lying server that swaps, truncates, replays, pads or flips a blob is caught: exit 9, nothing at --out", async () => {
  const other = makeFile("other.txt", 70_000);
  const otherId = JSON.parse((await ok(laptop, ["attach", "Bank", other.path, "--json"])).stdout).attachment as string;
  const real = readFileSync(join(blobDir(), scanId));
  const otherBlob = readFileSync(join(blobDir(), otherId));
  const frame = 65536 + 28;
  const flipped = Buffer.from(real);
  flipped[100_000]! ^= 0x01;
  const attacks: [string, Buffer][] = [
    ["swap in another attachment's blob", otherBlob],
    ["cut at a chunk boundary", real.subarray(0, 4 * frame)],
    ["cut mid-chunk", real.subarray(0, real.length - 7)],
    ["replay a chunk in place of the next", Buffer.concat([real.subarray(0, frame), real.subarray(0, frame), real.subarray(2 * frame)])],
    ["pad with a chunk", Buffer.concat([real, real.subarray(0, frame)])],
    ["flip one bit", flipped],
  ];
  for (const [what, bytes] of attacks) {
    const home = await cliDevice(`victim-${attacks.findIndex((x) => x[0] === what)}`);
    await ok(home, ["sync"]);
    world.proxy.onAnswer((x) =>
      x.method === "GET" && x.path.startsWith(`/api/v1/blobs/${scanId}`)
        ? { raw: bytes, contentType: "application/octet-stream" }
        : undefined,
    );
    const out = join(world.dir, `attacked-${what.replaceAll(" ", "-")}`);
    const r = await cli(home, ["attachment", "get", "Bank", "scan.pdf", "--out", out]);
    honest();
    assert.equal(r.code, 9, `${what}: exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, /integrity|verif|more bytes|cut short/i, what);
    noStack(r);
    assert.equal(existsSync(out), false, `${what}: nothing written to --out`);
    assert.deepEqual(
      readdirSync(world.dir).filter((n) => n.startsWith(`attacked-${what.replaceAll(" ", "-")}`)),
      [],
      `${what}: no temporary file left beside --out`,
    );
    // the bad copy was not kept: with the honest server the same command succeeds
    await ok(home, ["attachment", "get", "Bank", "scan.pdf", "--out", out]);
    assert.deepEqual(readFileSync(out), scan.bytes, what);
  }
  // sync --attachments verifies what it downloads, and says which one failed
  const home = await cliDevice("victim-sync");
  world.proxy.onAnswer((x) =>
    x.method === "GET" && x.path.startsWith(`/api/v1/blobs/${otherId}`)
      ? { raw: real, contentType: "application/octet-stream" }
      : undefined,
  );
  const r = await cli(home, ["sync", "--attachments"]);
  honest();
  assert.equal(r.code, 9, r.stderr);
  assert.match(r.stderr, /"other\.txt" failed verification/);
  noStack(r);
});

test("an interrupted upload resumes with cryptex sync; an interrupted download resumes from its part", async () => {
  const big = makeFile("big.bin", 20 * 1024 * 1024);
  let puts = 0;
  world.proxy.onRequest((x) => (x.method === "PUT" && x.path.startsWith("/api/v1/blobs/") && ++puts === 2 ? { drop: true } : undefined));
  const r = await cli(laptop, ["attach", "Old", big.path]);
  honest();
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /cryptex sync goes on/);
  noStack(r);
  const id = (await listJson(laptop, "Old")).attachments[0]!.id;
  const before = world.proxy.captured.length;
  const s = await ok(laptop, ["sync"]);
  assert.match(s.stdout, /Attachments: 1 uploaded/);
  const resumed = world.proxy.captured.slice(before).filter((c) => c.method === "PUT" && c.path.startsWith(`/api/v1/blobs/${id}`));
  const first = world.proxy.captured.find((c) => c.method === "PUT" && c.path.startsWith(`/api/v1/blobs/${id}?offset=0&`))!;
  assert.ok(first.requestBody.length > 16 * 1024 * 1024, "the first piece went before the cut");
  assert.match(resumed[0]!.path, new RegExp(`offset=${first.requestBody.length}&`), "went on from the first piece the server kept");

  // a download cut after 1 MiB goes on from there
  await ok(phone, ["sync"]);
  const sealed = readFileSync(join(blobDir(), id));
  writeFileSync(join(phone, "attachments", `${id}.part`), sealed.subarray(0, 1024 * 1024));
  const mark = world.proxy.captured.length;
  const out = join(world.dir, "phone-big.bin");
  await ok(phone, ["attachment", "get", "Old", "big.bin", "--out", out]);
  assert.deepEqual(readFileSync(out), big.bytes);
  const gets = world.proxy.captured.slice(mark).filter((c) => c.method === "GET" && c.path.startsWith(`/api/v1/blobs/${id}`));
  assert.deepEqual(
    gets.map((g) => g.path),
    [`/api/v1/blobs/${id}?offset=${1024 * 1024}`],
  );
});

test("rm and purge remove the server's blob once the change has synced", async () => {
  assert.ok(serverBlobs().includes(scanId));
  await ok(laptop, ["attachment", "rm", "Bank", "scan.pdf"]);
  assert.ok(serverBlobs().includes(scanId), "kept until the edit reaches the server");
  const s = await ok(laptop, ["sync"]);
  assert.match(s.stdout, /1 removed from the server/);
  assert.equal(serverBlobs().includes(scanId), false);
  assert.equal(
    (await listJson(laptop, "Bank")).attachments.some((x) => x.id === scanId),
    false,
  );

  const oldId = (await listJson(laptop, "Old")).attachments[0]!.id;
  await ok(laptop, ["rm", "Old"]);
  await ok(laptop, ["sync"]);
  assert.ok(serverBlobs().includes(oldId), "an item in the trash keeps its attachments");
  await ok(laptop, ["purge", "Old"]);
  await ok(laptop, ["sync"]);
  assert.equal(serverBlobs().includes(oldId), false, "gone with the tombstone");
  // the other device learns the removal by sync and asks for nothing
  await ok(phone, ["sync"]);
  assert.equal(
    (await listJson(phone, "Bank")).attachments.some((x) => x.id === scanId),
    false,
  );
});

test("bad input: a missing file, an unknown attachment and a missing --out are clear errors", async () => {
  const missing = await cli(laptop, ["attach", "Bank", join(world.dir, "nope.bin")]);
  assert.equal(missing.code, 17);
  assert.match(missing.stderr, /cannot read/);
  const unknown = await cli(laptop, ["attachment", "get", "Bank", "nope.pdf", "--out", join(world.dir, "x")]);
  assert.equal(unknown.code, 3);
  const noOut = await cli(laptop, ["attachment", "get", "Bank", "other.txt"]);
  assert.equal(noOut.code, 2);
  const intoDir = await cli(laptop, ["attachment", "get", "Bank", "other.txt", "--out", world.dir]);
  assert.equal(intoDir.code, 17, intoDir.stderr);
  assert.match(intoDir.stderr, /cannot write/);
  for (const r of [missing, unknown, noOut, intoDir]) noStack(r);
});
