// Two real Syncthing instances (Debian `syncthing`) replicating one folder, configured for loopback
// only: listening on tcp://127.0.0.1, peers at static tcp://127.0.0.1 addresses, and global and local
// discovery, relays, NAT traversal, STUN, usage and crash reporting and upgrades all off, so that no
// packet leaves 127.0.0.0/8.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "@cryptex/server/src/testing/free-port.ts";

const run = promisify(execFile);
const NOWHERE = "http://127.0.0.1:9/";
const ENV = { ...process.env, STNOUPGRADE: "1", STNORESTART: "1", STNODEFAULTFOLDER: "1", STGUIASSETS: "" };

export interface SyncthingNode {
  readonly folder: string;
  readonly gui: string;
  readonly apiKey: string;
  readonly proc: ChildProcess;
}

interface Peer {
  home: string;
  folder: string;
  id: string;
  listen: number;
  gui: number;
  apiKey: string;
}

function config(me: Peer, other: Peer): string {
  const device = (p: Peer, name: string) => `
    <device id="${p.id}" name="${name}" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:${p.listen}</address>
        <autoAcceptFolders>false</autoAcceptFolders>
    </device>`;
  return `<configuration version="36">
    <folder id="cryptex" label="cryptex" path="${me.folder}" type="sendreceive" rescanIntervalS="2" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="true">
        <device id="${me.id}"></device>
        <device id="${other.id}"></device>
    </folder>${device(me, "self")}${device(other, "peer")}
    <gui enabled="true" tls="false">
        <address>127.0.0.1:${me.gui}</address>
        <apikey>${me.apiKey}</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:${me.listen}</listenAddress>
        <globalAnnounceServer></globalAnnounceServer>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <startBrowser>false</startBrowser>
        <urAccepted>-1</urAccepted>
        <urURL>${NOWHERE}</urURL>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <releasesURL>${NOWHERE}</releasesURL>
        <crashReportingEnabled>false</crashReportingEnabled>
        <crashReportingURL>${NOWHERE}</crashReportingURL>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <stunServer></stunServer>
        <announceLANAddresses>false</announceLANAddresses>
        <reconnectionIntervalS>1</reconnectionIntervalS>
    </options>
</configuration>
`;
}

async function prepare(root: string, name: string): Promise<Peer> {
  const home = join(root, `${name}-home`);
  const folder = join(root, `${name}-folder`);
  await mkdir(folder, { recursive: true });
  await run("syncthing", ["generate", `--home=${home}`, "--no-default-folder", "--skip-port-probing"], { env: ENV });
  const { stdout } = await run("syncthing", ["serve", `--home=${home}`, "--device-id"], { env: ENV });
  const id = stdout.trim();
  if (!/^[A-Z0-9]{7}(?:-[A-Z0-9]{7}){7}$/.test(id)) throw new Error(`syncthing printed no device id: ${stdout}`);
  return { home, folder, id, listen: await freePort(), gui: await freePort(), apiKey: `key-${name}-${Date.now()}` };
}

/** Starts two instances sharing folder "cryptex"; resolves once they are connected. */
export async function startSyncthingPair(root: string): Promise<{ a: SyncthingNode; b: SyncthingNode; stop(): Promise<void> }> {
  const [pa, pb] = [await prepare(root, "a"), await prepare(root, "b")];
  await writeFile(join(pa.home, "config.xml"), config(pa, pb));
  await writeFile(join(pb.home, "config.xml"), config(pb, pa));
  const start = (p: Peer): SyncthingNode => ({
    folder: p.folder,
    gui: `http://127.0.0.1:${p.gui}`,
    apiKey: p.apiKey,
    proc: spawn(
      "syncthing",
      ["serve", `--home=${p.home}`, "--no-browser", "--no-restart", "--no-upgrade", `--logfile=${join(p.home, "log.txt")}`],
      {
        env: ENV,
        stdio: "ignore",
      },
    ),
  });
  const a = start(pa);
  const b = start(pb);
  const stop = async () => {
    for (const n of [a, b]) {
      if (n.proc.exitCode !== null) continue;
      const done = new Promise((r) => n.proc.once("exit", r));
      n.proc.kill("SIGTERM");
      await done;
    }
  };
  try {
    await waitFor(async () => (await connected(a, pb.id)) && (await connected(b, pa.id)), 60_000, "the two Syncthing instances to connect");
  } catch (e) {
    await stop();
    throw e;
  }
  return { a, b, stop };
}

async function api(n: SyncthingNode, path: string, method = "GET"): Promise<unknown> {
  const res = await fetch(`${n.gui}${path}`, { method, headers: { "x-api-key": n.apiKey } });
  if (!res.ok) throw new Error(`syncthing ${path}: ${res.status}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

async function connected(n: SyncthingNode, peer: string): Promise<boolean> {
  try {
    const c = (await api(n, "/rest/system/connections")) as { connections: Record<string, { connected: boolean }> };
    return c.connections[peer]?.connected === true;
  } catch {
    return false;
  }
}

/** Asks an instance to rescan now (its watcher would, a little later). */
export async function rescan(n: SyncthingNode): Promise<void> {
  await api(n, "/rest/db/scan?folder=cryptex", "POST");
}

/** The options as the running instance holds them: the test checks nothing can leave loopback. */
export async function options(n: SyncthingNode): Promise<Record<string, unknown>> {
  return (await api(n, "/rest/config/options")) as Record<string, unknown>;
}

export async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
