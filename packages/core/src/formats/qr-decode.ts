// Reading a QR code from PNG or JPEG bytes (a new device's sign-in). Image inputs are hostile: dimensions
// are checked before any pixel buffer is allocated.
import { convertIndexedToRgb, decode as decodePng } from "fast-png";
import { decode as decodeJpeg } from "jpeg-js";
import jsQRModule from "jsqr";
import { CryptexError } from "../errors.ts";

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 25_000_000;
// jsqr is CommonJS with a `default` export: Node hands over module.exports, bundlers the default.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

function unreadable(why: string): never {
  throw new CryptexError("qr_unreadable", why);
}

function pngDimensions(bytes: Uint8Array): { width: number; height: number } {
  // IHDR is the first chunk: width at byte 16, height at 20 (big-endian).
  if (bytes.length < 24) unreadable("the PNG image is truncated");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

function toRgba(width: number, height: number, channels: number, src: ArrayLike<number>, depth: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  const shift = depth === 16 ? 8 : 0;
  for (let i = 0, o = 0; o < out.length; i += channels, o += 4) {
    const g = src[i]! >> shift;
    const r = channels >= 3 ? src[i]! >> shift : g;
    const gg = channels >= 3 ? src[i + 1]! >> shift : g;
    const b = channels >= 3 ? src[i + 2]! >> shift : g;
    const a = channels === 4 ? src[i + 3]! >> shift : channels === 2 ? src[i + 1]! >> shift : 255;
    // Composite on white so transparent backgrounds read as light.
    out[o] = (r * a + 255 * (255 - a)) / 255;
    out[o + 1] = (gg * a + 255 * (255 - a)) / 255;
    out[o + 2] = (b * a + 255 * (255 - a)) / 255;
    out[o + 3] = 255;
  }
  return out;
}

function decodeImage(bytes: Uint8Array): { width: number; height: number; rgba: Uint8ClampedArray } {
  if (bytes.length > MAX_IMAGE_BYTES) unreadable("the image is larger than 20 MB");
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    const { width, height } = pngDimensions(bytes);
    if (width === 0 || height === 0 || width * height > MAX_IMAGE_PIXELS) unreadable("the image dimensions are out of range");
    let png: ReturnType<typeof decodePng>;
    try {
      png = decodePng(bytes);
    } catch {
      unreadable("the PNG image is damaged");
    }
    if (png.palette) {
      const rgb = convertIndexedToRgb(png);
      return { width, height, rgba: toRgba(width, height, png.palette[0]?.length === 4 ? 4 : 3, rgb, 8) };
    }
    return { width, height, rgba: toRgba(width, height, png.channels, png.data, png.depth) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    try {
      const jpg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 25, maxMemoryUsageInMB: 512 });
      return {
        width: jpg.width,
        height: jpg.height,
        rgba: new Uint8ClampedArray(jpg.data.buffer, jpg.data.byteOffset, jpg.data.byteLength),
      };
    } catch {
      unreadable("the JPEG image is damaged or too large");
    }
  }
  unreadable("the image is not a PNG or JPEG file");
}

/** Finds and decodes the QR code in a PNG or JPEG image; returns its text. */
export function decodeQrImage(bytes: Uint8Array): string {
  const { width, height, rgba } = decodeImage(bytes);
  const found = jsQR(rgba, width, height, { inversionAttempts: "attemptBoth" });
  if (!found?.data) unreadable("no QR code was found in the image");
  return found.data;
}
