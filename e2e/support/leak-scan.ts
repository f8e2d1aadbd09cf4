// The plaintext-leak scanner: looks for planted secrets in any bytes, in every encoding a careless
// program might write them with (UTF-8, UTF-16LE/BE, hex, base64, base64url, base32 at every alignment).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { base32Encode } from "@cryptex/core/encoding/base32.ts";

/** Every byte pattern `secret` could leave behind. Encoded forms drop the edge characters that depend on neighbours. */
export function encodings(secret: string | Uint8Array): { name: string; bytes: Buffer }[] {
  const raw = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  const out = [
    { name: typeof secret === "string" ? "utf8" : "raw", bytes: raw },
    ...(typeof secret === "string"
      ? [
          { name: "utf16le", bytes: Buffer.from(secret, "utf16le") },
          { name: "utf16be", bytes: Buffer.from(secret, "utf16le").swap16() },
        ]
      : []),
    { name: "hex", bytes: Buffer.from(raw.toString("hex")) },
    { name: "HEX", bytes: Buffer.from(raw.toString("hex").toUpperCase()) },
  ];
  for (let pad = 0; pad < 3; pad++) {
    const b64 = Buffer.concat([Buffer.alloc(pad), raw]).toString("base64");
    const core = b64.slice(Math.ceil((pad * 4) / 3) + (pad ? 1 : 0), -4).replace(/=+$/, "");
    out.push({ name: `base64+${pad}`, bytes: Buffer.from(core) });
    out.push({ name: `base64url+${pad}`, bytes: Buffer.from(core.replace(/\+/g, "-").replace(/\//g, "_")) });
  }
  for (let pad = 0; pad < 5; pad++) {
    const b32 = base32Encode(new Uint8Array(Buffer.concat([Buffer.alloc(pad), raw])));
    const core = b32.slice(Math.ceil((pad * 8) / 5) + (pad ? 1 : 0), -8).replace(/=+$/, "");
    out.push({ name: `base32+${pad}`, bytes: Buffer.from(core) });
    out.push({ name: `base32lower+${pad}`, bytes: Buffer.from(core.toLowerCase()) });
  }
  return out.filter((e) => e.bytes.length >= 8);
}

export interface Hit {
  readonly secret: string | Uint8Array;
  readonly encoding: string;
  readonly where: string;
}

export function scan(sources: { where: string; bytes: Buffer }[], secrets: readonly (string | Uint8Array)[]): Hit[] {
  const hits: Hit[] = [];
  for (const secret of secrets) {
    const forms = encodings(secret);
    for (const s of sources) for (const f of forms) if (s.bytes.includes(f.bytes)) hits.push({ secret, encoding: f.name, where: s.where });
  }
  return hits;
}

/** Every file under `dir` (SQLite file, WAL, SHM, outbox mails, …). */
export function filesUnder(dir: string): { where: string; bytes: Buffer }[] {
  const out: { where: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push({ where: p, bytes: readFileSync(p) });
  }
  return out;
}
