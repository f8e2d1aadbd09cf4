import assert from "node:assert/strict";
import { test } from "node:test";
import { syncMethodNote } from "./sync-method-note.ts";

test("the web app names the account's method and, for a folder or WebDAV, what a browser needs", () => {
  assert.equal(syncMethodNote(undefined).method, "Server");
  assert.equal(syncMethodNote({ kind: "server" }).method, "Server");
  const folder = syncMethodNote({ kind: "folder", hint: "Dropbox" });
  assert.equal(folder.method, 'Shared folder ("Dropbox")');
  assert.match(folder.note, /cannot use a folder.*server method on a device that has the folder/);
  assert.match(syncMethodNote({ kind: "webdav", url: "https://dav.example/" }).note, /server method/);
  assert.match(syncMethodNote({ kind: "none" }).note, /keep their items to themselves/);
});
