// Pairing code text forms and derivations: round trips, every refusal with its code, fixed derivations.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fromHex, toHex } from "../encoding/bytes.ts";
import { isCryptexError } from "../errors.ts";
import {
  comparisonCode,
  newPairingSecret,
  type PairingSecret,
  pairingCodeText,
  pairingKeys,
  pairingUri,
  parsePairingCode,
} from "./pairing-code.ts";

const ORIGIN = "https://vault.example.org";
const fixed = fromHex("000102030405060708090a0b0c0d0e0f") as PairingSecret;

test("the typed code is 28 characters in groups of four; QR text and typed text parse back to the secret", () => {
  const s = newPairingSecret();
  const typed = pairingCodeText(s);
  assert.match(typed, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){6}$/);
  assert.deepEqual(parsePairingCode(typed, ORIGIN), s);
  assert.deepEqual(parsePairingCode(` ${typed.toLowerCase().replaceAll("-", " ")} `, ORIGIN), s);
  assert.deepEqual(parsePairingCode(pairingUri(s, ORIGIN), ORIGIN), s);
  assert.equal(pairingUri(fixed, ORIGIN), `CRYPTEX-PAIR1:AEAACAQDAQCQMBYIBEFAWDANBYHQ@${ORIGIN}`);
});

test("refusals: another origin, an account QR, wrong length, foreign characters, another version", () => {
  const typed = pairingCodeText(fixed);
  const refuse = (text: string, code: Parameters<typeof isCryptexError>[1]) =>
    assert.throws(
      () => parsePairingCode(text, ORIGIN),
      (e) => isCryptexError(e, code),
      text,
    );
  refuse(pairingUri(fixed, "https://evil.example"), "origin_mismatch");
  refuse("CRYPTEX-PAIR1:AEAAC", "invalid_input");
  refuse("CRYPTEX:ABCDEFGH", "invalid_input");
  refuse(typed.slice(0, -2), "invalid_input");
  refuse(`${typed.slice(0, -1)}1`, "invalid_input");
  refuse(`AI${typed.slice(2)}`, "unsupported_format");
  refuse("x".repeat(500), "invalid_input");
});

test("derivations are fixed functions of the secret and the origin", async () => {
  const a = await pairingKeys(fixed, ORIGIN);
  const b = await pairingKeys(fixed, "https://other.example");
  assert.equal(a.channel.length, 22);
  assert.equal(a.channel, b.channel); // the relay channel does not depend on the origin …
  assert.notDeepEqual(a.prologue, b.prologue); // … the handshake does
  assert.notEqual(toHex(a.psk), toHex((await pairingKeys(newPairingSecret(), ORIGIN)).psk));
  const sas = await comparisonCode(new Uint8Array(32));
  assert.match(sas, /^\d{6}$/);
  assert.equal(sas, await comparisonCode(new Uint8Array(32)));
  assert.notEqual(sas, await comparisonCode(new Uint8Array(32).fill(1)));
});
