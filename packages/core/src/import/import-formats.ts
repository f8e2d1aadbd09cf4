// Every import format: its name (for --format), label, content detector and parser. Detection tries
// them in this order, so the most specific signatures come first.
import { CryptexError } from "../errors.ts";
import { isCryptexJson } from "../export/cryptex-json.ts";
import { isBitwardenCsv, parseBitwardenCsv } from "./formats/bitwarden-csv.ts";
import { isBitwardenJson, parseBitwardenJson } from "./formats/bitwarden-json.ts";
import { isBitwardenProtected, parseBitwardenProtected } from "./formats/bitwarden-protected.ts";
import { isChromeCsv, isFirefoxCsv, isSafariCsv, parseChromeCsv, parseFirefoxCsv, parseSafariCsv } from "./formats/browser-csv.ts";
import { parseCryptexExport, parseCryptexJson } from "./formats/cryptex.ts";
import { isCryptexCsv, parseCryptexCsv } from "./formats/cryptex-csv.ts";
import { isDashlaneCredentials, isDashlaneZip, parseDashlaneCsv, parseDashlaneZip } from "./formats/dashlane.ts";
import { isEnpassJson, parseEnpassJson } from "./formats/enpass-json.ts";
import { isKdbx, isKeepassXml, parseKdbx, parseKeepassXml } from "./formats/kdbx.ts";
import { isKeepassxcCsv, parseKeepassxcCsv } from "./formats/keepassxc-csv.ts";
import { isLastpassCsv, parseLastpassCsv } from "./formats/lastpass-csv.ts";
import { isMsecureCsv, parseMsecureCsv } from "./formats/msecure-csv.ts";
import { is1passwordCsv, is1pux, parse1passwordCsv, parse1pux } from "./formats/onepassword.ts";
import { isProtonJson, parseProtonPass, protonJsonOfZip } from "./formats/proton-pass.ts";
import { isPgpMessage, parseProtonPgp } from "./formats/proton-pgp.ts";
import type { ImportInput } from "./import-input.ts";
import type { ParseResult } from "./imported-item.ts";

export interface ImportFormat {
  readonly name: string;
  readonly label: string;
  readonly detect: (input: ImportInput) => boolean;
  readonly needsPassword?: (input: ImportInput) => boolean;
  readonly parse: (input: ImportInput, password?: string) => ParseResult | Promise<ParseResult>;
}

function zipOf(input: ImportInput) {
  const z = input.zip;
  if (!z) throw new CryptexError("invalid_input", "the file is not a readable zip");
  return z;
}

function protonJson(input: ImportInput): unknown {
  const inner = protonJsonOfZip(input.zip);
  if (!inner) return input.requireJson();
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(inner));
  } catch (e) {
    throw new CryptexError("invalid_input", `Proton Pass data.json: ${(e as Error).message.slice(0, 200)}`);
  }
}

function csvOf(input: ImportInput) {
  const t = input.csv;
  if (!t) throw new CryptexError("invalid_input", "the file is not CSV text");
  return t;
}

const isCxex = (i: ImportInput) =>
  i.bytes.length > 4 && i.bytes[0] === 0x43 && i.bytes[1] === 0x58 && i.bytes[2] === 0x45 && i.bytes[3] === 0x58;

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  {
    name: "cryptex",
    label: "Cryptex encrypted export",
    detect: isCxex,
    needsPassword: () => true,
    parse: (i, pw) => parseCryptexExport(i.bytes, pw ?? ""),
  },
  {
    name: "kdbx",
    label: "KeePass database (KDBX)",
    detect: (i) => isKdbx(i.bytes),
    needsPassword: () => true,
    parse: (i, pw) => parseKdbx(i.bytes, pw ?? ""),
  },
  { name: "keepass-xml", label: "KeePass XML", detect: (i) => isKeepassXml(i.text), parse: (i) => parseKeepassXml(i.text ?? "") },
  { name: "1password-1pux", label: "1Password 1PUX", detect: (i) => is1pux(i.zip), parse: (i) => parse1pux(zipOf(i)) },
  {
    name: "proton-pass",
    label: "Proton Pass",
    detect: (i) => !!protonJsonOfZip(i.zip) || isProtonJson(i.json),
    parse: (i) => parseProtonPass(protonJson(i)),
  },
  {
    name: "proton-pass-pgp",
    label: "Proton Pass (encrypted)",
    detect: (i) => isPgpMessage(i.bytes, i.text),
    needsPassword: () => true,
    parse: (i, pw) => parseProtonPgp(i.bytes, i.text, pw ?? ""),
  },
  { name: "dashlane-zip", label: "Dashlane CSV zip", detect: (i) => isDashlaneZip(i.zip), parse: (i) => parseDashlaneZip(zipOf(i)) },
  { name: "msecure-csv", label: "mSecure 6 CSV", detect: (i) => isMsecureCsv(i.text), parse: (i) => parseMsecureCsv(i.text ?? "") },
  { name: "cryptex-json", label: "Cryptex JSON", detect: (i) => isCryptexJson(i.json), parse: (i) => parseCryptexJson(i.requireJson()) },
  { name: "cryptex-csv", label: "Cryptex CSV", detect: (i) => isCryptexCsv(i.csv), parse: (i) => parseCryptexCsv(csvOf(i)) },
  {
    name: "bitwarden-json",
    label: "Bitwarden JSON",
    detect: (i) => isBitwardenJson(i.json) || isBitwardenProtected(i.json),
    needsPassword: (i) => isBitwardenProtected(i.json),
    parse: async (i, pw) => {
      const j = i.requireJson();
      return isBitwardenProtected(j) ? parseBitwardenJson(await parseBitwardenProtected(j, pw ?? "")) : parseBitwardenJson(j);
    },
  },
  { name: "enpass-json", label: "Enpass JSON", detect: (i) => isEnpassJson(i.json), parse: (i) => parseEnpassJson(i.requireJson()) },
  { name: "bitwarden-csv", label: "Bitwarden CSV", detect: (i) => isBitwardenCsv(i.csv), parse: (i) => parseBitwardenCsv(csvOf(i)) },
  { name: "1password-csv", label: "1Password CSV", detect: (i) => is1passwordCsv(i.csv), parse: (i) => parse1passwordCsv(csvOf(i)) },
  { name: "lastpass-csv", label: "LastPass CSV", detect: (i) => isLastpassCsv(i.csv), parse: (i) => parseLastpassCsv(csvOf(i)) },
  { name: "keepassxc-csv", label: "KeePassXC CSV", detect: (i) => isKeepassxcCsv(i.csv), parse: (i) => parseKeepassxcCsv(csvOf(i)) },
  { name: "dashlane-csv", label: "Dashlane CSV", detect: (i) => isDashlaneCredentials(i.csv), parse: (i) => parseDashlaneCsv(csvOf(i)) },
  { name: "firefox-csv", label: "Firefox CSV", detect: (i) => isFirefoxCsv(i.csv), parse: (i) => parseFirefoxCsv(csvOf(i)) },
  { name: "safari-csv", label: "Safari / Apple Passwords CSV", detect: (i) => isSafariCsv(i.csv), parse: (i) => parseSafariCsv(csvOf(i)) },
  { name: "chrome-csv", label: "Chrome / Edge CSV", detect: (i) => isChromeCsv(i.csv), parse: (i) => parseChromeCsv(csvOf(i)) },
];
