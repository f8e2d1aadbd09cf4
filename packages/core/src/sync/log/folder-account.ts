// Accounts without any server: the sync folder is the account's authority. It holds the account id, a hash
// of the address, the verifier (proof that an Account Key is this account's), and — only when the user
// opts in — the encrypted Account Key (EAK) as a key file, so a new device can sign in without the QR
// code. Whoever can read the folder can then guess the password offline, as with the mailed QR code.
// A key file or QR code of another account is refused before any Argon2id run.

import { type Unlocked, unlockWithPassword } from "../../client/account.ts";
import { sha256 } from "../../crypto/sha256.ts";
import { fromUtf8, toHex, utf8 } from "../../encoding/bytes.ts";
import { CryptexError } from "../../errors.ts";
import { createEak, type Eak, eakToText, parseEak } from "../../formats/eak.ts";
import { checkVerifier, createVerifier } from "../../formats/verifier.ts";
import { generateAccountKey } from "../../keys/account-key.ts";
import { type AccountKeys, deriveAccountKeys } from "../../keys/derive.ts";
import { type AccountId, newAccountId, parseAccountId } from "../../keys/ids.ts";
import type { BlobStore } from "./blob-store.ts";

export const ACCOUNT_FILE = "account/account.json";
export const KEY_FILE = "account/key.cxek";
const MAX_ACCOUNT_FILE = 4096;

export interface FolderAccount {
  readonly accountId: AccountId;
  /** SHA-256 of the lower-cased address: a folder can hold several accounts, found by address */
  readonly emailHash: string;
  readonly verifier: string;
}

export const emailHash = (email: string): string => toHex(sha256(utf8(`cryptex/v1/folder-email\0${email.trim().toLowerCase()}`)));

export interface CreatedFolderAccount {
  readonly accountId: AccountId;
  readonly keys: AccountKeys;
  readonly eak: Eak;
  readonly eakText: string;
}

/** Makes a new account in `store` (the account's own corner of the folder); `keyFile`: the opt-in EAK file. */
export async function createFolderAccount(
  store: BlobStore,
  input: { email: string; password: string; keyFile: boolean; accountId?: AccountId },
): Promise<CreatedFolderAccount> {
  const accountId = input.accountId ?? newAccountId();
  const ak = generateAccountKey();
  const { eak } = await createEak(input.password, ak, accountId);
  const keys = await deriveAccountKeys(ak, accountId);
  const file: FolderAccount = { accountId, emailHash: emailHash(input.email), verifier: await createVerifier(keys) };
  if ((await store.putNew(ACCOUNT_FILE, utf8(JSON.stringify({ v: 1, ...file })))) === "exists")
    throw new CryptexError("invalid_input", "this folder already holds that account");
  if (input.keyFile) await store.putNew(KEY_FILE, eak.bytes);
  return { accountId, keys, eak, eakText: eakToText(eak) };
}

/** The account file of a folder; `invalid_input` when it is missing, unreadable or malformed. */
export async function readFolderAccount(store: BlobStore): Promise<FolderAccount> {
  const got = await store.get(ACCOUNT_FILE);
  if (got.kind === "absent") throw new CryptexError("invalid_input", "no Cryptex account in this folder");
  if (got.kind === "unavailable") throw new CryptexError("invalid_input", `the account file is not readable yet (${got.reason})`);
  if (got.bytes.length > MAX_ACCOUNT_FILE) throw new CryptexError("invalid_input", "the account file is too large");
  let v: { v?: unknown; accountId?: unknown; emailHash?: unknown; verifier?: unknown };
  try {
    v = JSON.parse(fromUtf8(got.bytes));
  } catch {
    throw new CryptexError("invalid_input", "the account file is damaged");
  }
  if (v?.v !== 1 || typeof v.emailHash !== "string" || !/^[0-9a-f]{64}$/.test(v.emailHash) || typeof v.verifier !== "string")
    throw new CryptexError("invalid_input", "the account file is damaged");
  return { accountId: parseAccountId(v.accountId), emailHash: v.emailHash, verifier: v.verifier };
}

/** The opt-in key file, if the account keeps one. */
export async function readKeyFile(store: BlobStore): Promise<Eak | undefined> {
  const got = await store.get(KEY_FILE);
  if (got.kind !== "ok") return undefined;
  return parseEak(got.bytes.subarray(0, 1024));
}

/**
 * Opens the account with an EAK (from the QR code or the key file) and the password. The EAK must name the
 * folder's account and the address must match — both checked before Argon2id — and the Account Key must
 * open the folder's verifier.
 */
export async function openFolderAccount(
  account: FolderAccount,
  email: string,
  eak: Eak,
  password: () => Promise<string>,
): Promise<Unlocked> {
  if (eak.header.accountId !== account.accountId)
    throw new CryptexError("foreign_key", "this QR code or key file belongs to another account than the folder's");
  if (emailHash(email) !== account.emailHash) throw new CryptexError("foreign_key", "the folder's account has another address");
  const unlocked = await unlockWithPassword({ accountId: account.accountId, eak: eak.bytes }, await password());
  await checkVerifier(unlocked.keys, account.verifier);
  return unlocked;
}
