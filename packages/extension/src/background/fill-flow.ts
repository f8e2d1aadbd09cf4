// Fill on a gesture: ask every frame of the tab what login fields it sees, let the browser tell us who each
// frame is (sender facts), decide with the one fill policy, then send the values to the one frame allowed.
import { fieldValue, type Item } from "@cryptex/core/vault/item.ts";
import { parseTotp, totp } from "@cryptex/core/vault/totp.ts";
import type { ContentRequest, FillAnswer } from "../shared/messages.ts";
import { decideFill, type FillDecision, type MatchMode, type RefuseReason } from "./fill-policy.ts";

interface FrameReport {
  readonly frameId: number;
  readonly documentId: string | undefined;
  readonly origin: string;
  readonly url: string;
  readonly tabUrl: string;
  readonly found: { username: boolean; password: boolean; otp: boolean };
  readonly visible: boolean;
}

const scans = new Map<string, { tabId: number; reports: FrameReport[] }>();

/** A content script's answer to a scan; only the browser's sender facts say which frame it came from. */
export function acceptReport(msg: Extract<ContentRequest, { type: "report" }>, sender: chrome.runtime.MessageSender): boolean {
  const scan = scans.get(msg.nonce);
  if (!scan || sender.tab?.id !== scan.tabId || typeof sender.frameId !== "number") return false;
  const f = msg.found;
  scan.reports.push({
    frameId: sender.frameId,
    documentId: sender.documentId,
    origin: sender.origin ?? "null",
    url: sender.url ?? "",
    tabUrl: sender.tab?.url ?? "",
    found: { username: f?.username === true, password: f?.password === true, otp: f?.otp === true },
    visible: msg.visible === true,
  });
  return true;
}

/** Items opt into same-site filling with a custom field `match` = `same-site`; exact origin otherwise. */
export function matchModeOf(item: Item): MatchMode {
  return fieldValue(item, "match")?.trim().toLowerCase() === "same-site" ? "site" : "origin";
}

export const itemUrls = (item: Item): string[] => item.fields.filter((f) => f.kind === "url" && f.value).map((f) => f.value);

const TEXT: Record<RefuseReason | "no_form" | "no_access", string> = {
  no_gesture: "Filling needs a click or the keyboard shortcut.",
  bad_page_url: "Cryptex does not fill on this kind of page.",
  no_match: "This login is not saved for this site, so it was not filled.",
  insecure_page: "Not filled: this page is not secure (http:), and the login was saved for https.",
  sandboxed_frame: "Not filled: the login form is in a sandboxed frame.",
  needs_confirmation: "The login form is in a frame from another site: confirm to fill it.",
  hidden_field: "Not filled: the login fields on this page are not fully visible.",
  no_form: "No login form was found on this page.",
  no_access: "Cryptex cannot reach this page.",
};
const ORDER: RefuseReason[] = [
  "insecure_page",
  "hidden_field",
  "needs_confirmation",
  "sandboxed_frame",
  "no_match",
  "bad_page_url",
  "no_gesture",
];

export async function fillTab(tabId: number, item: Item, opts: { gesture: boolean; confirmFrame?: number }): Promise<FillAnswer> {
  const nonce = crypto.randomUUID();
  scans.set(nonce, { tabId, reports: [] });
  let reports: FrameReport[];
  try {
    // the content script is declared for every page; injecting again covers tabs opened before install (it is idempotent)
    await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, files: ["content.js"] });
    await chrome.scripting.executeScript({
      target: { tabId, allFrames: true },
      func: (n: string) => (globalThis as unknown as { cryptexReport?: (n: string) => Promise<unknown> }).cryptexReport?.(n),
      args: [nonce],
    });
    reports = scans.get(nonce)?.reports ?? [];
  } catch {
    return { ok: false, reason: "no_access", text: TEXT.no_access };
  } finally {
    scans.delete(nonce);
  }
  const withFields = reports.filter((r) => r.found.username || r.found.password).sort((a, b) => a.frameId - b.frameId);
  if (withFields.length === 0) return { ok: false, reason: "no_form", text: TEXT.no_form };
  const urls = itemUrls(item);
  const mode = matchModeOf(item);
  const decided: [FrameReport, FillDecision][] = withFields.map((r) => [
    r,
    decideFill(urls, mode, {
      frameUrl: r.url,
      frameOrigin: r.origin,
      topUrl: r.tabUrl,
      frameId: r.frameId,
      gesture: opts.gesture,
      confirmedFrame: opts.confirmFrame === r.frameId,
      fieldsVisible: r.visible,
    }),
  ]);
  const chosen = decided.find(([, d]) => d.fill);
  if (chosen) {
    const [r, d] = chosen;
    const otpSecret = fieldValue(item, "totp");
    let otp = "";
    try {
      otp = r.found.otp && otpSecret ? totp(parseTotp(otpSecret)).code : "";
    } catch {
      otp = "";
    }
    const filled = (await chrome.tabs.sendMessage(
      tabId,
      { type: "fill", nonce, username: fieldValue(item, "username") ?? "", password: fieldValue(item, "password") ?? "", otp },
      r.documentId ? { frameId: r.frameId, documentId: r.documentId } : { frameId: r.frameId },
    )) as number | undefined;
    if (!filled) return { ok: false, reason: "hidden_field", text: TEXT.hidden_field };
    return { ok: true, filled, origin: d.fill ? d.origin : "" };
  }
  const reasons = decided.map(([, d]) => (d.fill ? undefined : d.reason));
  const reason = ORDER.find((x) => reasons.includes(x)) ?? "no_match";
  if (reason === "needs_confirmation") {
    const [r] = decided.find(([, d]) => !d.fill && d.reason === "needs_confirmation")!;
    return { ok: false, reason, text: TEXT[reason], confirmFrame: { frameId: r.frameId, origin: r.origin, top: new URL(r.tabUrl).origin } };
  }
  return { ok: false, reason, text: TEXT[reason] };
}
