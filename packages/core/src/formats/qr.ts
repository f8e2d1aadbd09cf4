// QR codes of the EAK text: encode to PNG bytes, SVG and terminal text. Decoding (qr-decode.ts) is a module
// of its own, so a page that only shows QR codes does not load the image decoders.
import { encode as encodePng } from "fast-png";
import { create } from "qrcode";

const QUIET_ZONE = 4;

export interface QrMatrix {
  readonly size: number;
  isDark(x: number, y: number): boolean;
}

export function qrMatrix(text: string): QrMatrix {
  const qr = create(text, { errorCorrectionLevel: "M" });
  const { size, data } = qr.modules;
  return { size, isDark: (x, y) => x >= 0 && y >= 0 && x < size && y < size && data[y * size + x] === 1 };
}

/** A grayscale PNG, `scale` pixels a module, with the standard 4-module quiet zone. */
export function qrToPng(text: string, scale = 8): Uint8Array {
  const m = qrMatrix(text);
  const side = (m.size + 2 * QUIET_ZONE) * scale;
  const data = new Uint8Array(side * side).fill(255);
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) {
      if (!m.isDark(x, y)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = ((y + QUIET_ZONE) * scale + dy) * side + (x + QUIET_ZONE) * scale;
        data.fill(0, row, row + scale);
      }
    }
  }
  return encodePng({ width: side, height: side, data, channels: 1, depth: 8 });
}

export function qrToSvg(text: string): string {
  const m = qrMatrix(text);
  const side = m.size + 2 * QUIET_ZONE;
  let path = "";
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) if (m.isDark(x, y)) path += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="${path}"/></svg>`;
}

/** Two modules a character cell with half blocks; dark modules drawn as black on a white quiet zone. */
export function qrToTerminal(text: string): string {
  const m = qrMatrix(text);
  const lo = -2;
  const hi = m.size + 2;
  const lines: string[] = [];
  for (let y = lo; y < hi; y += 2) {
    let line = "";
    for (let x = lo; x < hi; x++) {
      const top = !m.isDark(x, y);
      const bottom = y + 1 < hi ? !m.isDark(x, y + 1) : true;
      line += top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ";
    }
    lines.push(line);
  }
  return lines.join("\n");
}
