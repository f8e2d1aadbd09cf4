// End to end, Account Key rotation with the real `cryptex` CLI against a real server process on SQLite and on
// PostgreSQL, through a recording proxy that can kill the CLI (kill -9) just before or just after the server's
// switch. After a rotation other devices are told key_rotated (exit 19), a device signed in with the new QR code
// sees every item, and the old QR code with the password opens nothing made afterwards; a killed rotation resumes
// with nothing lost.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { unlockWithPassword } from "@cryptex/core/client/account.ts";
import { b64uDecode } from "@cryptex/core/encoding/base64.ts";
import { parseEakText } from "@cryptex/core/formats/eak.ts";
import { decryptItem } from "@cryptex/core/formats/item-envelope.ts";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import { collect, runCli, runCliWithCode, spawnCli } from "../packages/cli/src/testing/run-cli.ts";
import { freePort } from "../packages/server/src/testing/free-port.ts";
import { outboxMailbox } from "../packages/server/src/testing/mailbox.ts";
import { type RunningPostgres, startPostgres } from "../packages/server/src/testing/postgres.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";
import { type HostileProxy, startHostileProxy } from "./support/hostile-proxy.ts";

const PW = "juniper canyon 58 lantern";

for (const kind of ["sqlite", "postgres"] as const) {
  describe(`Account Key rotation (${kind})`, () => {
    let pg: RunningPostgres | undefined;
    let srv: RunningServer;
    let proxy: HostileProxy;
    let dir: string;
    let env: Record<string, string>;
    let n = 0;

    before(async () => {
      if (kind === "postgres") pg = await startPostgres();
      const port = await freePort();
      srv = await startServer({ ...(pg ? { databaseUrl: pg.url } : {}), env: { PUBLIC_URL: `https://localhost:${port}` } });
      proxy = await startHostileProxy(srv, port);
      dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-rotate-"));
      writeFileSync(join(dir, "ca.pem"), srv.caPem);
      env = { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") };
    });
    after(async () => {
      await proxy?.stop();
      await srv?.stop();
      await pg?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const home = () => join(dir, `h${++n}`);
    const sessions = new Map<string, string>();
    const cli = (h: string, args: string[], stdin = "") =>
      runCli(args, { home: h, stdin, env: { ...env, ...(sessions.has(h) ? { CRYPTEX_SESSION: sessions.get(h)! } : {}) } });
    const ok = async (h: string, args: string[], stdin = "") => {
      const r = await cli(h, args, stdin);
      assert.equal(r.code, 0, `cryptex ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
      return r;
    };
    const unlock = async (h: string) => sessions.set(h, (await ok(h, ["unlock", "--raw", "--password-stdin"], `${PW}\n`)).stdout.trim());
    const titles = async (h: string) =>
      (JSON.parse((await ok(h, ["list", "--json"])).stdout) as { title: string }[]).map((e) => e.title).sort();
    const eakText = async (h: string) => (JSON.parse((await ok(h, ["account", "qr", "--json"])).stdout) as { eakText: string }).eakText;
    const signup = async (h: string, email: string) => {
      const up = await runCliWithCode(
        ["signup", "--server", proxy.url, "--email", email, "--password-stdin", "--no-email", "--device-name", "A"],
        { home: h, stdin: `${PW}\n`, env: { ...env } },
        () => outboxMailbox(srv.outboxDir).code(email, "signup"),
      );
      assert.equal(up.code, 0, up.stderr);
      await unlock(h);
    };
    const signin = async (h: string, email: string, text: string) => {
      await ok(h, ["signin", "--server", proxy.url, "--email", email, "--qr-text", text, "--password-stdin"], `${PW}\n`);
      await unlock(h);
    };
    const add = (h: string, title: string) => ok(h, ["add", "login", "--title", title, "--field", `password=${title}-secret`]);

    /** Runs `account rotate-key` and kills it (SIGKILL) when the proxy sees the switch request, before or after the server. */
    async function killedRotation(h: string, when: "before" | "after"): Promise<void> {
      let child: ChildProcess | undefined;
      const isSwitch = (method: string, path: string) => method === "POST" && path === "/api/v1/account/rotation";
      if (when === "before")
        proxy.onRequest((x) => {
          if (!isSwitch(x.method, x.path)) return undefined;
          child?.kill("SIGKILL");
          return { drop: true };
        });
      else
        proxy.onAnswer((x) => {
          if (!isSwitch(x.method, x.path)) return undefined;
          assert.equal(x.status, 200, "the server switched");
          child?.kill("SIGKILL");
          return { drop: true };
        });
      try {
        child = spawnCli(["account", "rotate-key", "--password-stdin"], { home: h, stdin: `${PW}\n`, env });
        const r = await collect(child);
        assert.equal(r.signal, "SIGKILL", `the rotation was killed mid-way: ${r.stderr}`);
      } finally {
        proxy.onRequest(undefined);
        proxy.onAnswer(undefined);
      }
    }

    test("signup refuses a password rated about 10^8 guesses and shows the time to guess the one it takes", async () => {
      const h = home();
      const weak = await cli(
        h,
        ["signup", "--server", proxy.url, "--email", `weak-${kind}@example.org`, "--password-stdin", "--no-email"],
        "Summer2024!x\n",
      );
      assert.equal(weak.code, 10, weak.stderr);
      assert.match(weak.stderr, /too easy to guess/);
      const r = await runCliWithCode(
        ["signup", "--server", proxy.url, "--email", `weak-${kind}@example.org`, "--password-stdin", "--no-email"],
        { home: h, stdin: `${PW}\n`, env: { ...env } },
        () => outboxMailbox(srv.outboxDir).code(`weak-${kind}@example.org`, "signup"),
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /Estimated time to guess this password .*: one PC [0-9a-z ]+, a large GPU farm [0-9a-z ]+\./);
    });

    test("rotate: the other device is told, the new QR code signs in and sees everything, the old one opens nothing new", async () => {
      const email = `rot-${kind}@example.org`;
      const [A, B, C, D] = [home(), home(), home(), home()];
      await signup(A, email);
      await add(A, "Alpha");
      await add(A, "Bravo");
      await ok(A, ["sync"]);
      const oldText = await eakText(A);
      await signin(B, email, oldText);
      await add(B, "Charlie");
      await ok(B, ["sync"]);

      const kit = join(dir, `rotated-${kind}.png`);
      const r = JSON.parse((await ok(A, ["account", "rotate-key", "--password-stdin", "--json", "--kit", kit], `${PW}\n`)).stdout);
      assert.deepEqual([r.rotated, r.resumed, r.mailed], [true, false, false]);
      sessions.delete(A);
      const locked = await cli(A, ["list", "--json"]);
      assert.notEqual(locked.code, 0, "unlock sessions sealed the old key: they ended");
      await unlock(A);
      const newText = await eakText(A);
      assert.notEqual(newText, oldText);
      assert.equal(decodeQrImage(new Uint8Array(readFileSync(kit))), newText, "the new Emergency Kit holds the new key");
      assert.equal(statSync(kit).mode & 0o777, 0o600);
      assert.deepEqual(await titles(A), ["Alpha", "Bravo", "Charlie"]);
      await add(A, "Delta");
      await ok(A, ["sync"]);

      const told = await cli(B, ["sync"]);
      assert.equal(told.code, 19, told.stderr);
      assert.match(told.stderr, /Account Key was replaced on another device/);
      assert.doesNotMatch(told.stderr, /at .*\.ts:\d+/, "no stack trace");

      await signin(C, email, newText);
      assert.deepEqual(await titles(C), ["Alpha", "Bravo", "Charlie", "Delta"]);

      const old = await cli(D, ["signin", "--server", proxy.url, "--email", email, "--qr-text", oldText, "--password-stdin"], `${PW}\n`);
      assert.notEqual(old.code, 0, "the old QR code and password no longer sign in");
      // and the old key opens nothing sent after the rotation: Delta's ciphertext, as the proxy saw it
      const oldKeys = (
        await unlockWithPassword({ accountId: parseEakText(oldText).header.accountId, eak: parseEakText(oldText).bytes }, PW)
      ).keys;
      const pushes = proxy.captured.filter((x) => x.method === "POST" && x.path === "/api/v1/items" && x.status === 200);
      const last = JSON.parse(pushes.at(-1)!.requestBody.toString("utf8")) as { items: { id: string; data: string }[] };
      assert.equal(last.items.length, 1);
      await assert.rejects(decryptItem(oldKeys, last.items[0]!.id as ItemId, b64uDecode(last.items[0]!.data)!), { code: "tampered" });
    });

    for (const when of ["before", "after"] as const) {
      test(`kill -9 ${when} the server's switch: the same command resumes, nothing is lost`, async () => {
        const email = `crash-${when}-${kind}@example.org`;
        const [A, B, C] = [home(), home(), home()];
        await signup(A, email);
        for (const t of ["One", "Two", "Three"]) await add(A, t);
        await ok(A, ["sync"]);
        const oldText = await eakText(A);
        await signin(B, email, oldText);
        await add(B, "Four");
        await ok(B, ["sync"]);

        await killedRotation(A, when);
        // meanwhile nothing is lost on this device, and sync says what to do
        assert.deepEqual(await titles(A), ["Four", "One", "Three", "Two"], "the rotation synced first");
        const waiting = await cli(A, ["sync"]);
        assert.equal(waiting.code, 19, waiting.stderr);
        assert.match(waiting.stderr, /cryptex account rotate-key/);
        if (when === "before") {
          // the server never switched: the other device still syncs under the old key
          await add(B, "Five");
          await ok(B, ["sync"]);
        } else {
          assert.equal((await cli(B, ["sync"])).code, 19, "the switch happened: the other device is told");
        }

        const r = JSON.parse((await ok(A, ["account", "rotate-key", "--password-stdin", "--json"], `${PW}\n`)).stdout);
        assert.deepEqual([r.rotated, r.resumed], [true, true]);
        sessions.delete(A);
        await unlock(A);
        await ok(A, ["sync"]);
        const all = when === "before" ? ["Five", "Four", "One", "Three", "Two"] : ["Four", "One", "Three", "Two"];
        assert.deepEqual(await titles(A), all);
        const newText = await eakText(A);
        assert.notEqual(newText, oldText);
        await signin(C, email, newText);
        assert.deepEqual(await titles(C), all);
      });
    }
  });
}
