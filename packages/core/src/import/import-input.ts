// The bytes of a file to import, with the views parsers share (text, JSON, CSV table, zip entries),
// each computed once and only when a detector or parser asks for it.
import { unzipSync } from "fflate";
import { CryptexError } from "../errors.ts";
import { type CsvTable, parseCsv } from "./csv.ts";

/** Files this large are refused before parsing (a 10,000-item export is a few MB). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;
const MAX_ZIP_ENTRY = 256 * 1024 * 1024;

export class ImportInput {
  readonly bytes: Uint8Array;
  private textCache: string | null | undefined;
  private jsonCache: unknown;
  private jsonDone = false;
  private csvCache: CsvTable | null | undefined;
  private zipCache: Map<string, Uint8Array> | null | undefined;

  constructor(bytes: Uint8Array) {
    if (bytes.length > MAX_IMPORT_BYTES) throw new CryptexError("invalid_input", "the file is too large to import");
    this.bytes = bytes;
  }

  /** UTF-8 text without a byte-order mark; null for binary (zip, KDBX) or non-UTF-8 bytes. */
  get text(): string | null {
    if (this.textCache === undefined) {
      if (this.isZip || this.bytes.includes(0)) this.textCache = null;
      else {
        try {
          this.textCache = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(this.bytes);
        } catch {
          this.textCache = null;
        }
      }
    }
    return this.textCache;
  }

  /** The parsed JSON, or undefined when the text is not JSON. */
  get json(): unknown {
    if (!this.jsonDone) {
      this.jsonDone = true;
      const t = this.text?.trimStart();
      if (t && (t[0] === "{" || t[0] === "[")) {
        try {
          this.jsonCache = JSON.parse(t);
        } catch {
          this.jsonCache = undefined;
        }
      }
    }
    return this.jsonCache;
  }

  /** The JSON, or a clear error naming where it broke. */
  requireJson(): unknown {
    const j = this.json;
    if (j !== undefined) return j;
    const t = this.text;
    if (t === null) throw new CryptexError("invalid_input", "the file is not UTF-8 text");
    try {
      JSON.parse(t);
    } catch (e) {
      throw new CryptexError("invalid_input", `malformed JSON: ${(e as Error).message.slice(0, 200)}`);
    }
    throw new CryptexError("invalid_input", "malformed JSON");
  }

  /** The CSV table, or null when the text is not CSV at all. Parse errors throw with the record number. */
  get csv(): CsvTable | null {
    if (this.csvCache === undefined) {
      const t = this.text;
      this.csvCache = t === null || t.trimStart().startsWith("{") || t.trimStart().startsWith("<") ? null : parseCsv(t);
    }
    return this.csvCache;
  }

  get isZip(): boolean {
    const b = this.bytes;
    return b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
  }

  /** Entries of a zip file by path; null when the bytes are not a readable zip. */
  get zip(): Map<string, Uint8Array> | null {
    if (this.zipCache === undefined) {
      this.zipCache = null;
      if (this.isZip) {
        try {
          let total = 0;
          const files = unzipSync(this.bytes, {
            filter: (f) => {
              total += f.originalSize;
              if (f.originalSize > MAX_ZIP_ENTRY || total > MAX_IMPORT_BYTES)
                throw new CryptexError("invalid_input", "the zip unpacks to too much data");
              return true;
            },
          });
          this.zipCache = new Map(Object.entries(files));
        } catch (e) {
          if (e instanceof CryptexError) throw e;
          this.zipCache = null;
        }
      }
    }
    return this.zipCache;
  }
}
