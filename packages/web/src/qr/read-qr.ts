// Reading the QR code on a new device: from an uploaded image (core's decoder) or from camera frames.
import { CryptexError } from "@cryptex/core/errors.ts";

const MAX_FILE = 20 * 1024 * 1024;

export async function readQrFile(file: File): Promise<string> {
  if (file.size > MAX_FILE) throw new CryptexError("qr_unreadable", "the image is larger than 20 MB");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { decodeQrImage } = await import("@cryptex/core/formats/qr-decode.ts");
  return decodeQrImage(bytes);
}

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
type DetectorCtor = new (opts: { formats: string[] }) => Detector;
type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/** Scans camera frames until a QR code is found; BarcodeDetector when the browser has it, else jsqr on frames. */
export async function scanCamera(video: HTMLVideoElement, signal: AbortSignal): Promise<string> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  try {
    video.srcObject = stream;
    await video.play();
    const Ctor = (globalThis as unknown as { BarcodeDetector?: DetectorCtor }).BarcodeDetector;
    const detector = Ctor ? new Ctor({ formats: ["qr_code"] }) : undefined;
    // jsqr is CommonJS: a bundler may hand over the module object or its default export.
    const mod = detector ? undefined : ((await import("jsqr")) as unknown as { default: JsQr | { default: JsQr } }).default;
    const jsqr = mod && (typeof mod === "function" ? mod : mod.default);
    const canvas = document.createElement("canvas");
    const g = canvas.getContext("2d", { willReadFrequently: true })!;
    while (!signal.aborted) {
      await new Promise((r) => setTimeout(r, 200));
      if (video.videoWidth === 0) continue;
      if (detector) {
        const found = await detector.detect(video);
        if (found[0]?.rawValue) return found[0].rawValue;
        continue;
      }
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      g.drawImage(video, 0, 0);
      const img = g.getImageData(0, 0, canvas.width, canvas.height);
      const hit = jsqr?.(img.data, img.width, img.height);
      if (hit?.data) return hit.data;
    }
    throw new DOMException("scan cancelled", "AbortError");
  } finally {
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  }
}
