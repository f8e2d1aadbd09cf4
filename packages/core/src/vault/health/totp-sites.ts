// Which sites support one-time codes, from the bundled, dated list in totp-sites.json.
import list from "./totp-sites.json" with { type: "json" };

export const TOTP_SITES_DATE: string = list.date;
const domains = new Set<string>(list.domains);

/** The host of an http(s) URL, lower-case, or undefined (no URL object per item: this runs 10,000 times). */
export function urlHost(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#:]+)/i.exec(url.trim());
  return m ? m[1]!.toLowerCase().replace(/\.$/, "") : undefined;
}

/** The listed domain the host belongs to (itself or a parent: "accounts.google.com" → "google.com"). */
export function totpDomain(host: string): string | undefined {
  let h = host;
  for (;;) {
    if (domains.has(h)) return h;
    const dot = h.indexOf(".");
    if (dot < 0) return undefined;
    h = h.slice(dot + 1);
  }
}
