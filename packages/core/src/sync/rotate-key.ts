// Account Key rotation (docs/security.md): a new AK for the same password; every item re-encrypted, staged on the
// server, then switched there in one transaction with the verifier, wrapped EAK and auth key. The new EAK is kept on
// this device before anything is sent, so a crash at any step resumes with the same key: before the server's switch
// the old key still opens everything, after it the new one does, and this device holds both until it has switched.
import { kitFingerprint, type Unlocked, unlockWithPassword } from "../client/account.ts";
import type { ApiClient } from "../client/api-client.ts";
import { b64uDecode, b64uEncode } from "../encoding/base64.ts";
import { CryptexError, isCryptexError } from "../errors.ts";
import { createEak, type Eak, eakToText, parseEakText } from "../formats/eak.ts";
import { reencryptItem } from "../formats/item-envelope.ts";
import { isSealedServerToken, openServerToken, sealServerToken } from "../formats/server-token.ts";
import { titleTag } from "../formats/title-tag.ts";
import { type IndexEntry, toIndexEntry, VaultIndex } from "../formats/vault-index.ts";
import { checkVerifier, createVerifier } from "../formats/verifier.ts";
import { wrapEak } from "../formats/wrapped-eak.ts";
import { type AccountKey, generateAccountKey } from "../keys/account-key.ts";
import { deriveAuthKey } from "../keys/auth-key.ts";
import type { AccountKeys } from "../keys/derive.ts";
import { KDF_DEFAULT, type KdfParams } from "../keys/kdf.ts";
import { authMessage, rotateKeyPayload } from "../wire/auth-message.ts";
import { Vault } from "./engine.ts";
import { openSyncProfile, type SyncProfile, sealSyncProfile } from "./log/sync-profile.ts";
import type { StoredItem, VaultStore } from "./ports.ts";
import { openItemOrTombstone } from "./tombstone.ts";

export interface RotateKeyInput {
  readonly api: ApiClient;
  readonly store: VaultStore;
  /** the current keys, unlocked with `password` (S is needed to sign the switch) */
  readonly unlocked: Unlocked;
  readonly password: string;
  /** mail the new QR code (the EAK text goes to the server only then) */
  readonly sendEmail: boolean;
  readonly kdf?: KdfParams;
  /** called after each staged batch: done and total items */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RotatedKey {
  readonly accountKey: AccountKey;
  readonly keys: AccountKeys;
  readonly eak: Eak;
  readonly eakText: string;
  readonly eakGeneration: number;
  /** true when an interrupted rotation was finished */
  readonly resumed: boolean;
}

const STAGE_BATCH = 500;
const STAGE_BYTES = 8 * 1024 * 1024;
const MAX_ROUNDS = 5;

export async function rotateAccountKey(input: RotateKeyInput): Promise<RotatedKey> {
  const { api, store, unlocked, password } = input;
  const meta = await store.readMeta();
  if (!meta) throw new CryptexError("invalid_input", "this device has no account");
  const accountId = unlocked.keys.accountId;
  const resumed = meta.pendingEakText !== undefined;
  const profile = await readProfile(api, unlocked.keys);
  // a folder's or WebDAV's log is sealed under keys of the current Account Key, and other devices read it with
  // them: a new key would leave every device unable to read the log. Refused before anything changes.
  if (!resumed && (profile?.kind === "folder" || profile?.kind === "webdav"))
    throw new CryptexError(
      "rotation_unsupported",
      `this account syncs through ${profile.kind === "folder" ? "a shared folder" : "WebDAV"}, whose log is sealed under the current Account Key; switch every device to the server method first`,
    );
  let eak: Eak;
  if (meta.pendingEakText !== undefined) {
    eak = parseEakText(meta.pendingEakText);
  } else {
    eak = (await createEak(password, generateAccountKey(), accountId, input.kdf ?? KDF_DEFAULT)).eak;
    // kept before anything leaves the device: whatever happens next, this device can open both sides
    await store.write({ meta: { pendingEakText: eakToText(eak) } });
    await api.discardRotation();
  }
  const next = await unlockWithPassword({ accountId, eak: eak.bytes }, password);
  let account = await api.account();
  if (account.accountId !== accountId) throw new CryptexError("foreign_key", "the server answered with another account");
  if (!(await opens(next.keys, account.verifier))) {
    await checkVerifier(unlocked.keys, account.verifier); // neither key: not ours to touch
    account = await stageAndSwitch(input, next, eak, account.eakGeneration + 1, profile);
  }
  await switchLocal(store, unlocked.keys, next.keys, eak, account.eakGeneration);
  return { accountKey: next.accountKey, keys: next.keys, eak, eakText: eakToText(eak), eakGeneration: account.eakGeneration, resumed };
}

/** The account's sync profile under the current key, or none (none stored, or unreadable: a resumed rotation may have
 * switched it already, and a profile is only a hint to new devices). */
async function readProfile(api: ApiClient, keys: AccountKeys): Promise<SyncProfile | undefined> {
  const { profile } = await api.syncProfile();
  const bytes = profile ? b64uDecode(profile.data) : undefined;
  if (!bytes) return undefined;
  try {
    return await openSyncProfile(keys, bytes);
  } catch (e) {
    if (isCryptexError(e, "tampered") || isCryptexError(e, "invalid_input")) return undefined;
    throw e;
  }
}

async function opens(keys: AccountKeys, verifier: string): Promise<boolean> {
  try {
    await checkVerifier(keys, verifier);
    return true;
  } catch (e) {
    if (isCryptexError(e, "foreign_key")) return false;
    throw e;
  }
}

/** Syncs under the old key, stages what changed since the last round, and asks the server to switch. */
async function stageAndSwitch(input: RotateKeyInput, next: Unlocked, eak: Eak, generation: number, profile: SyncProfile | undefined) {
  const { api, store, unlocked } = input;
  const accountId = unlocked.keys.accountId;
  const vault = await Vault.open(store, unlocked.keys);
  const staged = new Map<string, number>();
  const current = await deriveAuthKey(unlocked.stretched, unlocked.accountKey, accountId);
  const auth = await deriveAuthKey(next.stretched, next.accountKey, accountId);
  const verifier = await createVerifier(next.keys);
  const wrappedEak = await wrapEak(next.keys, eak, generation);
  // the profile moves to the new key in the same switch, so a device signing in with the new QR code still learns it
  const syncProfile = profile ? b64uEncode(await sealSyncProfile(next.keys, profile)) : undefined;
  let missing: readonly string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await vault.sync(api);
    const items = (await store.readAllItems()).filter((i) => i.data && i.revision > 0 && staged.get(i.id) !== i.revision);
    await stage(input, next.keys, b64uEncode(auth.publicKey), items, staged);
    const ch = await api.actionChallenge();
    if (ch.origin !== api.origin) throw new CryptexError("origin_mismatch", `the server calls itself ${ch.origin.slice(0, 200)}`);
    const challenge = b64uDecode(ch.challenge);
    if (challenge?.length !== 32) throw new CryptexError("invalid_input", "malformed challenge");
    const payload = rotateKeyPayload(auth.publicKey, generation, b64uDecode(wrappedEak)!, b64uDecode(verifier)!);
    const r = await api.commitRotation({
      challenge: ch.challenge,
      signature: b64uEncode(current.sign(authMessage("rotate-key", api.origin, accountId, challenge, payload))),
      authPublicKey: b64uEncode(auth.publicKey),
      verifier,
      wrappedEak,
      eakGeneration: generation,
      kit: kitFingerprint(eak),
      ...(input.sendEmail ? { eakText: eakToText(eak) } : {}),
      ...(syncProfile ? { syncProfile } : {}),
    });
    if (r.ok) return r.account;
    missing = r.items;
    for (const id of missing) staged.delete(id);
  }
  throw new CryptexError(
    "rotation_incomplete",
    `the server holds ${missing.length} item(s) this device cannot re-encrypt (for example ${missing[0] ?? "?"}); nothing was switched`,
    { items: missing },
  );
}

async function stage(
  input: RotateKeyInput,
  to: AccountKeys,
  authPublicKey: string,
  items: readonly StoredItem[],
  staged: Map<string, number>,
): Promise<void> {
  let batch: { id: string; revision: number; data: string }[] = [];
  let bytes = 0;
  let done = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await input.api.stageRotation({ authPublicKey, items: batch });
    for (const b of batch) staged.set(b.id, b.revision);
    done += batch.length;
    input.onProgress?.(done, items.length);
    batch = [];
    bytes = 0;
  };
  for (const i of items) {
    const data = b64uEncode(await reencryptItem(input.unlocked.keys, to, i.id, i.data!));
    if (batch.length >= STAGE_BATCH || bytes + data.length > STAGE_BYTES) await flush();
    batch.push({ id: i.id, revision: i.revision, data });
    bytes += data.length;
  }
  await flush();
}

/** This device's switch, in one write: items, index and title tags under the new key, the new EAK, a fresh pull. */
async function switchLocal(store: VaultStore, from: AccountKeys, to: AccountKeys, eak: Eak, generation: number): Promise<void> {
  const put: StoredItem[] = [];
  const entries: IndexEntry[] = [];
  for (const i of await store.readAllItems()) {
    if (!i.data) {
      put.push(i);
      continue;
    }
    let opened: Awaited<ReturnType<typeof openItemOrTombstone>>;
    try {
      opened = await openItemOrTombstone(from, i.id, i.data);
    } catch {
      continue; // unreadable under the old key already: left as it is (sync quarantined its server copy)
    }
    put.push({ ...i, data: await reencryptItem(from, to, i.id, i.data) });
    if (opened.kind === "item" && !i.deleted) entries.push(toIndexEntry(opened.item));
  }
  const index = VaultIndex.empty();
  for (const e of entries) index.entries.set(e.id, e);
  const tags = await Promise.all(entries.map(async (e) => ({ id: e.id, tag: await titleTag(to, e.title) })));
  // the server kept this device's session: a token sealed at rest is sealed again under the new key
  const stored = (await store.readMeta())?.sessionToken;
  const sessionToken =
    stored !== undefined && isSealedServerToken(stored) ? await sealServerToken(to, (await openServerToken(from, stored))!) : stored;
  await store.write({
    putItems: put,
    index: { replace: await index.snapshot(to) },
    titleTags: { replace: true, put: tags },
    // the server gave every item a new revision and dropped every manifest: pull all again, trust no old counter
    meta: {
      eak: eak.bytes,
      eakGeneration: generation,
      sessionToken,
      cursor: 0,
      manifestsSeen: {},
      manifestCheck: undefined,
      pendingEakText: undefined,
    },
  });
}

/** Whether a rotation was started on this device and not finished (sync refuses until it is). */
export async function rotationPending(store: VaultStore): Promise<boolean> {
  return (await store.readMeta())?.pendingEakText !== undefined;
}
