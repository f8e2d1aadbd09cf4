// The per-login "same site" option: off, a login fills only on the exact origin it was saved for; on, also on
// the other hosts of its registrable domain (eTLD+1 from the Public Suffix List, private suffixes included,
// so a.github.io never reaches b.github.io). Stored in the item as the custom field `match` = `same-site`.
import type { ItemId } from "@cryptex/core";
import { editItem } from "@cryptex/core/vault/item.ts";
import type { MatchInfo } from "../shared/messages.ts";
import { itemUrls, matchModeOf } from "./fill-flow.ts";
import { parsePlace, siteOf } from "./fill-policy.ts";
import type { OpenVault } from "./open-vault.ts";

/** The saved origins, the one registrable domain they share (none for IPs, localhost or mixed sites), and the option. */
export async function matchInfo(v: OpenVault, id: ItemId): Promise<MatchInfo> {
  const item = await v.get(id);
  const places = itemUrls(item)
    .map((u) => parsePlace(u, true))
    .filter((p) => p !== undefined);
  const sites = new Set(places.map((p) => siteOf(p.host)));
  const [site] = sites;
  return {
    origins: [...new Set(places.map((p) => p.origin))],
    site: sites.size === 1 && site ? site : null,
    sameSite: matchModeOf(item) === "site",
  };
}

/** Turns the option on or off (a normal edit: synced like any other change). */
export async function setSameSite(v: OpenVault, id: ItemId, on: boolean): Promise<MatchInfo> {
  const base = await v.get(id);
  if ((matchModeOf(base) === "site") !== on) await v.save(editItem(base, { fields: { match: on ? "same-site" : null } }), base);
  return matchInfo(v, id);
}
