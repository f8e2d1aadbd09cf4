// Finds the login fields of a page (username, password, one-time code) in the document, open shadow roots and
// <dialog>s, and judges whether a field is really visible to the user; runs in the content script.

export interface LoginFields {
  readonly username?: HTMLInputElement;
  readonly password?: HTMLInputElement;
  readonly newPassword?: HTMLInputElement;
  readonly otp?: HTMLInputElement;
}

const TEXTY = new Set(["text", "email", "tel", ""]);
const USER_WORDS = /user|e-?mail|login|account|identifier|member|customer|benutzer|courriel|usuario/i;
const SKIP_WORDS = /search|captcha|coupon|promo|zip|postal|city|phone number|newsletter/i;
const OTP_WORDS = /one.?time|otp|2fa|two.?factor|verification code|totp|authenticator/i;

/** Every input in the document, descending into open shadow roots (closed ones are out of reach by design). */
export function allInputs(root: Document | ShadowRoot = document): HTMLInputElement[] {
  const out: HTMLInputElement[] = [];
  const walk = (node: Document | ShadowRoot | Element) => {
    for (const el of node.querySelectorAll("*")) {
      if (el instanceof HTMLInputElement) out.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(root);
  return out;
}

/** The text a user reads for a field: its labels, aria-label, placeholder, and name/id as a last resort. */
export function fieldText(el: HTMLInputElement): string {
  const parts: string[] = [];
  for (const l of el.labels ?? []) parts.push(l.textContent ?? "");
  const by = el.getAttribute("aria-labelledby");
  const root = el.getRootNode() as Document | ShadowRoot;
  if (by) for (const id of by.split(/\s+/)) parts.push(root.getElementById?.(id)?.textContent ?? "");
  parts.push(el.getAttribute("aria-label") ?? "", el.placeholder ?? "", el.name ?? "", el.id ?? "");
  return parts.join(" ").slice(0, 500);
}

const tokens = (el: HTMLInputElement) => (el.getAttribute("autocomplete") ?? "").toLowerCase().split(/\s+/);

function kindOf(el: HTMLInputElement): "password" | "new-password" | "username" | "otp" | undefined {
  if (el.disabled || el.readOnly) return undefined;
  const ac = tokens(el);
  const type = el.type.toLowerCase();
  if (ac.includes("one-time-code")) return "otp";
  if (type === "password") return ac.includes("new-password") ? "new-password" : "password";
  if (!TEXTY.has(type) && type !== "text") return undefined;
  if (ac.includes("username") || ac.includes("email")) return "username";
  if (ac.includes("off") || ac.includes("cc-number") || ac.includes("name")) return undefined;
  const text = fieldText(el);
  if (OTP_WORDS.test(text)) return "otp";
  if (SKIP_WORDS.test(text)) return undefined;
  if (type === "email" || USER_WORDS.test(text)) return "username";
  return undefined;
}

/** The element that groups a login: its form, else the nearest dialog or shadow root or the document. */
const groupOf = (el: HTMLInputElement): Node => el.form ?? el.closest("dialog") ?? el.getRootNode();

/**
 * The login fields a fill would use, among visible candidates only: a password field and the username field
 * before it in the same form; on a two-step page, the lone username or lone password field.
 */
export function findLoginFields(root: Document = document, visible: (el: HTMLInputElement) => boolean = isVisible): LoginFields {
  const inputs = allInputs(root).filter((el) => kindOf(el) !== undefined && visible(el));
  const passwords = inputs.filter((el) => kindOf(el) === "password");
  const newPasswords = inputs.filter((el) => kindOf(el) === "new-password");
  const users = inputs.filter((el) => kindOf(el) === "username");
  const otp = inputs.find((el) => kindOf(el) === "otp");
  const password = passwords[0];
  const anchor = password ?? newPasswords[0];
  let username: HTMLInputElement | undefined;
  if (anchor) {
    const group = groupOf(anchor);
    const before = users.filter((u) => groupOf(u) === group && u.compareDocumentPosition(anchor) & Node.DOCUMENT_POSITION_FOLLOWING);
    username = before.at(-1) ?? users.find((u) => groupOf(u) === group);
  } else if (users.length >= 1) {
    username = users[0];
  }
  return {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(newPasswords[0] ? { newPassword: newPasswords[0] } : {}),
    ...(otp ? { otp } : {}),
  };
}

/** Opacity the user actually sees: the product of the element's and every ancestor's, across shadow hosts. */
export function effectiveOpacity(el: Element): number {
  let o = 1;
  for (let n: Element | null = el; n; n = n.parentElement ?? ((n.getRootNode() as ShadowRoot).host || null)) {
    o *= Number(getComputedStyle(n).opacity || "1");
  }
  return o;
}

/** The element at a point, descending into open shadow roots. */
function deepElementFromPoint(x: number, y: number): Element | null {
  let el = document.elementFromPoint(x, y);
  while (el?.shadowRoot) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  return el;
}

export const MIN_SIZE = 10;
export const MIN_OPACITY = 0.7;

/** Visible means: big enough, shown, not clipped away, opaque enough, in the viewport, and not covered. */
export function isVisible(el: HTMLInputElement): boolean {
  const r = el.getBoundingClientRect();
  if (r.width < MIN_SIZE || r.height < MIN_SIZE) return false;
  if (!el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true, contentVisibilityAuto: true })) return false;
  if (effectiveOpacity(el) < MIN_OPACITY) return false;
  const cx = r.left + r.width / 2;
  const cy = r.top + r.height / 2;
  if (cx < 0 || cy < 0 || cx > innerWidth || cy > innerHeight) return false;
  // hit-testing honours clip, clip-path, overflow and overlays: whatever covers the field's centre wins
  const hit = deepElementFromPoint(cx, cy);
  if (!hit) return false;
  if (hit === el || el.contains(hit)) return true;
  for (const l of el.labels ?? []) if (l === hit || l.contains(hit)) return true;
  return false;
}

/** Fields that fade or slide in: polls briefly until visible login fields appear (or gives up). */
export async function waitForLoginFields(timeoutMs = 1000, root: Document = document): Promise<LoginFields> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const f = findLoginFields(root);
    if (f.username || f.password || Date.now() >= end) return f;
    await new Promise((r) => setTimeout(r, 100));
  }
}
