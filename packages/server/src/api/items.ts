// Delta sync: pull changes since a revision in pages, push a batch atomically with per-item base
// revisions (stale base = 409 with the current versions, nothing applied). The server sees only ids,
// revisions and sizes: a delete is an encrypted tombstone, like any other write (docs/security.md §1).
import { LIMITS, pushRequest, type WireItem } from "@cryptex/core/wire/api.ts";
import { authenticate } from "../auth/authenticate.ts";
import { b64u, fromB64u } from "../auth/tokens.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readJson } from "../http/body.ts";
import type { Route } from "../http/router.ts";
import type { PushWrite, StoredItem } from "../store/store.ts";
import { quotaMessage } from "./quota-message.ts";

const DEFAULT_PAGE = 500;

const toWire = (i: StoredItem): WireItem =>
  i.data ? { id: i.id, revision: i.revision, data: b64u(i.data) } : { id: i.id, revision: i.revision };

function queryInt(url: URL, name: string, min: number, max: number, fallback: number): number {
  const v = url.searchParams.get(name);
  if (v === null) return fallback;
  if (!/^\d{1,16}$/.test(v) || Number(v) < min || Number(v) > max)
    throw new ApiError("bad_request", `${name} must be an integer ${min}..${max}`);
  return Number(v);
}

export function itemRoutes(deps: Deps): Route[] {
  const { store, metrics } = deps;
  return [
    {
      method: "GET",
      pattern: "/api/v1/items",
      async handler({ req, url }) {
        const s = await authenticate(deps, req);
        for (const k of url.searchParams.keys())
          if (k !== "since" && k !== "limit") throw new ApiError("bad_request", `unknown query parameter "${k.slice(0, 40)}"`);
        const since = queryInt(url, "since", 0, Number.MAX_SAFE_INTEGER, 0);
        const limit = queryInt(url, "limit", 1, LIMITS.pullPage, DEFAULT_PAGE);
        const page = await store.pull(s.accountId, since, limit);
        if (!page) throw new ApiError("unauthorized", "the account no longer exists");
        if (since > page.revision)
          throw new ApiError("revision_from_future", `since ${since} is above the account's revision ${page.revision}`);
        const items = page.items.map(toWire);
        let bytes = 0;
        for (const i of page.items) bytes += i.data?.length ?? 0;
        metrics.inc("cryptex_sync_items_pulled_total", {}, items.length);
        metrics.inc("cryptex_sync_bytes_pulled_total", {}, bytes);
        const next = page.more ? page.items.at(-1)!.revision : page.revision;
        return { status: 200, body: { items, revision: page.revision, more: page.more, next } };
      },
    },
    {
      method: "POST",
      pattern: "/api/v1/items",
      async handler({ req }) {
        const s = await authenticate(deps, req);
        const body = await readJson(req, pushRequest);
        const seen = new Set<string>();
        let bytes = 0;
        const writes: PushWrite[] = body.items.map((it, i) => {
          if (seen.has(it.id)) throw new ApiError("bad_request", `items[${i}].id: appears twice in one batch`);
          seen.add(it.id);
          const data = fromB64u(it.data, `items[${i}].data`);
          bytes += data.length;
          return { id: it.id, baseRevision: it.baseRevision, data };
        });
        if (writes.length === 0) {
          const a = await store.getAccount(s.accountId);
          return { status: 200, body: { revision: a?.revision ?? 0, items: [] } };
        }
        const r = await store.push(s.accountId, writes, s.id, deps.config.accountQuotaBytes);
        switch (r.kind) {
          case "no_account":
            throw new ApiError("unauthorized", "the account no longer exists");
          case "future":
            throw new ApiError("revision_from_future", "a baseRevision is above the account's revision");
          case "quota":
            throw new ApiError("quota_exceeded", quotaMessage(r.used, r.quota));
          case "conflict":
            metrics.inc("cryptex_sync_conflicts_total");
            return {
              status: 409,
              body: {
                code: "conflict",
                message: `${r.conflicts.length} item(s) changed since their base revision; nothing was applied`,
                conflicts: r.conflicts.map(toWire),
              },
            };
          case "applied":
            metrics.inc("cryptex_sync_items_pushed_total", {}, writes.length);
            metrics.inc("cryptex_sync_bytes_pushed_total", {}, bytes);
            return { status: 200, body: { revision: r.revision, items: r.items } };
        }
      },
    },
  ];
}
