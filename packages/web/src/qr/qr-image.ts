// QR images of the EAK text for the page: a blob URL of core's PNG, and the Emergency Kit drawn on a canvas.
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

/** The Emergency Kit: one PNG with the QR code, the text form and what to do with it. */
export async function emergencyKitPng(email: string, eakText: string): Promise<Blob> {
  const url = qrBlobUrl(eakText);
  try {
    const qr = await loadImage(url);
    const canvas = document.createElement("canvas");
    canvas.width = 1000;
    canvas.height = 1300;
    const g = canvas.getContext("2d")!;
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = "#111";
    g.font = "bold 44px system-ui, sans-serif";
    g.fillText("Cryptex Emergency Kit", 60, 90);
    g.font = "26px system-ui, sans-serif";
    g.fillText(`Account: ${email}`, 60, 150);
    g.fillText(`Made: ${new Date().toISOString().slice(0, 10)}`, 60, 190);
    g.imageSmoothingEnabled = false;
    g.drawImage(qr, 200, 230, 600, 600);
    g.font = "22px ui-monospace, monospace";
    const groups = eakText.match(/.{1,40}/g) ?? [];
    for (const [i, line] of groups.entries()) g.fillText(line, 60, 890 + i * 34);
    g.font = "24px system-ui, sans-serif";
    const notes = [
      "To sign in on a new device you need this QR code (or the text above)",
      "AND your Account Password. Keep this kit somewhere safe and private.",
      "The code is encrypted with your Account Password: without it, it is useless.",
    ];
    for (const [i, line] of notes.entries()) g.fillText(line, 60, 1130 + i * 36);
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
