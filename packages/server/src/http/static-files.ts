// The web app: files of packages/web/dist with their content types, long cache for hashed /assets/*,
// index.html for other GET paths (client-side routes), and a plain placeholder page when dist/ is absent.
// The build writes .br and .gz beside each text file; the one the client accepts is sent (brotli first),
// with Vary: Accept-Encoding so caches keep the encodings apart. No compression work at request time.
import { createReadStream, existsSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cryptex</title></head>
<body><h1>Cryptex server</h1><p>The API is at <code>/api/v1</code>. The web app is not built yet.</p></body></html>
`;

function file(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const full = normalize(join(root, decoded));
  if (full !== root && !full.startsWith(root + sep)) return undefined; // no way out of dist/
  try {
    return statSync(full).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

const ENCODINGS = [
  { name: "br", ext: ".br" },
  { name: "gzip", ext: ".gz" },
] as const;

/** The codings a client accepts, from Accept-Encoding (q=0 refuses one). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? "").slice(0, 1000).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((x) => x.trim()).find((x) => x.startsWith("q="));
    if (name && !(q && Number(q.slice(2)) === 0)) out.add(name);
  }
  return out;
}

function precompressed(path: string, accept: string | undefined): { path: string; encoding: string } | undefined {
  const ok = acceptedEncodings(accept);
  for (const e of ENCODINGS) {
    if (!ok.has(e.name)) continue;
    try {
      if (statSync(path + e.ext).isFile()) return { path: path + e.ext, encoding: e.name };
    } catch {
      // no precompressed copy of this one: try the next coding
    }
  }
  return undefined;
}

export function serveStatic(root: string, pathname: string, head: boolean, accept: string | undefined, res: ServerResponse): number {
  if (!existsSync(join(root, "index.html"))) {
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-length": Buffer.byteLength(PLACEHOLDER),
    });
    res.end(head ? undefined : PLACEHOLDER);
    return 200;
  }
  const asset = pathname.startsWith("/assets/");
  let path = pathname === "/" ? undefined : file(root, pathname);
  if (!path && asset) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("not found");
    return 404;
  }
  path ??= join(root, "index.html");
  const packed = precompressed(path, accept);
  const body = packed?.path ?? path;
  res.writeHead(200, {
    "content-type": TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
    "content-length": statSync(body).size,
    "cache-control": asset ? "public, max-age=31536000, immutable" : "no-cache",
    vary: "Accept-Encoding",
    ...(packed ? { "content-encoding": packed.encoding } : {}),
  });
  if (head) res.end();
  else createReadStream(body).pipe(res);
  return 200;
}
