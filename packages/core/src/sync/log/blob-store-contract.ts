// The behaviour every BlobStore (memory, a folder, WebDAV) must show, as a reusable test suite; the
// runner and assertions are passed in, as in store-contract.ts, because core imports no node: modules.
import type { BlobStore } from "./blob-store.ts";

export interface BlobContractRunner {
  test(name: string, fn: () => Promise<void>): unknown;
  assert: {
    equal(actual: unknown, expected: unknown, message?: string): void;
    deepEqual(actual: unknown, expected: unknown, message?: string): void;
  };
}

const bytes = (...b: number[]) => new Uint8Array(b);

export function blobStoreContract(name: string, fresh: () => Promise<BlobStore>, { test, assert }: BlobContractRunner): void {
  test(`${name}: an empty store lists nothing and reads absent`, async () => {
    const s = await fresh();
    assert.deepEqual(await s.list(""), []);
    assert.deepEqual(await s.list("log/"), []);
    assert.deepEqual(await s.get("log/x/0000000000000001-00000000.cxs"), { kind: "absent" });
  });

  test(`${name}: create-only writes, nested listing, own removal`, async () => {
    const s = await fresh();
    const dev = "7a1c1a5e-0000-4000-8000-000000000001";
    const a = `log/${dev}/0000000000000001-0badf00d.cxs`;
    const b = `mf/${dev}/0000000000000001-0badf00d.cxm`;
    assert.equal(await s.putNew(a, bytes(1, 2, 3)), "created");
    assert.equal(await s.putNew(a, bytes(9)), "exists", "an existing file is never replaced");
    assert.deepEqual(await s.get(a), { kind: "ok", bytes: bytes(1, 2, 3) });
    assert.equal(await s.putNew(b, bytes(0, 255)), "created");
    assert.deepEqual((await s.list("")).sort(), [a, b].sort());
    assert.deepEqual(await s.list("log/"), [a]);
    await s.removeOwn(a);
    await s.removeOwn(a);
    assert.deepEqual(await s.get(a), { kind: "absent" });
    assert.deepEqual(await s.list("log/"), []);
  });

  test(`${name}: names with spaces and parentheses, as sync clients make them`, async () => {
    const s = await fresh();
    const p = "log/7a1c1a5e-0000-4000-8000-000000000002/0000000000000001-0badf00d (conflicted copy 2026-11-30).cxs";
    assert.equal(await s.putNew(p, bytes(5)), "created");
    assert.deepEqual(await s.list(""), [p]);
    assert.deepEqual(await s.get(p), { kind: "ok", bytes: bytes(5) });
  });
}
