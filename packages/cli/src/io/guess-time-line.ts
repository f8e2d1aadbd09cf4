// The line shown when an Account Password is chosen: how long offline guessing against the mailed QR code would
// take, at the Argon2id cost measured on this machine (core computes, the CLI prints).
import { formatDuration, guessTime, measureGuessSeconds } from "@cryptex/core";

export async function guessTimeLine(guesses: number): Promise<string> {
  const t = guessTime(guesses, await measureGuessSeconds());
  return `Estimated time to guess this password from the QR code or Emergency Kit: one PC ${formatDuration(t.onePc)}, a large GPU farm ${formatDuration(t.gpuFarm)}.`;
}
