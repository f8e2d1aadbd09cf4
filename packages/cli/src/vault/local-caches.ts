// The device-only caches beside the vault file: the health cache (password scores and breach counts by
// keyed fingerprint) and the deep-search index. Both are AEAD envelopes under keys from the Account Key;
// a damaged or foreign file is dropped and rebuilt, never an error (it holds nothing a user saved).
import { existsSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { DeepIndex } from "@cryptex/core/vault/deep-search/deep-index.ts";
import { HealthCache } from "@cryptex/core/vault/health/health-cache.ts";
import type { LocalKeys } from "@cryptex/core/vault/health/health-keys.ts";
import { readBounded, writePrivateAtomic } from "../io/files.ts";

const MAX_BYTES = 512 * 1024 * 1024;
export const healthCachePath = (home: string): string => join(home, "health-cache.bin");
export const deepIndexPath = (home: string): string => join(home, "deep-index.bin");

async function load<T>(path: string, open: (bytes: Uint8Array) => Promise<T>): Promise<T | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    return await open(readBounded(path, MAX_BYTES, "cache"));
  } catch {
    return undefined;
  }
}

export async function loadHealthCache(home: string, keys: LocalKeys): Promise<HealthCache> {
  return (await load(healthCachePath(home), (b) => HealthCache.open(keys, b))) ?? new HealthCache();
}

export async function saveHealthCache(home: string, keys: LocalKeys, cache: HealthCache): Promise<void> {
  writePrivateAtomic(healthCachePath(home), await cache.seal(keys));
}

export async function loadDeepIndex(home: string, keys: LocalKeys): Promise<DeepIndex> {
  return (await load(deepIndexPath(home), (b) => DeepIndex.open(keys, b))) ?? new DeepIndex();
}

export async function saveDeepIndex(home: string, keys: LocalKeys, index: DeepIndex): Promise<void> {
  writePrivateAtomic(deepIndexPath(home), await index.seal(keys));
}

/** Removes the deep index (deep search turned off). */
export function removeDeepIndex(home: string): boolean {
  if (!existsSync(deepIndexPath(home))) return false;
  unlinkSync(deepIndexPath(home));
  return true;
}
