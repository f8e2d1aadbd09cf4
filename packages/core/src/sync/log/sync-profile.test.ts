import assert from "node:assert/strict";
import { test } from "node:test";
import { freshAccountKeys } from "../../formats/test-keys.ts";
import { openSyncProfile, sealSyncProfile } from "./sync-profile.ts";

test("a sync profile opens only for its account, unchanged", async () => {
  const keys = await freshAccountKeys();
  for (const p of [
    { kind: "server" as const },
    { kind: "none" as const },
    { kind: "folder" as const, hint: "Dropbox" },
    { kind: "webdav" as const, url: "https://dav.example/x/", user: "me" },
  ]) {
    assert.deepEqual(await openSyncProfile(keys, await sealSyncProfile(keys, p)), p);
  }
  const sealed = await sealSyncProfile(keys, { kind: "folder", hint: "Dropbox" });
  await assert.rejects(openSyncProfile(await freshAccountKeys(), sealed), { code: "tampered" });
  const bad = sealed.slice();
  bad[bad.length - 1]! ^= 1;
  await assert.rejects(openSyncProfile(keys, bad), { code: "tampered" });
  await assert.rejects(openSyncProfile(keys, new Uint8Array(3)), { code: "tampered" });
});
