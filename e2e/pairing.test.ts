// Approving a new device from one you already have (issue 14), through the real server's relay behind the
// hostile proxy: the honest flows A and B, then a relay that drops, delays, replays, reorders, swaps or
// injects messages, racing claimants, used and mistyped codes, another origin, a refusal, a stale approver.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createHttpsFetch } from "@cryptex/cli/src/net/https-fetch.ts";
import {
  approveDevice,
  createPairRelayClient,
  isCryptexError,
  newPairingSecret,
  PairingChannel,
  type PairingRequestView,
  pairingCodeText,
  pairingKeys,
  pairingUri,
  parsePairingCode,
  signInByPairing,
} from "@cryptex/core";
import { changePassword, type OpenedAccount, signIn, unlockWithPassword } from "@cryptex/core/client/account.ts";
import { type Device, STRONG_PASSWORD, startWorld, type World } from "./support/devices.ts";

let world: World;
let e: Device;
const TTL = 5000; // short lifetimes so a pairing the relay sabotaged ends quickly
const HONEST_TTL = 120_000; // long enough for Argon2id on a loaded machine

before(async () => {
  world = await startWorld();
  e = await world.signUpDevice("laptop");
});
after(() => world.stop());
const honest = () => {
  world.proxy.onAnswer(undefined);
  world.proxy.onRequest(undefined);
};
const relay = () => createPairRelayClient({ baseUrl: world.proxy.url, fetch: createHttpsFetch(world.server.caPem), timeoutMs: 20_000 });

interface Run {
  n: PromiseSettledResult<Awaited<ReturnType<typeof signInByPairing<OpenedAccount>>>>;
  e: PromiseSettledResult<Awaited<ReturnType<typeof approveDevice>>>;
  shown: { n?: string; e?: PairingRequestView };
  channel: string;
}

/** Flow A (the new device shows the code, the approver scans it) or B (the approver shows it). */
async function pair(
  approver: Device,
  o: { flow?: "A" | "B"; password?: string; confirm?: (r: PairingRequestView) => boolean; ttlMs?: number } = {},
): Promise<Run> {
  const origin = approver.api.origin;
  const secret = newPairingSecret();
  const shown: Run["shown"] = {};
  const newApi = world.api();
  const opts = { relay: relay(), origin, ttlMs: o.ttlMs ?? HONEST_TTL };
  const opened = await PairingChannel.open({ ...opts, secret });
  const scanned = parsePairingCode(pairingUri(secret, origin), origin);
  const joined = () => PairingChannel.join({ ...opts, relay: relay(), secret: scanned });
  const nChannel = o.flow === "B" ? joined : opened.connect;
  const eChannel = o.flow === "B" ? opened.connect : joined;
  const [n, ee] = await Promise.allSettled([
    nChannel().then((channel) => {
      shown.n = channel.comparison;
      return signInByPairing({
        origin,
        channel,
        email: approver.email,
        deviceName: "phone",
        platform: "test",
        signIn: (eakText) =>
          signIn({ api: newApi, email: approver.email, password: o.password ?? approver.password, eakText, deviceName: "phone" }),
      });
    }),
    eChannel().then((channel) =>
      approveDevice({
        api: approver.api,
        keys: approver.account.keys,
        email: approver.email,
        channel,
        confirm: async (r) => {
          shown.e = r;
          return o.confirm ? o.confirm(r) : r.comparison === shown.n;
        },
      }),
    ),
  ]);
  return { n, e: ee, shown, channel: opened.channel };
}

const reason = (r: PromiseSettledResult<unknown>) => (r.status === "rejected" ? (r.reason as { code?: string }).code : "fulfilled");

test("flow A: the new device shows the code, the approver confirms the same comparison code; N signs in with the keys", async () => {
  const run = await pair(e);
  assert.equal(run.n.status, "fulfilled", String((run.n as PromiseRejectedResult).reason));
  assert.equal(run.e.status, "fulfilled");
  assert.match(run.shown.n!, /^\d{6}$/);
  assert.equal(run.shown.e!.comparison, run.shown.n);
  assert.equal(run.shown.e!.deviceName, "phone");
  const account = (run.n as PromiseFulfilledResult<Awaited<ReturnType<typeof signInByPairing<OpenedAccount>>>>).value;
  assert.equal(account.accountId, e.account.accountId);
  assert.deepEqual(account.accountKey, e.account.accountKey);
  assert.deepEqual((run.e as PromiseFulfilledResult<Awaited<ReturnType<typeof approveDevice>>>).value, {
    approved: true,
    request: { v: 1, deviceName: "phone", platform: "test", email: e.email },
    signedIn: true,
  });
  // The relay saw only the channel id and ciphertext: never the EAK, the secret, the password or the e-mail.
  const relayed = world.proxy.captured.filter((x) => x.path.startsWith("/api/v1/pair/"));
  assert.ok(relayed.length >= 6);
  const eakBody = e.account.eakText.slice("CRYPTEX:".length);
  for (const x of relayed) {
    const text = x.requestBody.toString("latin1") + x.body.toString("latin1");
    for (const secret of [eakBody, e.password, e.email, "phone"]) assert.ok(!text.includes(secret), `${x.path} leaks`);
    assert.ok(x.path.includes(run.channel));
  }
});

test("flow B: the approver shows the code and the new device joins", async () => {
  const run = await pair(e, { flow: "B" });
  assert.equal(reason(run.n), "fulfilled");
  assert.equal(reason(run.e), "fulfilled");
});

test("a wrong comparison code: the user refuses, nothing is sent, the new device is told", async () => {
  const before = world.proxy.captured.length;
  const run = await pair(e, { confirm: () => false });
  assert.equal(reason(run.n), "pair_rejected");
  assert.equal(reason(run.e), "fulfilled");
  assert.equal((run.e as PromiseFulfilledResult<{ approved: boolean }>).value.approved, false);
  const eakBody = e.account.eakText.slice("CRYPTEX:".length);
  for (const x of world.proxy.captured.slice(before)) assert.ok(!x.requestBody.includes(eakBody));
  // the refusal is small: no 125-byte EAK went out on the approver's side
  const answers = world.proxy.captured.slice(before).filter((x) => x.method === "PUT" && /\/pair\/[^/]+\/b\/1$/.test(x.path));
  assert.equal(answers.length, 1);
  assert.ok(answers[0]!.requestBody.length < 120, String(answers[0]!.requestBody.length));
});

test("a relay that drops a long-poll once and delays every post: pairing still completes", async () => {
  let dropped = 0;
  world.proxy.onAnswer((x) => {
    if (x.method === "GET" && x.path.includes("/pair/") && dropped++ === 0) return { drop: true };
    if (x.method === "PUT" && x.path.includes("/pair/")) return { delayMs: 400 };
    return undefined;
  });
  const run = await pair(e);
  honest();
  assert.ok(dropped > 0);
  assert.equal(reason(run.n), "fulfilled");
  assert.equal(reason(run.e), "fulfilled");
});

test("a relay that loses the answer to a stored message: the sender retries and the pairing completes", async () => {
  let lost = 0;
  world.proxy.onAnswer((x) => (x.method === "PUT" && /\/a\/1$/.test(x.path) && lost++ === 0 ? { drop: true } : undefined));
  const run = await pair(e);
  honest();
  assert.equal(lost > 0, true);
  assert.equal(reason(run.n), "fulfilled");
  assert.equal(reason(run.e), "fulfilled");
});

/** Makes the proxy answer the long-poll for `slot` ("a/1" …) with `body` (base64url) once. */
function forge(slot: string, body: (x: { path: string }) => string | Promise<string>) {
  let done = false;
  world.proxy.onAnswer(async (x) => {
    if (done || x.method !== "GET" || !x.path.endsWith(`/${slot}`) || x.status !== 200) return undefined;
    done = true;
    return { json: { body: await body(x) } };
  });
}

async function fromServer(path: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const r = await createHttpsFetch(world.server.caPem)(`${world.server.url}${path}`, { method: "GET" });
    if (r.status === 200) return ((await r.json()) as { body: string }).body;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`nothing at ${path}`);
}

const failsClearly = (run: Run) => {
  assert.ok(["tampered", "pair_timeout", "pair_rejected"].includes(String(reason(run.n))), `N: ${reason(run.n)}`);
  assert.notEqual(reason(run.e), "fulfilled");
};

test("a relay that injects random bytes as the new device's request: the approver aborts, N fails clearly", async () => {
  forge("a/1", () => Buffer.from(crypto.getRandomValues(new Uint8Array(90))).toString("base64url"));
  const run = await pair(e, { ttlMs: TTL });
  honest();
  assert.equal(reason(run.e), "tampered");
  failsClearly(run);
});

test("a relay that replays the handshake message in place of the request: tampered", async () => {
  forge("a/1", (x) => fromServer(x.path.replace(/\/a\/1$/, "/a/0")));
  const run = await pair(e, { ttlMs: TTL });
  honest();
  assert.equal(reason(run.e), "tampered");
  failsClearly(run);
});

test("a relay that reorders (the request handed over as the handshake answer): tampered", async () => {
  forge("a/0", (x) => fromServer(x.path.replace(/\/a\/0$/, "/a/1")));
  const run = await pair(e, { ttlMs: TTL });
  honest();
  assert.equal(reason(run.e), "tampered");
  failsClearly(run);
});

test("a relay that swaps in another pairing's handshake message: tampered, no key accepted", async () => {
  const first = await pair(e);
  assert.equal(reason(first.n), "fulfilled");
  const theirs = await fromServer(`/api/v1/pair/${first.channel}/a/0`);
  forge("a/0", () => theirs);
  const run = await pair(e, { ttlMs: TTL });
  honest();
  assert.equal(reason(run.e), "tampered");
  failsClearly(run);
});

test("two claimants race for one code: exactly one gets the channel, the other is told the code is used", async () => {
  const origin = e.api.origin;
  const secret = newPairingSecret();
  const opened = await PairingChannel.open({ relay: relay(), secret, origin, ttlMs: TTL });
  const [connected, ...joins] = await Promise.allSettled([
    opened.connect(),
    ...[1, 2, 3].map(() => PairingChannel.join({ relay: relay(), secret, origin, ttlMs: TTL })),
  ]);
  assert.equal(joins.filter((j) => reason(j) === "pair_used").length, 2, joins.map(reason).join());
  assert.equal(joins.filter((j) => j.status === "fulfilled").length, 1);
  assert.equal(connected!.status, "fulfilled");
});

test("a used code cannot be claimed again; a mistyped code finds no device; a code of another origin is refused", async () => {
  const origin = e.api.origin;
  const secret = newPairingSecret();
  await PairingChannel.open({ relay: relay(), secret, origin, ttlMs: TTL });
  await relay().claim((await pairingKeys(secret, origin)).channel);
  await assert.rejects(PairingChannel.join({ relay: relay(), secret, origin }), (x) => isCryptexError(x, "pair_used"));

  const typed = pairingCodeText(secret);
  const i = 10;
  const wrong = typed.slice(0, i) + (typed[i] === "Q" ? "R" : "Q") + typed.slice(i + 1);
  await assert.rejects(PairingChannel.join({ relay: relay(), secret: parsePairingCode(wrong, origin), origin }), (x) =>
    isCryptexError(x, "pair_unknown"),
  );
  assert.throws(
    () => parsePairingCode(typed.slice(0, 20), origin),
    (x) => isCryptexError(x, "invalid_input"),
  );
  assert.throws(
    () => parsePairingCode(`${typed.slice(0, 5)}1${typed.slice(6)}`, origin),
    (x) => isCryptexError(x, "invalid_input"),
  );
  assert.throws(
    () => parsePairingCode(pairingUri(secret, "https://evil.example"), origin),
    (x) => isCryptexError(x, "origin_mismatch"),
  );
});

test("devices that disagree on the server origin cannot complete the handshake", async () => {
  const secret = newPairingSecret();
  const opened = await PairingChannel.open({ relay: relay(), secret, origin: e.api.origin, ttlMs: TTL });
  const results = await Promise.allSettled([
    opened.connect(),
    PairingChannel.join({ relay: relay(), secret, origin: "https://evil.example", ttlMs: TTL }),
  ]);
  assert.equal(reason(results[0]!), "tampered");
  assert.notEqual(results[1]!.status, "fulfilled");
});

test("a stale approver (password changed on another device) still gives the new device the newest key", async () => {
  const owner = await world.signUpDevice("desk");
  const other = await world.signInDevice(owner, "tablet");
  const unlocked = await unlockWithPassword({ accountId: other.account.accountId, eak: other.account.eak.bytes }, other.password);
  const newPassword = `${STRONG_PASSWORD} again`;
  const changed = await changePassword(other.api, unlocked, other.account.eakGeneration, newPassword, false);
  assert.equal(changed.eakGeneration, 1);
  // `owner` still holds generation 0 locally; the new device knows the new password
  const run = await pair(owner, { password: newPassword });
  assert.equal(reason(run.n), "fulfilled", String((run.n as PromiseRejectedResult).reason));
  const account = (run.n as PromiseFulfilledResult<Awaited<ReturnType<typeof signInByPairing<OpenedAccount>>>>).value;
  assert.equal(account.eakGeneration, 1);
  assert.equal(account.eakText, changed.eakText);
});

test("the new device's wrong password: it fails with wrong_password and the approver hears so", async () => {
  const run = await pair(e, { password: "not the password at all 123" });
  assert.equal(reason(run.n), "wrong_password");
  const out = (run.e as PromiseFulfilledResult<{ signedIn: boolean; reason?: string }>).value;
  assert.equal(out.signedIn, false);
  assert.equal(out.reason, "wrong_password");
});
