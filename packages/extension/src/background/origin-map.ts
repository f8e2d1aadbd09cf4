// Which logins belong to a page: maps from exact origin and from registrable domain to item ids, built once
// from the open vault index so a lookup costs a map access, not a scan of every item.
import type { IndexEntry, ItemId } from "@cryptex/core";
import { lookupKeys, parsePlace, siteOf } from "./fill-policy.ts";

export class OriginMap {
  private readonly byOrigin = new Map<string, ItemId[]>();
  private readonly bySite = new Map<string, ItemId[]>();

  constructor(entries: Iterable<IndexEntry>) {
    for (const e of entries) this.add(e);
  }

  private add(e: IndexEntry): void {
    if (e.trashed || e.type !== "login") return;
    for (const url of e.urls) {
      const k = lookupKeys(url);
      if (!k) continue;
      push(this.byOrigin, k.origin, e.id);
      if (k.site) push(this.bySite, k.site, e.id);
    }
  }

  /** Exact-origin candidates first, then same-site candidates (the policy decides whether those may fill). */
  lookup(pageUrl: string): { exact: ItemId[]; site: ItemId[] } {
    const p = parsePlace(pageUrl);
    if (!p) return { exact: [], site: [] };
    const exact = [...(this.byOrigin.get(p.origin) ?? [])];
    if (p.scheme === "https:") exact.push(...(this.byOrigin.get(p.origin.replace(/^https:/, "http:")) ?? []));
    const s = siteOf(p.host);
    const seen = new Set(exact);
    const site = s ? (this.bySite.get(s) ?? []).filter((id) => !seen.has(id)) : [];
    return { exact: [...new Set(exact)], site: [...new Set(site)] };
  }
}

function push(m: Map<string, ItemId[]>, k: string, id: ItemId): void {
  const list = m.get(k);
  if (!list) m.set(k, [id]);
  else if (!list.includes(id)) list.push(id);
}
