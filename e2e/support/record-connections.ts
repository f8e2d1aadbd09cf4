// Preloaded into a program under test (NODE_OPTIONS=--import …) to record every network attempt it makes:
// each TCP/TLS connect (node:net, which node:https and fetch use), DNS lookup and UDP socket is appended as
// one JSON line to the file named by CRYPTEX_TEST_NET_LOG. It records; it never blocks or changes anything.
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const net = require("node:net") as typeof import("node:net");
const dns = require("node:dns") as typeof import("node:dns");
const dgram = require("node:dgram") as typeof import("node:dgram");
const log = process.env.CRYPTEX_TEST_NET_LOG;

function record(kind: string, detail: unknown): void {
  if (log) appendFileSync(log, `${JSON.stringify({ kind, detail, pid: process.pid })}\n`);
}

function describe(args: unknown[]): unknown {
  const [first, second] = args;
  if (Array.isArray(first)) return describe(first);
  if (first && typeof first === "object") {
    const o = first as { host?: string; port?: number; path?: string };
    return { host: o.host ?? "localhost", port: o.port, path: o.path };
  }
  if (typeof first === "string" && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof second === "string" ? second : "localhost", port: Number(first) };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: import("node:net").Socket, ...args: unknown[]) {
  record("connect", describe(args));
  return (connect as (...a: unknown[]) => import("node:net").Socket).apply(this, args);
} as typeof connect;

const lookup = dns.lookup;
(dns as { lookup: unknown }).lookup = (...args: unknown[]) => {
  record("dns", args[0]);
  return (lookup as (...a: unknown[]) => unknown)(...args);
};
const plookup = dns.promises.lookup;
(dns.promises as { lookup: unknown }).lookup = (...args: unknown[]) => {
  record("dns", args[0]);
  return (plookup as (...a: unknown[]) => unknown)(...args);
};
const udp = dgram.createSocket;
(dgram as { createSocket: unknown }).createSocket = (...args: unknown[]) => {
  record("udp", String(args[0]));
  return (udp as (...a: unknown[]) => unknown)(...args);
};
