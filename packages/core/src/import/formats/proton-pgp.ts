// Proton Pass's encrypted export: an OpenPGP message (armored or binary) sealed with the export passphrase,
// holding the export zip (or its data.json). openpgp is loaded only for such a file.
import { unzipSync } from "fflate";
import { CryptexError } from "../../errors.ts";
import type { ParseResult } from "../imported-item.ts";
import { isProtonJson, parseProtonPass } from "./proton-pass.ts";

const ARMOR = "-----BEGIN PGP MESSAGE-----";

/** An armored PGP message, or binary bytes opening with an OpenPGP packet tag (SKESK 3 or PKESK 1, old or new format). */
export function isPgpMessage(bytes: Uint8Array, text: string | null): boolean {
  if (text !== null) return text.trimStart().startsWith(ARMOR); // text that is not armor is some other format
  const b = bytes[0] ?? 0;
  return b === 0xc3 || b === 0x8c || b === 0xc1 || b === 0x84 || b === 0x85;
}

export async function parseProtonPgp(bytes: Uint8Array, text: string | null, password: string): Promise<ParseResult> {
  const openpgp = await import("openpgp");
  let plain: Uint8Array;
  try {
    const message = text?.trimStart().startsWith(ARMOR)
      ? await openpgp.readMessage({ armoredMessage: text })
      : await openpgp.readMessage({ binaryMessage: bytes });
    const { data } = await openpgp.decrypt({ message, passwords: [password], format: "binary" });
    plain = data as Uint8Array;
  } catch (e) {
    const m = (e as Error).message ?? "";
    if (/session key|passphrase|password|Modification detected|decrypt/i.test(m))
      throw new CryptexError("wrong_password", "wrong passphrase for this encrypted export");
    throw new CryptexError("invalid_input", `the encrypted export is damaged: ${m.slice(0, 200)}`);
  }
  let json: unknown;
  try {
    if (plain[0] === 0x50 && plain[1] === 0x4b) {
      const entry = Object.entries(unzipSync(plain)).find(([k]) => /(^|\/)data\.json$/.test(k));
      if (!entry) throw new CryptexError("invalid_input", "the encrypted export holds no data.json");
      plain = entry[1];
    }
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plain));
  } catch (e) {
    if (e instanceof CryptexError) throw e;
    throw new CryptexError("invalid_input", `the decrypted export is not a Proton Pass export: ${(e as Error).message.slice(0, 200)}`);
  }
  if (!isProtonJson(json)) throw new CryptexError("unsupported_format", "the decrypted file is not a Proton Pass export");
  return parseProtonPass(json);
}
