// The kit's words: the grouped key types back to the exact EAK text, and the instructions name the way this
// account signs in (a server's address, or the folder it syncs through).
import assert from "node:assert/strict";
import { test } from "node:test";
import { createEak, eakToText, parseEakText } from "../formats/eak.ts";
import { generateAccountKey } from "../keys/account-key.ts";
import { newAccountId } from "../keys/ids.ts";
import { emergencyKitContent, emergencyKitText, groupedEak } from "./emergency-kit.ts";

const at = new Date("2026-11-25T10:00:00Z");

test("the grouped key parses back to the same EAK", async () => {
  const { eak } = await createEak("correct horse battery staple", generateAccountKey(), newAccountId());
  const text = eakToText(eak);
  const grouped = groupedEak(text);
  assert.match(grouped, /^CRYPTEX: (\S{4} )+\S{1,4}$/);
  assert.deepEqual(parseEakText(grouped), parseEakText(text));
});

test("a server account's kit names the server for the web app and the CLI", () => {
  const k = { eakText: "CRYPTEX:ABCDEFGH", email: "a@example.org", serverUrl: "https://vault.example.org", createdAt: at };
  const c = emergencyKitContent(k);
  assert.deepEqual(c.facts, ["Account e-mail: a@example.org", "Server: https://vault.example.org", "Created: 2026-11-25"]);
  const text = emergencyKitText(k);
  assert.ok(text.includes("open https://vault.example.org, choose Sign in"));
  assert.ok(text.includes("cryptex signin --server https://vault.example.org --email a@example.org --qr"));
  assert.ok(text.includes("CRYPTEX: ABCD EFGH"));
});

test("a folder account's kit names the folder and the folder sign-in", () => {
  const c = emergencyKitContent({ eakText: "CRYPTEX:ABCD", email: "a@example.org", serverUrl: "folder /srv/sync", createdAt: at });
  assert.equal(c.facts[1], "Sync: folder /srv/sync");
  assert.ok(c.steps.some((s) => s.includes("cryptex signin --folder /srv/sync --email a@example.org")));
  assert.ok(!c.steps.some((s) => s.includes("--server")));
});
