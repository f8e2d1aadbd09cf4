// How long offline guessing of a password takes against a mailed EAK (docs/security.md), at the Argon2id cost
// measured on this device: one guess costs one Argon2id run. The attacker models are assumptions, stated here once.
import { randomBytes } from "../crypto/random.ts";
import { KDF_DEFAULT, type KdfParams, SALT_BYTES, stretchPassword } from "./kdf.ts";

/** One PC runs this many Argon2id guesses at once (16 cores, 64 MiB each). */
export const PC_PARALLEL_GUESSES = 16;
/** A large GPU farm: 10,000 GPUs, each worth about 5 such PCs on memory-hard Argon2id. */
export const GPU_FARM_PCS = 50_000;

export interface GuessTime {
  /** seconds for one PC to make the estimated guesses */
  readonly onePc: number;
  /** seconds for a large GPU farm */
  readonly gpuFarm: number;
}

export function guessTime(guesses: number, secondsPerGuess: number): GuessTime {
  const onePc = (guesses * secondsPerGuess) / PC_PARALLEL_GUESSES;
  return { onePc, gpuFarm: onePc / GPU_FARM_PCS };
}

/** Seconds one Argon2id run takes here (one guess of an attacker with this device's speed per core). */
export async function measureGuessSeconds(kdf: KdfParams = KDF_DEFAULT): Promise<number> {
  const started = performance.now();
  await stretchPassword("measure", randomBytes(SALT_BYTES), kdf);
  return Math.max(0.001, (performance.now() - started) / 1000);
}

const UNITS: readonly [number, string][] = [
  [365.25 * 24 * 3600, "year"],
  [30 * 24 * 3600, "month"],
  [24 * 3600, "day"],
  [3600, "hour"],
  [60, "minute"],
  [1, "second"],
];

/** "3 hours", "about 2 thousand years", "more than a billion years" (rounded down: never flattering). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds >= 1e9 * UNITS[0]![0]) return "more than a billion years";
  if (seconds < 1) return "less than a second";
  for (const [size, unit] of UNITS) {
    if (seconds < size) continue;
    const n = Math.floor(seconds / size);
    if (unit === "year" && n >= 1e6) return `${Math.floor(n / 1e6)} million years`;
    if (unit === "year" && n >= 1e3) return `${Math.floor(n / 1e3)} thousand years`;
    return `${n} ${unit}${n === 1 ? "" : "s"}`;
  }
  return "less than a second";
}
