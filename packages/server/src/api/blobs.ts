// Attachment blobs (docs/api.md "Attachments"): opaque bytes the server stores and streams back, never reads.
// An upload declares the blob's size first (counted in the quota at once) and arrives in pieces, each at the
// offset the server holds, so an interrupted upload resumes; a download starts at any offset.
import { LIMITS } from "@cryptex/core/wire/api.ts";
import { authenticate } from "../auth/authenticate.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readNoBody } from "../http/body.ts";
import type { Answer, Ctx, Route } from "../http/router.ts";
import { quotaMessage } from "./quota-message.ts";

/** A refused upload piece up to this size is read and dropped rather than cut off. */
const DRAIN_BYTES = 16 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function blobId(params: Readonly<Record<string, string>>): string {
  const id = params.id ?? "";
  if (!UUID.test(id)) throw new ApiError("bad_request", "the blob id must be a UUID");
  return id;
}

function query(url: URL, allowed: readonly string[]): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const k of url.searchParams.keys())
    if (!allowed.includes(k)) throw new ApiError("bad_request", `unknown query parameter "${k.slice(0, 40)}"`);
  for (const k of allowed) {
    const v = url.searchParams.get(k);
    if (v === null) continue;
    if (!/^\d{1,16}$/.test(v) || Number(v) > LIMITS.attachmentBlob)
      throw new ApiError("bad_request", `${k} must be an integer 0..${LIMITS.attachmentBlob}`);
    out[k] = Number(v);
  }
  return out;
}

export function blobRoutes(deps: Deps): Route[] {
  const { store, blobs, metrics } = deps;
  /** uploads in progress in this process: one writer per blob */
  const busy = new Set<string>();
  async function upload({ req, url, params }: Ctx): Promise<Answer> {
    const s = await authenticate(deps, req);
    const id = blobId(params);
    const { offset = 0, size } = query(url, ["offset", "size"]);
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/octet-stream")
      throw new ApiError("unsupported_media_type", "send the blob bytes as application/octet-stream");
    const length = Number(req.headers["content-length"] ?? Number.NaN);
    if (!Number.isSafeInteger(length) || length < 0) throw new ApiError("bad_request", "a blob piece needs a Content-Length");
    if (size === undefined) throw new ApiError("bad_request", "size (the whole blob's bytes) is required");
    if (offset + length > size) throw new ApiError("too_large", "the piece goes past the blob's declared size");
    let held = await store.getBlob(s.accountId, id);
    if (!held) {
      if (offset !== 0) throw new ApiError("not_found", "no upload of this blob was started: start at offset 0");
      switch (await store.createBlob(s.accountId, id, size, deps.now(), deps.config.accountQuotaBytes)) {
        case "no_account":
          throw new ApiError("unauthorized", "the account no longer exists");
        case "quota":
          throw new ApiError("quota_exceeded", quotaMessage((await store.storageUsed(s.accountId)) ?? 0, deps.config.accountQuotaBytes));
        case "too_many":
          throw new ApiError("bad_request", "this account keeps too many attachments");
        case "exists":
        case "created":
          break;
      }
      held = (await store.getBlob(s.accountId, id))!;
    }
    if (held.size !== size) throw new ApiError("conflict", `this blob was started with another size (${held.size} bytes)`);
    if (offset !== held.received)
      throw new ApiError("conflict", `the upload is at byte ${held.received}: send from there (GET …/state tells)`);
    const key = `${s.accountId}/${id}`;
    if (busy.has(key)) throw new ApiError("conflict", "another upload of this blob is in progress", { connection: "close" });
    busy.add(key);
    try {
      const w = await blobs.write(s.accountId, id, offset, req, length);
      const received = Math.min(w.length, size);
      await store.setBlobReceived(s.accountId, id, received);
      metrics.inc("cryptex_blob_bytes_received_total", {}, Math.max(0, received - offset));
      if (w.over) throw new ApiError("too_large", "the body is longer than its Content-Length", { connection: "close" });
      return { status: 200, body: { size, received } };
    } finally {
      busy.delete(key);
    }
  }

  return [
    {
      method: "PUT",
      pattern: "/api/v1/blobs/:id",
      async handler(ctx) {
        try {
          return await upload(ctx);
        } catch (e) {
          // a refused piece is drained when small, so the client reads the answer; a large one closes the connection
          if (!(e instanceof ApiError) || ctx.req.readableEnded) throw e;
          if (Number(ctx.req.headers["content-length"]) <= DRAIN_BYTES && !e.headers.connection) {
            ctx.req.resume();
            throw e;
          }
          throw new ApiError(e.code, e.message, { ...e.headers, connection: "close" });
        }
      },
    },

    {
      method: "GET",
      pattern: "/api/v1/blobs/:id/state",
      async handler({ req, params }) {
        const s = await authenticate(deps, req);
        const b = await store.getBlob(s.accountId, blobId(params));
        if (!b) throw new ApiError("not_found", "no such blob");
        return { status: 200, body: { size: b.size, received: b.received } };
      },
    },
    {
      method: "GET",
      pattern: "/api/v1/blobs/:id",
      async handler({ req, res, url, params }) {
        const s = await authenticate(deps, req);
        const id = blobId(params);
        const { offset = 0 } = query(url, ["offset"]);
        const b = await store.getBlob(s.accountId, id);
        if (!b) throw new ApiError("not_found", "no such blob");
        if (b.received < b.size) throw new ApiError("conflict", "the blob's upload has not finished");
        if (offset > b.size) throw new ApiError("bad_request", `offset is past the blob's ${b.size} bytes`);
        const stream = blobs.read(s.accountId, id, offset);
        await new Promise<void>((resolve, reject) => {
          stream.once("open", () => resolve());
          stream.once("error", reject);
        }).catch(() => {
          throw new ApiError("not_found", "the blob's bytes are missing on the server");
        });
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": String(b.size - offset),
          "cache-control": "no-store",
        });
        stream.pipe(res);
        stream.on("data", (c: Buffer) => blobs.sent(c.length)); // after pipe: the stream flows into the answer first
        stream.once("error", () => res.destroy());
        metrics.inc("cryptex_blob_bytes_sent_total", {}, b.size - offset);
        return "streamed";
      },
    },
    {
      method: "DELETE",
      pattern: "/api/v1/blobs/:id",
      async handler({ req, params }) {
        const s = await authenticate(deps, req);
        const id = blobId(params);
        await readNoBody(req);
        const gone = await store.deleteBlob(s.accountId, id);
        await blobs.remove(s.accountId, id);
        if (!gone) throw new ApiError("not_found", "no such blob");
        return { status: 204 };
      },
    },
  ];
}
