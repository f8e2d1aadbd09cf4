// A lying server vs. keys and sign-in (issue 6, attacks 3, 4, 5a, 5c): foreign verifiers and EAKs, KDF
// downgrades, unknown or "legacy unencrypted" formats, forged password changes, replayed challenges, fake
// live events. Real server behind the hostile proxy; real core client and engine over real SQLite.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sha256 } from "@cryptex/core";
import { signIn } from "@cryptex/core/client/account.ts";
import { ApiError } from "@cryptex/core/client/api-client.ts";
import { b64uDecode, b64uEncode } from "@cryptex/core/encoding/base64.ts";
import { isCryptexError } from "@cryptex/core/errors.ts";
import { eakToText, parseEak, parseEakText } from "@cryptex/core/formats/eak.ts";
import { createItem } from "@cryptex/core/vault/item.ts";
import type { PullAnswer } from "@cryptex/core/wire/api.ts";
import { type Device, startWorld, type World } from "./support/devices.ts";

let world: World;
let a: Device;
let other: Device;

before(async () => {
  world = await startWorld();
  a = await world.signUpDevice("laptop");
  other = await world.signUpDevice("intruder");
  await a.vault.save(createItem({ type: "login", title: "k1", fields: { password: "k1-secret" } }), null);
  await a.vault.sync(a.api);
});
after(() => world.stop());
const honest = () => {
  world.proxy.onAnswer(undefined);
  world.proxy.onRequest(undefined);
};
const onAccount = (f: (acc: Record<string, unknown>) => Record<string, unknown>) =>
  world.proxy.onAnswer((x) =>
    x.method === "GET" && x.path === "/api/v1/account" ? { json: f(x.json as Record<string, unknown>) } : undefined,
  );

/** The EAK text with its KDF memory parameter rewritten and the checksum fixed (a careful forger). */
function withMemory(eakText: string, kib: number): string {
  const bytes = parseEak(parseEakText(eakText).bytes).bytes.slice();
  new DataView(bytes.buffer).setUint32(22, kib, false);
  bytes.set(sha256(bytes.subarray(0, 121)).subarray(0, 4), 121);
  return eakToText(parseEakUnchecked(bytes));
}
const parseEakUnchecked = (bytes: Uint8Array) => ({ bytes }) as Parameters<typeof eakToText>[0];

test("attack 3a: the verifier of another account at sign-in → `foreign_key`, no key trusted", async () => {
  const theirs = (await other.api.account()).verifier;
  onAccount((acc) => ({ ...acc, verifier: theirs }));
  await assert.rejects(
    signIn({ api: world.api(), email: a.email, password: a.password, eakText: a.account.eakText, deviceName: "x" }),
    (e) => isCryptexError(e, "foreign_key"),
  );
  honest();
});

test("attack 3b: the EAK of another account (QR/mail) → `foreign_key` before any sign-in", async () => {
  await assert.rejects(
    signIn({ api: world.api(), email: a.email, password: a.password, eakText: other.account.eakText, deviceName: "x" }),
    (e) => isCryptexError(e, "foreign_key") || isCryptexError(e, "wrong_password"),
  );
  assert.ok(!world.proxy.captured.some((x) => x.path === "/api/v1/auth/signin" && x.requestBody.includes(other.account.accountId)));
});

test("attack 3c: an EAK with KDF parameters below the floor or absurdly high → `kdf_params_rejected`, no Argon2id run", async () => {
  for (const kib of [8, 1024, 2 ** 31]) {
    const forged = withMemory(a.account.eakText, kib);
    const started = Date.now();
    await assert.rejects(signIn({ api: world.api(), email: a.email, password: a.password, eakText: forged, deviceName: "x" }), (e) =>
      isCryptexError(e, "kdf_params_rejected"),
    );
    assert.ok(Date.now() - started < 5000, "refused before any expensive work");
  }
});

test("attack 3d: an unknown format version or an 'unencrypted legacy' item → quarantined, never shown", async () => {
  const b = await world.signInDevice(a, "phone");
  await b.vault.sync(b.api);
  const count = b.vault.list().length;
  const legacy = createItem({ type: "login", title: "legacy-plain", fields: { password: "planted" } });
  await a.vault.save(createItem({ type: "secure-note", title: "trigger" }), null);
  await a.vault.sync(a.api);
  world.proxy.onAnswer((x) => {
    if (x.method !== "GET" || !x.path.startsWith("/api/v1/items?")) return undefined;
    const p = x.json as PullAnswer;
    return {
      json: {
        ...p,
        items: [
          {
            id: legacy.id,
            revision: p.items[0]!.revision,
            data: b64uEncode(new TextEncoder().encode(JSON.stringify(legacy))),
          },
        ],
        revision: p.revision,
        next: p.items[0]!.revision,
      },
    };
  });
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e)); // plus the manifest: the real item is missing
  const q = await b.store.readQuarantine();
  assert.ok(
    q.some((e) => e.id === legacy.id && ["tampered", "unsupported_format"].includes(e.reason)),
    JSON.stringify(q),
  );
  // a real ciphertext with version byte 2
  const c = await world.signInDevice(a, "tablet");
  world.proxy.onAnswer((x) => {
    if (x.method !== "GET" || !x.path.startsWith("/api/v1/items?")) return undefined;
    const p = x.json as PullAnswer;
    return {
      json: {
        ...p,
        items: p.items.map((w) => {
          const d = b64uDecode(w.data ?? "")!;
          if (d.length) d[0] = 2;
          return { ...w, data: b64uEncode(d) };
        }),
      },
    };
  });
  await assert.rejects(c.vault.sync(c.api), (e) => isCryptexError(e));
  assert.ok((await c.store.readQuarantine()).some((e) => e.reason === "unsupported_format"));
  assert.equal(c.vault.list().length, 0);
  assert.equal(b.vault.list().length, count);
  assert.ok(!b.vault.list().some((e) => e.title === "legacy-plain"));
  honest();
});

test("attack 4: a forged 'new EAK' after a password change, or an older generation → typed error, EAK unchanged", async () => {
  const b = await world.signInDevice(a, "phone-4");
  await b.vault.sync(b.api);
  const theirs = await other.api.account();
  const random = b64uEncode(crypto.getRandomValues(new Uint8Array(200)));
  for (const wrappedEak of [random, theirs.wrappedEak]) {
    onAccount((acc) => ({ ...acc, eakGeneration: (acc.eakGeneration as number) + 1, wrappedEak }));
    await assert.rejects(
      b.vault.sync(b.api),
      (e) => isCryptexError(e, "tampered") || isCryptexError(e, "unsupported_format") || isCryptexError(e, "invalid_input"),
    );
  }
  const meta = await b.store.readMeta();
  assert.equal(meta?.eakGeneration, 0);
  assert.deepEqual(meta?.eak, a.account.eak.bytes);
  // the real wrapped EAK replayed under a higher generation: the generation is in the AAD
  onAccount((acc) => ({ ...acc, eakGeneration: 5 }));
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e, "tampered"));
  await b.store.write({ meta: { eakGeneration: 3 } });
  onAccount((acc) => ({ ...acc, eakGeneration: 1 }));
  await assert.rejects(b.vault.sync(b.api), (e) => isCryptexError(e, "rollback"));
  honest();
});

test("attack 5a: a replayed (used) sign-in challenge → 401, no session", async () => {
  const first = world.proxy.last("POST", "/api/v1/auth/challenge");
  assert.ok(first, "a challenge was issued before");
  const used = first.json;
  world.proxy.onRequest((x) => (x.method === "POST" && x.path === "/api/v1/auth/challenge" ? { json: used } : undefined));
  await assert.rejects(
    signIn({ api: world.api(), email: a.email, password: a.password, eakText: a.account.eakText, deviceName: "replay" }),
    (e) => e instanceof ApiError && e.status === 401 && e.code === "unauthorized",
  );
  honest();
  // a challenge that names another origin (relayed from another server) is refused by the client before signing
  world.proxy.onAnswer((x) =>
    x.path === "/api/v1/auth/challenge" ? { json: { ...(x.json as object), origin: "https://evil.example" } } : undefined,
  );
  await assert.rejects(
    signIn({ api: world.api(), email: a.email, password: a.password, eakText: a.account.eakText, deviceName: "relay" }),
    (e) => isCryptexError(e, "origin_mismatch"),
  );
  honest();
});

test("attack 5c: live events for revisions that do not exist change nothing; sync asks the server", async () => {
  const b = await world.signInDevice(a, "phone-5c");
  await b.vault.sync(b.api);
  const before = await b.store.readMeta();
  const listed = b.vault.list().length;
  world.proxy.onRequest((x) =>
    x.path === "/api/v1/events"
      ? {
          raw: `event: revision\ndata: {"revision":999999999}\n\nevent: revision\ndata: {"revision":-1}\n\nevent: account\ndata: {"eakGeneration":77,"resetEpoch":9}\n\nevent: revision\ndata: ${"9".repeat(10000)}\n\n`,
          contentType: "text/event-stream",
        }
      : undefined,
  );
  const seen: unknown[] = [];
  for await (const ev of b.api.events(AbortSignal.timeout(5000))) seen.push(ev);
  assert.deepEqual(seen, [
    { type: "revision", revision: 999999999 },
    { type: "account", eakGeneration: 77, resetEpoch: 9 },
  ]);
  honest();
  const r = await b.vault.sync(b.api); // what a client does on an event: ask the server
  const now = await b.store.readMeta();
  assert.equal(now?.cursor, before?.cursor);
  assert.equal(now?.eakGeneration, before?.eakGeneration);
  assert.equal(r.pulled, 0);
  assert.equal(b.vault.list().length, listed);
});
