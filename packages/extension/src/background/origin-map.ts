// Which logins belong to a page: maps from exact origin and from registrable domain to item ids, built once
// from the open vault index so a lookup costs a map access, not a scan of every item.
import type { IndexEntry, ItemId } from "@cryptex/core";
import { getDomain } from "tldts";
import { lookupKeys, parsePlace, siteOf } from "./fill-policy.ts";

// The common saved URL ("https://host.name[:port]/…", plain ASCII) is keyed without a full URL parse: a
// wake with 100,000 logins spends its time here. Anything else goes through the URL parser. A key that came
// out differently could only miss a candidate, never fill one: every fill is decided again by the policy.
const PLAIN = /^(https?):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?(?:[/?#]|$)/i;
const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443" };

function keysOf(url: string): { origin: string; site: string | undefined } | undefined {
  const m = PLAIN.exec(url);
  if (!m) return lookupKeys(url);
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase();
  if (/^[\d.]+$/.test(host) || host === "localhost" || host.endsWith(".localhost")) return lookupKeys(url);
  const port = m[3] && m[3] !== DEFAULT_PORT[scheme] ? `:${Number(m[3])}` : "";
  return {
    origin: `${scheme}://${host}${port}`,
    site: getDomain(host, { allowPrivateDomains: true, extractHostname: false }) ?? undefined,
  };
}

export class OriginMap {
  private readonly byOrigin = new Map<string, ItemId[]>();
  private readonly bySite = new Map<string, ItemId[]>();

  constructor(entries: Iterable<IndexEntry>) {
    for (const e of entries) this.add(e);
  }

  private add(e: IndexEntry): void {
    if (e.trashed || e.type !== "login") return;
    for (const url of e.urls) {
      const k = keysOf(url);
      if (!k) continue;
      push(this.byOrigin, k.origin, e.id);
      if (k.site) push(this.bySite, k.site, e.id);
    }
  }

  /** Exact-origin candidates first, then up to `siteLimit` same-site candidates (the policy decides whether those may fill). */
  lookup(pageUrl: string, siteLimit = 20): { exact: ItemId[]; site: ItemId[] } {
    const p = parsePlace(pageUrl);
    if (!p) return { exact: [], site: [] };
    const exact = [...(this.byOrigin.get(p.origin) ?? [])];
    if (p.scheme === "https:") exact.push(...(this.byOrigin.get(p.origin.replace(/^https:/, "http:")) ?? []));
    const s = siteOf(p.host);
    const seen = new Set(exact);
    const site: ItemId[] = [];
    for (const id of (s && this.bySite.get(s)) || []) {
      if (site.length >= siteLimit) break;
      if (!seen.has(id)) site.push(id);
    }
    return { exact: [...seen], site };
  }
}

function push(m: Map<string, ItemId[]>, k: string, id: ItemId): void {
  const list = m.get(k);
  // an item's URLs are added one after another, so a repeat is always the last entry (no scan of long lists)
  if (!list) m.set(k, [id]);
  else if (list.at(-1) !== id) list.push(id);
}
