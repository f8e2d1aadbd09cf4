// The client address for rate limits and logs: the socket's peer, unless that peer is a proxy we were told to
// trust, in which case the right-most X-Forwarded-For entry (the one our proxy added; the rest is
// client-supplied and may be forged).
import { isIP } from "node:net";

const isLoopback = (a: string) => a.startsWith("127.") || a === "::1" || a.startsWith("::ffff:127.");

/** `peer` is undefined for a Unix-socket connection, which only a process on this host can open. */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: readonly string[]): string {
  const local = peer ?? "unix";
  const believed =
    trusted.length > 0 &&
    (peer === undefined ? trusted.includes("loopback") : trusted.includes(peer) || (trusted.includes("loopback") && isLoopback(peer)));
  if (!believed || !forwardedFor) return local;
  const last = forwardedFor
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);
  return last && isIP(last) ? last : local;
}
