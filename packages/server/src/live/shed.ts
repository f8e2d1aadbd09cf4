// What an open live stream stops holding once its head is on the wire, so an idle stream costs little
// (docs/performance.md). Node keeps a response's request, with every header (the bearer token among them),
// for as long as the stream lives, and the response's own header table; the hub needs neither. Node's head
// text is kept too, as a chain of ~60 joined pieces: reading a character makes V8 flatten it into one string.
import type { ServerResponse } from "node:http";

export function shedAfterHead(res: ServerResponse): void {
  const req = res.req;
  req.headers = {};
  req.headersDistinct = {};
  req.rawHeaders = [];
  // Node's header table (a private symbol): null is its own "no headers set" state, which getHeader() accepts.
  const table = Object.getOwnPropertySymbols(res).find((s) => s.description === "kOutHeaders");
  if (table) (res as unknown as Record<symbol, unknown>)[table] = null;
  const head = (res as unknown as { _header?: unknown })._header;
  if (typeof head === "string") head.charCodeAt(head.length - 1);
}
