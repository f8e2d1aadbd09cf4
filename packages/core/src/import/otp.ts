// TOTP parameters from the several ways exports carry them, written as one otpauth:// URI so that the
// algorithm, digits and period survive (a bare secret means SHA-1, 6 digits, 30 s).

export interface OtpParts {
  readonly secret: string;
  readonly algorithm?: string;
  readonly digits?: number | string;
  readonly period?: number | string;
  readonly issuer?: string;
  readonly account?: string;
}

export function otpauthUri(p: OtpParts): string {
  const alg = (p.algorithm ?? "SHA1")
    .toUpperCase()
    .replace(/^HMAC-?/, "")
    .replace("-", "");
  const digits = Number(p.digits ?? 6) || 6;
  const period = Number(p.period ?? 30) || 30;
  const secret = p.secret.replace(/\s+/g, "");
  if (alg === "SHA1" && digits === 6 && period === 30 && !p.issuer && !p.account) return secret;
  const label = encodeURIComponent(p.account || p.issuer || "");
  const q = new URLSearchParams({ secret });
  if (p.issuer) q.set("issuer", p.issuer);
  q.set("algorithm", alg);
  q.set("digits", String(digits));
  q.set("period", String(period));
  return `otpauth://totp/${label}?${q}`;
}

/** KeePassXC's `otp` attribute is an otpauth URI; KeePass 2.47+ uses TimeOtp-* attributes. */
export function keepassOtp(attrs: ReadonlyMap<string, string>): { value: string; used: string[] } | undefined {
  const otp = attrs.get("otp");
  if (otp) return { value: otp, used: ["otp"] };
  const b32 = attrs.get("TimeOtp-Secret-Base32");
  if (!b32) return undefined;
  const used = ["TimeOtp-Secret-Base32", "TimeOtp-Length", "TimeOtp-Period", "TimeOtp-Algorithm"];
  const alg = (attrs.get("TimeOtp-Algorithm") ?? "HMAC-SHA-1")
    .toUpperCase()
    .replace(/^HMAC-/, "")
    .replace("-", "");
  return {
    value: otpauthUri({ secret: b32, algorithm: alg, digits: attrs.get("TimeOtp-Length"), period: attrs.get("TimeOtp-Period") }),
    used,
  };
}
