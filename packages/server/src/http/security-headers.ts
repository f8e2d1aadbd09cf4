// Headers on every answer (docs/server.md): HSTS, no sniffing, no referrer, and the web app's strict CSP
// (hash-wasm needs 'wasm-unsafe-eval'; no inline scripts, no eval). connect-src names, besides the server
// itself, only the breach-check endpoint (BREACH_ENDPOINT), which the page asks with k-anonymity prefixes.
// frame-src blob: lets the page preview a decrypted PDF attachment it made itself (never a remote frame).
// COOP same-origin + COEP require-corp make the app cross-origin isolated, which the web app needs for shared
// memory (Argon2id's lanes in parallel workers); every answer here is same-origin with CORP same-origin, so
// nothing the app loads is refused, and a page of another origin cannot embed or read ours either way.
export function csp(breachOrigin?: string): string {
  const connect = breachOrigin ? `'self' ${breachOrigin}` : "'self'";
  return (
    `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src ${connect}; ` +
    "worker-src 'self' blob:; frame-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
  );
}

export function securityHeaders(breachOrigin?: string): Readonly<Record<string, string>> {
  return Object.freeze({
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "content-security-policy": csp(breachOrigin),
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-embedder-policy": "require-corp",
    "cross-origin-resource-policy": "same-origin",
  });
}
