// kill -9 during push batches: every acknowledged batch survives, and no batch is ever half applied.
// Batches of 200 items are pushed back to back from several clients; the server is SIGKILLed mid-stream,
// restarted on the same data, and the pulled state is checked batch by batch.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { b64u, signUp } from "../packages/server/src/testing/accounts.ts";
import { request } from "../packages/server/src/testing/https-client.ts";
import { type RunningServer, startServer } from "../packages/server/src/testing/start-server.ts";

let srv: RunningServer;
before(async () => {
  srv = await startServer();
});
after(() => srv?.stop());

test("kill -9 during pushes loses no acknowledged batch and leaves no half batch", async () => {
  const a = await signUp(srv);
  const batches = new Map<string, string[]>(); // batch tag → item ids
  const acked = new Set<string>();
  let killed = false;
  const client = async () => {
    while (!killed) {
      const tag = randomUUID();
      const ids = Array.from({ length: 200 }, () => randomUUID());
      batches.set(tag, ids);
      const items = ids.map((id) => ({
        id,
        baseRevision: 0,
        data: b64u(Buffer.concat([Buffer.from(tag), randomBytes(700)])),
      }));
      try {
        const r = await request("POST", `${srv.url}/api/v1/items`, { ca: srv.caPem, token: a.token, body: { items } });
        if (r.status === 200) acked.add(tag);
      } catch {
        return; // the connection died with the server
      }
    }
  };
  const clients = Array.from({ length: 3 }, client);
  while (acked.size < 5) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 37)); // land somewhere inside a batch
  killed = true;
  await srv.kill().catch(() => {});
  await Promise.all(clients);
  await srv.restart();

  const present = new Map<string, number>();
  const byId = new Map<string, string>();
  for (const [tag, ids] of batches) for (const id of ids) byId.set(id, tag);
  let since = 0;
  for (;;) {
    const p = await request("GET", `${srv.url}/api/v1/items?since=${since}&limit=1000`, { ca: srv.caPem, token: a.token });
    assert.equal(p.status, 200, p.text);
    for (const it of p.json.items) {
      const tag = byId.get(it.id);
      assert.ok(tag, "an item nobody pushed");
      assert.equal(Buffer.from(it.data, "base64url").subarray(0, 36).toString(), tag, "the data belongs to its batch");
      present.set(tag, (present.get(tag) ?? 0) + 1);
    }
    if (!p.json.more) break;
    since = p.json.next;
  }
  for (const tag of acked) assert.equal(present.get(tag), 200, "an acknowledged batch is missing items");
  for (const [tag, n] of present) assert.equal(n, 200, `batch ${tag} is half applied (${n} of 200)`);
  const account = await request("GET", `${srv.url}/api/v1/account`, { ca: srv.caPem, token: a.token });
  assert.equal(
    account.json.revision,
    [...present.values()].reduce((x, y) => x + y, 0),
    "the revision counts exactly the applied writes",
  );
  assert.ok(acked.size >= 5);
  assert.ok(batches.size > acked.size, "at least one batch was in flight when the server died");
});
