// QR images of the EAK text for the page: a blob URL of core's PNG, and the Emergency Kit drawn on a canvas.
import { emergencyKitContent } from "@cryptex/core/client/emergency-kit.ts";
import { qrToPng } from "@cryptex/core/formats/qr.ts";

export function qrBlobUrl(eakText: string): string {
  return URL.createObjectURL(new Blob([qrToPng(eakText, 6) as Uint8Array<ArrayBuffer>], { type: "image/png" }));
}

async function loadImage(url: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

/** Splits a line to fit `max` pixels in the canvas's current font, at spaces. */
function wrapToWidth(g: CanvasRenderingContext2D, line: string, max: number): string[] {
  const out: string[] = [];
  const indent = /^ */.exec(line)![0];
  let current = indent;
  for (const word of line.trimStart().split(" ")) {
    const next = current.trim() ? `${current} ${word}` : `${current}${word}`;
    if (current.trim() && g.measureText(next).width > max) {
      out.push(current);
      current = `${indent}  ${word}`;
    } else current = next;
  }
  out.push(current);
  return out;
}

/**
 * The Emergency Kit: one PNG with the QR code, the text form and what to do with it. The words are core's
 * (the CLI's kit says the same); the server is this page's origin, the one that served the app.
 */
export async function emergencyKitPng(email: string, eakText: string): Promise<Blob> {
  const kit = emergencyKitContent({ eakText, email, serverUrl: location.origin, createdAt: new Date() });
  const url = qrBlobUrl(eakText);
  try {
    const qr = await loadImage(url);
    const canvas = document.createElement("canvas");
    canvas.width = 1000;
    canvas.height = 1400;
    const g = canvas.getContext("2d")!;
    const width = canvas.width - 120;
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = "#111";
    let y = 90;
    const write = (lines: readonly string[], font: string, lineHeight: number) => {
      g.font = font;
      for (const line of lines)
        for (const part of wrapToWidth(g, line, width)) {
          g.fillText(part, 60, y);
          y += lineHeight;
        }
    };
    write([kit.heading], "bold 44px system-ui, sans-serif", 60);
    write(kit.facts, "26px system-ui, sans-serif", 38);
    g.imageSmoothingEnabled = false;
    g.drawImage(qr, 250, y, 500, 500);
    y += 540;
    write([kit.keyLabel], "22px system-ui, sans-serif", 34);
    write([kit.key], "24px ui-monospace, monospace", 34);
    y += 16;
    write(kit.steps, "21px system-ui, sans-serif", 31);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("canvas export failed"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
