// The password health report, computed on the device: weak (zxcvbn score < 3), reused (grouped by keyed
// fingerprint), old (unchanged for a year), http: URLs, no one-time code where the site supports one, and
// breached (opt-in, Pwned Passwords range API). The report names items and counts, never a password.
// Heavy (zxcvbn dictionaries): import it by path where the report is shown.
import type { ItemId } from "../../keys/ids.ts";
import { MIN_PASSWORD_SCORE } from "../../keys/password-strength.ts";
import type { Item } from "../item.ts";
import type { ItemType } from "../templates.ts";
import type { HealthCache } from "./health-cache.ts";
import { type LocalKeys, passwordFingerprint } from "./health-keys.ts";
import { fetchRange, pwnedHash, type RangeFetch } from "./pwned-passwords.ts";
import { TOTP_SITES_DATE, totpDomain, urlHost } from "./totp-sites.ts";
import { passwordScore } from "./weak-score.ts";

export const OLD_AFTER_MS = 365 * 24 * 3600 * 1000;
/** A breach count is asked again after a week (new breaches are added to the list all the time). */
export const BREACH_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export interface ItemRef {
  readonly id: ItemId;
  readonly title: string;
  readonly type: ItemType;
}

export type BreachCheck =
  | { readonly status: "off" }
  | { readonly status: "done"; readonly asked: number; readonly fromCache: number }
  | { readonly status: "failed"; readonly message: string };

export interface HealthReport {
  /** 0..100: the share of passwords with no finding (weak, reused, breached, old) */
  readonly score: number;
  /** items with a password */
  readonly passwords: number;
  readonly weak: readonly (ItemRef & { readonly strength: number })[];
  /** groups of two or more items sharing one password */
  readonly reused: readonly (readonly ItemRef[])[];
  readonly old: readonly (ItemRef & { readonly changedAt: number })[];
  readonly insecureUrls: readonly (ItemRef & { readonly url: string })[];
  readonly missingTotp: readonly (ItemRef & { readonly domain: string })[];
  readonly breached: readonly (ItemRef & { readonly count: number })[];
  readonly breachCheck: BreachCheck;
  /** date of the bundled list of sites that support one-time codes */
  readonly totpListDate: string;
}

export interface HealthOptions {
  readonly keys: LocalKeys;
  readonly cache: HealthCache;
  readonly now?: number;
  /** opt-in: ask the range API for passwords not checked within BREACH_MAX_AGE_MS */
  readonly breaches?: { readonly fetch: RangeFetch; readonly endpoint: string; readonly signal?: AbortSignal };
}

const ref = (i: Item): ItemRef => ({ id: i.id, title: i.title, type: i.type });

function passwordOf(item: Item): string | undefined {
  const f = item.fields.find((x) => x.name.toLowerCase() === "password" && x.kind === "hidden");
  return f?.value ? f.value : undefined;
}

/** When the password was last set: its newest history entry, else when the item was made. */
export function passwordChangedAt(item: Item): number {
  let at = item.createdAt;
  for (const h of item.history) if (h.field.toLowerCase() === "password" && h.changedAt > at) at = h.changedAt;
  return at;
}

async function checkBreaches(
  pending: ReadonlyMap<string, string>, // fingerprint → password
  opts: NonNullable<HealthOptions["breaches"]>,
  cache: HealthCache,
  now: number,
): Promise<{ asked: number; failed?: string }> {
  const byPrefix = new Map<string, { fp: string; suffix: string }[]>();
  for (const [fp, pw] of pending) {
    const h = pwnedHash(pw);
    const list = byPrefix.get(h.slice(0, 5)) ?? [];
    list.push({ fp, suffix: h.slice(5) });
    byPrefix.set(h.slice(0, 5), list);
  }
  const prefixes = [...byPrefix.keys()];
  let asked = 0;
  let failed: string | undefined;
  // A few requests at a time: polite to the endpoint, and a 10,000-item vault still finishes.
  const worker = async () => {
    while (failed === undefined) {
      const prefix = prefixes.pop();
      if (prefix === undefined) return;
      const r = await fetchRange(opts.fetch, opts.endpoint, prefix, opts.signal);
      if (!r.ok) {
        failed ??= r.message;
        return;
      }
      asked++;
      for (const { fp, suffix } of byPrefix.get(prefix)!) cache.update(fp, { breach: { count: r.counts.get(suffix) ?? 0, at: now } });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return failed === undefined ? { asked } : { asked, failed };
}

export async function healthReport(items: readonly Item[], opts: HealthOptions): Promise<HealthReport> {
  const now = opts.now ?? Date.now();
  const { cache } = opts;
  const live = items.filter((i) => i.trashedAt === null);
  const withPw: { item: Item; fp: string; pw: string }[] = [];
  const insecureUrls: (ItemRef & { url: string })[] = [];
  const missingTotp: (ItemRef & { domain: string })[] = [];
  for (const item of live) {
    const pw = passwordOf(item);
    if (pw !== undefined) withPw.push({ item, pw, fp: await passwordFingerprint(opts.keys, pw) });
    const hasTotp = item.fields.some((f) => f.kind === "totp" && f.value !== "");
    let totpSite: string | undefined;
    for (const f of item.fields) {
      if (f.kind !== "url" || !f.value) continue;
      if (/^http:\/\//i.test(f.value.trim())) insecureUrls.push({ ...ref(item), url: f.value.slice(0, 2048) });
      const host = pw !== undefined && !hasTotp ? urlHost(f.value) : undefined;
      totpSite ??= host === undefined ? undefined : totpDomain(host);
    }
    if (totpSite) missingTotp.push({ ...ref(item), domain: totpSite });
  }

  const byFp = new Map<string, { item: Item; pw: string }[]>();
  for (const x of withPw) {
    const g = byFp.get(x.fp);
    if (g) g.push(x);
    else byFp.set(x.fp, [x]);
  }
  cache.retain(new Set(byFp.keys()));

  const weak: (ItemRef & { strength: number })[] = [];
  const breached: (ItemRef & { count: number })[] = [];
  const reused: ItemRef[][] = [];
  const pending = new Map<string, string>();
  let scored = 0;
  for (const [fp, group] of byFp) {
    let score = cache.get(fp)?.score;
    if (score === undefined) {
      score = passwordScore(group[0]!.pw);
      cache.update(fp, { score });
      // zxcvbn takes milliseconds: let a page paint and take input during a first report over many items
      if (++scored % 32 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    if (score < MIN_PASSWORD_SCORE) for (const g of group) weak.push({ ...ref(g.item), strength: score });
    if (group.length > 1) reused.push(group.map((g) => ref(g.item)));
    const b = cache.get(fp)?.breach;
    if (opts.breaches && (!b || now - b.at > BREACH_MAX_AGE_MS)) pending.set(fp, group[0]!.pw);
  }

  let breachCheck: BreachCheck = { status: "off" };
  if (opts.breaches) {
    const r = await checkBreaches(pending, opts.breaches, cache, now);
    breachCheck = r.failed
      ? { status: "failed", message: r.failed }
      : { status: "done", asked: r.asked, fromCache: byFp.size - pending.size };
  }
  // Counts known from an earlier check are shown even when this run did not ask.
  for (const [fp, group] of byFp) {
    const count = cache.get(fp)?.breach?.count ?? 0;
    if (count > 0) for (const g of group) breached.push({ ...ref(g.item), count });
  }

  const old = withPw.map((x) => ({ ...ref(x.item), changedAt: passwordChangedAt(x.item) })).filter((x) => now - x.changedAt > OLD_AFTER_MS);
  const flagged = new Set<ItemId>([...weak.map((x) => x.id), ...breached.map((x) => x.id), ...old.map((x) => x.id)]);
  for (const g of reused) for (const r of g) flagged.add(r.id);
  const byTitle = (a: ItemRef, b: ItemRef) => a.title.localeCompare(b.title);
  return {
    score: withPw.length === 0 ? 100 : Math.round((100 * (withPw.length - flagged.size)) / withPw.length),
    passwords: withPw.length,
    weak: weak.sort(byTitle),
    reused: reused.map((g) => g.sort(byTitle)).sort((a, b) => b.length - a.length || byTitle(a[0]!, b[0]!)),
    old: old.sort((a, b) => a.changedAt - b.changedAt),
    insecureUrls: insecureUrls.sort(byTitle),
    missingTotp: missingTotp.sort(byTitle),
    breached: breached.sort((a, b) => b.count - a.count || byTitle(a, b)),
    breachCheck,
    totpListDate: TOTP_SITES_DATE,
  };
}
