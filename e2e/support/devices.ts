// Test devices: the real core engine over the CLI's real node:sqlite store, talking HTTPS to a (hostile) server.
//
//   const world = await startWorld();                  // real server behind a hostile proxy
//   const a = await world.signUpDevice("laptop");       // one Argon2id run, confirmed with the outbox code; then
//   const b = await world.signInDevice(a, "phone");     // another device of the same account
//   await a.vault.save(createItem({...}), null); await a.vault.sync(a.api);
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpsFetch } from "@cryptex/cli/src/net/https-fetch.ts";
import { openSqliteStore, type SqliteVaultStore } from "@cryptex/cli/src/store/sqlite-store.ts";
import { type OpenedAccount, signIn, signUp } from "@cryptex/core/client/account.ts";
import { type ApiClient, createApiClient } from "@cryptex/core/client/api-client.ts";
import { newUuid } from "@cryptex/core/ids.ts";
import { Vault } from "@cryptex/core/sync/engine.ts";
import { freePort } from "@cryptex/server/src/testing/free-port.ts";
import { outboxMailbox } from "@cryptex/server/src/testing/mailbox.ts";
import { type RunningServer, type StartOptions, startServer } from "@cryptex/server/src/testing/start-server.ts";
import { type HostileProxy, startHostileProxy } from "./hostile-proxy.ts";

export interface Device {
  readonly name: string;
  readonly account: OpenedAccount;
  readonly email: string;
  readonly password: string;
  readonly api: ApiClient;
  readonly store: SqliteVaultStore;
  readonly vault: Vault;
}

export interface World {
  readonly server: RunningServer;
  readonly proxy: HostileProxy;
  readonly dir: string;
  api(token?: string): ApiClient;
  signUpDevice(name: string, opts?: { email?: string; password?: string; sendEmail?: boolean }): Promise<Device>;
  signInDevice(from: Device, name: string, eakText?: string): Promise<Device>;
  /** a second engine over the same account state, e.g. after a restart of the device */
  reopen(d: Device): Promise<Device>;
  stop(): Promise<void>;
}

export const STRONG_PASSWORD = "correct horse battery staple 7!";

export async function startWorld(opts: StartOptions = {}): Promise<World> {
  const port = await freePort();
  const origin = `https://localhost:${port}`;
  const server = await startServer({ ...opts, env: { PUBLIC_URL: origin, ...(opts.env ?? {}) } });
  const proxy = await startHostileProxy(server, port);
  const dir = mkdtempSync(join(tmpdir(), "cryptex-e2e-"));
  const fetch = createHttpsFetch(server.caPem);
  const api = (token?: string) => createApiClient({ baseUrl: proxy.url, token, fetch, timeoutMs: 20_000 });
  const devices: Device[] = [];

  async function device(name: string, account: OpenedAccount, email: string, password: string, client: ApiClient): Promise<Device> {
    const store = openSqliteStore(join(dir, `${name}-${newUuid()}.sqlite`));
    await store.write({
      meta: {
        accountId: account.accountId,
        email,
        serverUrl: proxy.url,
        eak: account.eak.bytes,
        eakGeneration: account.eakGeneration,
        resetEpoch: account.resetEpoch,
        cursor: 0,
        deviceId: newUuid(),
        sessionToken: account.session.token,
      },
    });
    const d = { name, account, email, password, api: client, store, vault: await Vault.open(store, account.keys) };
    devices.push(d);
    return d;
  }

  return {
    server,
    proxy,
    dir,
    api,
    async signUpDevice(name, o = {}) {
      const email = o.email ?? `${newUuid()}@example.test`;
      const password = o.password ?? STRONG_PASSWORD;
      const client = api();
      const account = await signUp({
        api: client,
        email,
        password,
        deviceName: name,
        sendEmail: o.sendEmail ?? false,
        readCode: () => outboxMailbox(server.outboxDir).code(email, "signup"),
      });
      return device(name, account, email, password, client);
    },
    async signInDevice(from, name, eakText) {
      const client = api();
      const account = await signIn({
        api: client,
        email: from.email,
        password: from.password,
        eakText: eakText ?? from.account.eakText,
        deviceName: name,
      });
      return device(name, account, from.email, from.password, client);
    },
    async reopen(d) {
      return { ...d, vault: await Vault.open(d.store, d.account.keys) };
    },
    async stop() {
      for (const d of devices) await d.store.close().catch(() => {});
      await proxy.stop();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
