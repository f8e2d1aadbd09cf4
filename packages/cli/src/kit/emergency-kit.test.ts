// The Emergency Kit PNG: its QR code decodes to the exact EAK text, every character it draws has a glyph,
// and the text block really is drawn (ink where the key text goes, none in the margins).
import assert from "node:assert/strict";
import { test } from "node:test";
import { emergencyKitContent, groupedEak } from "@cryptex/core/client/emergency-kit.ts";
import { decodeQrImage } from "@cryptex/core/formats/qr-decode.ts";
import { decode as decodePng } from "fast-png";
import { GLYPH_H, GLYPH_W, glyph, hasGlyph } from "./bitmap-font.ts";
import { kitPng, kitText } from "./emergency-kit.ts";

const info = {
  eakText: `CRYPTEX:${"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(5)}`,
  email: "alice.smith+vault@example.org",
  serverUrl: "https://vault.example.org:8443",
  createdAt: new Date("2026-11-25T10:00:00Z"),
};

test("emergency kit: the QR code in the PNG decodes to the EAK text; the text file says the same", () => {
  const png = kitPng(info);
  assert.equal(decodeQrImage(png), info.eakText);
  const txt = kitText(info);
  for (const s of [info.email, info.serverUrl, "2026-11-25", groupedEak(info.eakText)]) assert.ok(txt.includes(s), s);
  assert.equal(groupedEak(info.eakText).replace(/ /g, ""), info.eakText);
});

test("emergency kit: every character drawn has its own glyph; glyphs are 5×7 and distinct", () => {
  const l = emergencyKitContent(info);
  for (const ch of [l.heading, ...l.facts, l.keyLabel, l.key, ...l.steps].join(""))
    assert.ok(hasGlyph(ch), `no glyph for ${JSON.stringify(ch)}`);
  const seen = new Map<string, string>();
  for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;-_/@()!?'\"+=<>#&*%[]|$") {
    const bits = glyph(ch);
    assert.equal(bits.length, GLYPH_W * GLYPH_H);
    const key = bits.map((b) => (b ? 1 : 0)).join("");
    assert.ok(!seen.has(key), `${ch} looks like ${seen.get(key)}`);
    seen.set(key, ch);
  }
});

test("emergency kit: the image has ink in the text rows and a white margin", () => {
  const img = decodePng(kitPng(info));
  const px = img.data as Uint8Array;
  const ink = (x0: number, y0: number, w: number, h: number) => {
    let n = 0;
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) if (px[y * img.width + x]! < 128) n++;
    return n;
  };
  assert.equal(ink(0, 0, img.width, 40), 0, "top margin is white");
  assert.equal(ink(0, 0, 40, img.height), 0, "left margin is white");
  assert.ok(ink(60, 60, 600, 35) > 500, "the heading is drawn");
  assert.ok(ink(60, img.height - 200, 800, 140) > 500, "the instructions are drawn");
});
