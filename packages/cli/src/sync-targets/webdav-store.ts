// The WebDAV log target (Nextcloud, ownCloud, rclone, Apache mod_dav): the blob store over HTTP.
// Writes are create-only (`If-None-Match: *`, and a look first for servers that ignore it), listings walk PROPFIND depth 1, and every answer is
// bounded: the server is as untrusted as any storage provider.
import type { BlobRead, BlobStore } from "@cryptex/core/sync/log/blob-store.ts";
import { MAX_SEGMENT_BYTES } from "@cryptex/core/sync/log/segment.ts";
import { type LargeFiles, NotReadableNow } from "./large-files.ts";

export interface WebDavOptions {
  /** the collection that holds the account's files, e.g. https://cloud.example/remote.php/dav/files/me/Cryptex/<account>/ */
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
}

const MAX_LISTING_BYTES = 32 * 1024 * 1024;
const MAX_DEPTH = 4;

export class WebDavError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "WebDavError";
    this.status = status;
  }
}

async function boundedBytes(res: Response, max: number): Promise<Uint8Array | undefined> {
  const len = Number(res.headers.get("content-length") ?? "0");
  if (len > max) return undefined;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const c of res.body ?? []) {
    total += c.length;
    if (total > max) return undefined;
    chunks.push(c);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export class WebDavStore implements BlobStore, LargeFiles {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(opts: WebDavOptions) {
    this.base = new URL(opts.url.endsWith("/") ? opts.url : `${opts.url}/`);
    if (this.base.protocol !== "https:" && this.base.protocol !== "http:") throw new TypeError("WebDAV needs an http(s) URL");
    this.headers = opts.user ? { authorization: `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ""}`).toString("base64")}` } : {};
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  private url(path: string): URL {
    if (path.split("/").some((p) => p === ".." || p === ".")) throw new TypeError(`bad store path ${path}`);
    return new URL(path.split("/").map(encodeURIComponent).join("/"), this.base);
  }

  private request(
    method: string,
    url: URL,
    init: { headers?: Record<string, string>; body?: Uint8Array | string | ReadableStream<Uint8Array>; timeoutMs?: number } = {},
  ) {
    return fetch(url, {
      method,
      headers: { ...this.headers, ...init.headers },
      ...(init.body !== undefined ? { body: init.body as BodyInit } : {}),
      // a streamed body (an attachment blob) goes out as it is read
      ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
      redirect: "error",
      signal: AbortSignal.timeout(init.timeoutMs ?? this.timeoutMs),
    } as RequestInit);
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    await this.walk(prefix.replace(/\/$/, ""), out, 0);
    return out;
  }

  private async walk(dir: string, out: string[], depth: number): Promise<void> {
    const url = dir === "" ? this.base : new URL(`${this.url(dir).pathname}/`, this.base);
    const res = await this.request("PROPFIND", url, {
      headers: { depth: "1", "content-type": "application/xml" },
      body: '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>',
    });
    if (res.status === 404) return;
    if (res.status !== 207) throw new WebDavError(res.status, `WebDAV listing failed (${res.status})`);
    const body = await boundedBytes(res, MAX_LISTING_BYTES);
    if (!body) throw new WebDavError(502, "WebDAV listing is too large");
    const xml = new TextDecoder().decode(body);
    const here = url.pathname.replace(/\/$/, "");
    for (const m of xml.matchAll(/<(?:[\w-]+:)?response\b[\s\S]*?<\/(?:[\w-]+:)?response>/g)) {
      const href = /<(?:[\w-]+:)?href>([^<]*)<\/(?:[\w-]+:)?href>/.exec(m[0])?.[1];
      if (!href) continue;
      let path: string;
      try {
        path = decodeURIComponent(new URL(href.replaceAll("&amp;", "&"), this.base).pathname).replace(/\/$/, "");
      } catch {
        continue;
      }
      const root = decodeURIComponent(this.base.pathname).replace(/\/$/, "");
      if (path === decodeURIComponent(here) || !path.startsWith(`${root}/`)) continue;
      const rel = path.slice(root.length + 1);
      const isDir = /<(?:[\w-]+:)?collection[\s/>]/.test(m[0]);
      if (isDir) {
        if (depth < MAX_DEPTH) await this.walk(rel, out, depth + 1);
      } else out.push(rel);
    }
  }

  async get(path: string): Promise<BlobRead> {
    let res: Response;
    try {
      res = await this.request("GET", this.url(path));
    } catch (e) {
      return { kind: "unavailable", reason: (e as Error).name };
    }
    if (res.status === 404) return { kind: "absent" };
    if (res.status !== 200) return { kind: "unavailable", reason: `HTTP ${res.status}` };
    const bytes = await boundedBytes(res, MAX_SEGMENT_BYTES);
    return bytes ? { kind: "ok", bytes } : { kind: "unavailable", reason: "too large" };
  }

  async size(path: string): Promise<number | undefined | "unavailable"> {
    let res: Response;
    try {
      res = await this.request("HEAD", this.url(path));
    } catch {
      return "unavailable";
    }
    if (res.status === 404) return undefined;
    const len = Number(res.headers.get("content-length"));
    if (res.status !== 200 || !Number.isSafeInteger(len) || len < 0) return "unavailable";
    return len;
  }

  async *stream(path: string, max: number): AsyncGenerator<Uint8Array> {
    let res: Response;
    try {
      // a large blob may take long: the time limit grows with what may come (at least 1 MiB/s)
      res = await this.request("GET", this.url(path), { timeoutMs: this.timeoutMs + Math.ceil(max / 1024) });
    } catch (e) {
      throw new NotReadableNow((e as Error).name);
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new NotReadableNow(`HTTP ${res.status}`);
    }
    let total = 0;
    try {
      for await (const c of res.body ?? []) {
        total += c.length;
        if (total > max) throw new NotReadableNow("longer than expected");
        yield c;
      }
    } catch (e) {
      if (e instanceof NotReadableNow) throw e;
      throw new NotReadableNow((e as Error).name);
    }
  }

  async putStreamNew(path: string, source: () => AsyncIterable<Uint8Array>): Promise<"created" | "exists"> {
    return this.put(path, () => {
      const it = source()[Symbol.asyncIterator]();
      return new ReadableStream<Uint8Array>({
        async pull(ctrl) {
          const { value, done } = await it.next();
          if (done) ctrl.close();
          else ctrl.enqueue(value);
        },
        async cancel() {
          await it.return?.();
        },
      });
    });
  }

  private baseReady = false;

  async putNew(path: string, bytes: Uint8Array): Promise<"created" | "exists"> {
    return this.put(path, () => bytes);
  }

  private async put(path: string, body: () => Uint8Array | ReadableStream<Uint8Array>): Promise<"created" | "exists"> {
    const parts = path.split("/");
    if (!this.baseReady) {
      // the account's collection and the ones above it that are missing (the user's URL itself must be
      // there: levels above it answer 405 "exists" or refuse, which is fine until the last)
      const segs = this.base.pathname.split("/").filter(Boolean);
      for (let i = 1; i <= segs.length; i++) {
        const res = await this.request("MKCOL", new URL(`/${segs.slice(0, i).join("/")}/`, this.base));
        if (i === segs.length && res.status !== 201 && res.status !== 405 && res.status !== 200)
          throw new WebDavError(res.status, `WebDAV could not create the account's folder (${res.status})`);
      }
      this.baseReady = true;
    }
    for (let i = 1; i < parts.length; i++) {
      const res = await this.request("MKCOL", new URL(`${this.url(parts.slice(0, i).join("/")).pathname}/`, this.base));
      // 405: it exists already
      if (res.status !== 201 && res.status !== 405 && res.status !== 200)
        throw new WebDavError(res.status, `WebDAV could not create a folder (${res.status})`);
    }
    // some servers ignore If-None-Match (rclone 1.60 does): ask first; only this device writes this name
    const head = await this.request("HEAD", this.url(path));
    if (head.status === 200) return "exists";
    const payload = body();
    const res = await this.request("PUT", this.url(path), {
      headers: { "if-none-match": "*", "content-type": "application/octet-stream" },
      body: payload,
      ...(payload instanceof ReadableStream ? { timeoutMs: 3_600_000 } : {}),
    });
    if (res.status === 412) return "exists";
    if (res.status !== 201 && res.status !== 204 && res.status !== 200)
      throw new WebDavError(res.status, `WebDAV write failed (${res.status})`);
    return "created";
  }

  async removeOwn(path: string): Promise<void> {
    const res = await this.request("DELETE", this.url(path));
    if (res.status !== 204 && res.status !== 200 && res.status !== 404)
      throw new WebDavError(res.status, `WebDAV delete failed (${res.status})`);
  }
}
