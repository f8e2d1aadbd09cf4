// The Emergency Kit (docs/architecture.md, sign-up): one grayscale PNG with the QR code of the EAK text, the same text
// in 4-character groups, the e-mail, the server, the date and short instructions, drawn in pure JS with the
// embedded 5×7 font; plus the same words as a .txt file beside it, so the EAK text can be copied, not typed.

import { emergencyKitContent, type KitInfo } from "@cryptex/core/client/emergency-kit.ts";
import { qrMatrix } from "@cryptex/core/formats/qr.ts";
import { encode as encodePng } from "fast-png";
import { GLYPH_H, GLYPH_W, glyph } from "./bitmap-font.ts";

/** The kit's words come from core, so the web app's kit says the same. */
export { emergencyKitText as kitText } from "@cryptex/core/client/emergency-kit.ts";
export type { KitInfo };

const WIDTH = 1240;
const MARGIN = 60;
const QR_SCALE = 8;
const QUIET = 4; // modules of white around the QR code (ISO/IEC 18004)

/** FILE.png → FILE.txt, the companion text of a kit. */
export const kitTextPath = (png: string): string => `${png.replace(/\.png$/i, "")}.txt`;

/** Splits a line to at most `max` characters a line, at spaces where possible. */
function wrap(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const cut = rest.lastIndexOf(" ", max);
    const at = cut > max / 2 ? cut : max;
    out.push(rest.slice(0, at));
    rest = `  ${rest.slice(at).trimStart()}`;
  }
  out.push(rest);
  return out;
}

export function kitPng(k: KitInfo): Uint8Array {
  const l = emergencyKitContent(k);
  const qr = qrMatrix(k.eakText);
  const qrSide = (qr.size + 2 * QUIET) * QR_SCALE;
  const blocks: { lines: string[]; scale: number }[] = [];
  const room = (scale: number) => Math.floor((WIDTH - 2 * MARGIN) / ((GLYPH_W + 1) * scale));
  blocks.push({ lines: [l.heading], scale: 5 });
  blocks.push({ lines: l.facts.flatMap((f) => wrap(f, room(3))), scale: 3 });
  const after: typeof blocks = [
    { lines: [l.keyLabel], scale: 2 },
    { lines: wrap(l.key, room(3)), scale: 3 },
    { lines: l.steps.flatMap((s) => wrap(s, room(2))), scale: 2 },
  ];
  const blockHeight = (b: { lines: string[]; scale: number }) => b.lines.length * (GLYPH_H + 4) * b.scale + 24;
  const height = MARGIN * 2 + [...blocks, ...after].reduce((h, b) => h + blockHeight(b), 0) + qrSide + 24;
  const px = new Uint8Array(WIDTH * height).fill(255);

  const fillRect = (x: number, y: number, w: number, h: number) => {
    for (let r = y; r < y + h; r++) px.fill(0, r * WIDTH + x, r * WIDTH + x + w);
  };
  let y = MARGIN;
  const drawBlock = (b: { lines: string[]; scale: number }) => {
    for (const line of b.lines) {
      let x = MARGIN;
      for (const ch of line) {
        const g = glyph(ch);
        for (let gy = 0; gy < GLYPH_H; gy++)
          for (let gx = 0; gx < GLYPH_W; gx++) if (g[gy * GLYPH_W + gx]) fillRect(x + gx * b.scale, y + gy * b.scale, b.scale, b.scale);
        x += (GLYPH_W + 1) * b.scale;
      }
      y += (GLYPH_H + 4) * b.scale;
    }
    y += 24;
  };
  for (const b of blocks) drawBlock(b);
  const qx = MARGIN - QUIET * QR_SCALE; // modules line up with the text; the quiet zone lies in the margin
  for (let my = 0; my < qr.size; my++)
    for (let mx = 0; mx < qr.size; mx++)
      if (qr.isDark(mx, my)) fillRect(qx + (mx + QUIET) * QR_SCALE, y + (my + QUIET) * QR_SCALE, QR_SCALE, QR_SCALE);
  y += qrSide + 24;
  for (const b of after) drawBlock(b);
  return encodePng({ width: WIDTH, height, data: px, channels: 1, depth: 8 });
}
