// The TLS certificate: a given one (TLS_CERT/TLS_KEY), or a self-signed one for localhost made on first start
// in DATA_DIR/tls and reused afterwards. Made by the `openssl` binary (present on every Debian-like system and
// auditable) rather than a JS ASN.1 writer: ECDSA P-256, SAN DNS:localhost, IP:127.0.0.1, IP:::1, 825 days.
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Certificate {
  readonly cert: string;
  readonly key: string;
  /** SHA-256 fingerprint, colon-separated hex */
  readonly fingerprint: string;
  readonly created: boolean;
}

export class CertificateError extends Error {}

export function loadOrCreateCertificate(certFile: string, keyFile: string, selfSigned: boolean): Certificate {
  let created = false;
  if (selfSigned && !(existsSync(certFile) && existsSync(keyFile))) {
    makeSelfSigned(certFile, keyFile);
    created = true;
  }
  let cert: string;
  let key: string;
  try {
    cert = readFileSync(certFile, "utf8");
    key = readFileSync(keyFile, "utf8");
  } catch (e) {
    throw new CertificateError(`cannot read the TLS certificate or key: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
  }
  let fingerprint: string;
  try {
    fingerprint = new X509Certificate(cert).fingerprint256;
  } catch {
    throw new CertificateError(`${certFile} is not a PEM certificate`);
  }
  return { cert, key, fingerprint, created };
}

function makeSelfSigned(certFile: string, keyFile: string): void {
  const dir = dirname(certFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Written in a temp dir and renamed, so a crash never leaves a half certificate to be reused.
  const tmp = mkdtempSync(join(dir, ".new-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-sha256",
        "-days",
        "825",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
        "-addext",
        "extendedKeyUsage=serverAuth",
        "-keyout",
        join(tmp, "key.pem"),
        "-out",
        join(tmp, "cert.pem"),
      ],
      { stdio: "pipe" },
    );
    chmodSync(join(tmp, "key.pem"), 0o600);
    renameSync(join(tmp, "key.pem"), keyFile);
    renameSync(join(tmp, "cert.pem"), certFile);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
    throw new CertificateError(
      missing ? "openssl is not installed: install it, or set TLS_CERT and TLS_KEY" : "openssl could not make the self-signed certificate",
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
