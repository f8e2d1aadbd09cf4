// The one decision every fill entry point (popup, keyboard command, context menu) goes through: may this
// login fill this frame? Pure: it sees only the item's saved URLs and facts the browser supplied about the
// frame (sender origin, frame id, tab URL) plus the gesture and the content script's visibility finding.
import { getDomain } from "tldts";

export type MatchMode = "origin" | "site";

export interface FillFacts {
  /** the frame's own URL as the browser reports it (MessageSender.url) */
  readonly frameUrl: string;
  /** the browser's origin of the frame (MessageSender.origin); "null" for sandboxed/opaque frames */
  readonly frameOrigin: string;
  /** the top-level page URL (MessageSender.tab.url) */
  readonly topUrl: string;
  /** 0 for the top frame */
  readonly frameId: number;
  /** true only for gestures the page cannot forge: popup click, keyboard command, context menu */
  readonly gesture: boolean;
  /** the user confirmed, outside the page, filling a cross-origin frame whose own origin matches */
  readonly confirmedFrame: boolean;
  /** the content script found the target fields visible (size, visibility, clip, opacity, not covered) */
  readonly fieldsVisible: boolean;
}

export type RefuseReason =
  | "no_gesture"
  | "bad_page_url"
  | "no_match"
  | "insecure_page"
  | "sandboxed_frame"
  | "needs_confirmation"
  | "hidden_field";

export type FillDecision = { readonly fill: true; readonly origin: string } | { readonly fill: false; readonly reason: RefuseReason };

const refuse = (reason: RefuseReason): FillDecision => ({ fill: false, reason });

interface Place {
  readonly scheme: "http:" | "https:";
  readonly host: string;
  readonly port: string;
  readonly origin: string;
}

/** Parses a page URL or a saved login URL (a bare "example.com" means https); only http(s) counts. */
export function parsePlace(raw: string, assumeHttps = false): Place | undefined {
  const text = raw.trim().slice(0, 2048);
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(assumeHttps && !/^[a-z][a-z0-9+.-]*:/i.test(text) ? `https://${text}` : text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (!url.hostname) return undefined;
  // URL gives the ASCII (punycode) host, so a homograph never equals the real name
  return { scheme: url.protocol, host: url.hostname.toLowerCase(), port: url.port, origin: url.origin };
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) || host === "[::1]";
}

const isIp = (host: string) => /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[");

/** The registrable domain (eTLD+1) with private suffixes (github.io, …); undefined for IPs and loopback. */
export function siteOf(host: string): string | undefined {
  if (isIp(host) || isLoopback(host)) return undefined;
  return getDomain(host, { allowPrivateDomains: true }) ?? undefined;
}

const defaultPort = (scheme: string) => (scheme === "https:" ? "443" : "80");
const portOf = (p: Place) => p.port || defaultPort(p.scheme);

/** Does a saved URL match the page's place? Exact origin, or an http-saved login on its https upgrade. */
function matches(saved: Place, page: Place, mode: MatchMode): boolean {
  const sameScheme = saved.scheme === page.scheme;
  const upgrade = saved.scheme === "http:" && page.scheme === "https:";
  if (!sameScheme && !upgrade) return false;
  if (saved.host === page.host) return sameScheme ? portOf(saved) === portOf(page) : !saved.port && !page.port;
  if (mode !== "site") return false;
  const site = siteOf(page.host);
  return site !== undefined && site === siteOf(saved.host) && (saved.port || "") === (page.port || "");
}

/** Is an https login being offered to a plain-http page (a downgrade)? Loopback development pages are exempt. */
function downgrade(saved: Place, page: Place, mode: MatchMode): boolean {
  if (page.scheme !== "http:" || saved.scheme !== "https:" || isLoopback(page.host)) return false;
  return matches({ ...saved, scheme: "http:", port: saved.port }, page, mode);
}

/** Decides one fill. `urls` are the item's saved website URLs; `mode` its match option. */
export function decideFill(urls: readonly string[], mode: MatchMode, facts: FillFacts): FillDecision {
  if (!facts.gesture) return refuse("no_gesture");
  if (facts.frameId !== 0 && (facts.frameOrigin === "null" || facts.frameOrigin === "")) return refuse("sandboxed_frame");
  const frame = parsePlace(facts.frameUrl);
  const top = parsePlace(facts.topUrl);
  if (!frame || !top) return refuse("bad_page_url");
  if (facts.frameOrigin !== frame.origin) return refuse(facts.frameId === 0 ? "bad_page_url" : "sandboxed_frame");
  const saved = urls.map((u) => parsePlace(u, true)).filter((p): p is Place => p !== undefined);
  if (!saved.some((s) => matches(s, frame, mode))) {
    return refuse(saved.some((s) => downgrade(s, frame, mode)) ? "insecure_page" : "no_match");
  }
  if (facts.frameId !== 0 && frame.origin !== top.origin) {
    // a cross-origin frame fills only for its own matching origin, and only after the user confirmed outside the page
    if (!facts.confirmedFrame) return refuse("needs_confirmation");
  }
  if (!facts.fieldsVisible) return refuse("hidden_field");
  return { fill: true, origin: frame.origin };
}

/** Lookup keys of a saved URL for the worker's origin and site maps. */
export function lookupKeys(url: string): { origin: string; site: string | undefined } | undefined {
  const p = parsePlace(url, true);
  return p && { origin: p.origin, site: siteOf(p.host) };
}
