// CSV through papaparse (RFC 4180 quoting, quoted newlines, CRLF): a header row and records read by
// column name. Values are kept byte for byte — no trimming, no formula handling.
import Papa from "papaparse";
import { CryptexError } from "../errors.ts";

export interface CsvTable {
  /** header names as written */
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function parseCsv(text: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // every format we read uses commas; guessing the delimiter misreads values full of ";" or "|"
  const r = Papa.parse<string[]>(body, { header: false, skipEmptyLines: true, delimiter: "," });
  const bad = r.errors.find((e) => e.type === "Quotes");
  if (bad)
    throw new CryptexError("invalid_input", `CSV row ${(bad.row ?? 0) + 1} (the header is row 1): ${bad.message}`, {
      record: bad.row ?? 0,
    });
  const [header = [], ...rows] = r.data;
  return { header, rows };
}

/** Reads records by header name, case-insensitively; unknown columns are listed for the report. */
export class CsvRecords {
  private readonly at: Map<string, number>;
  readonly table: CsvTable;

  constructor(table: CsvTable) {
    this.table = table;
    this.at = new Map(table.header.map((h, i) => [h.trim().toLowerCase(), i]));
  }

  has(name: string): boolean {
    return this.at.has(name.toLowerCase());
  }

  get(row: readonly string[], name: string): string {
    const i = this.at.get(name.toLowerCase());
    return i === undefined ? "" : (row[i] ?? "");
  }

  /** Columns of a row that are not among `known`, with their header names, for custom fields. */
  extra(row: readonly string[], known: readonly string[]): [string, string][] {
    const k = new Set(known.map((x) => x.toLowerCase()));
    const out: [string, string][] = [];
    this.table.header.forEach((h, i) => {
      if (!k.has(h.trim().toLowerCase()) && row[i]) out.push([h, row[i]!]);
    });
    return out;
  }
}

/** True when the CSV header contains every one of `names` (case-insensitive). */
export function hasColumns(table: CsvTable | null, names: readonly string[]): boolean {
  if (!table) return false;
  const h = new Set(table.header.map((x) => x.trim().toLowerCase()));
  return names.every((n) => h.has(n.toLowerCase()));
}
