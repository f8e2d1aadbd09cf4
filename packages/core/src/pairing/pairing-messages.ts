// What the two devices say inside the encrypted pairing channel, after the handshake: JSON, bounded and strict.
// Each message's associated data names its step, so one step's message cannot stand in for another's.
import { utf8 } from "../encoding/bytes.ts";
import { bool, type Infer, int, literal, obj, str } from "../schema/shape.ts";

export const PAIR_STEPS = ["request", "answer", "done"] as const;
export type PairStep = (typeof PAIR_STEPS)[number];
export const stepAd = (step: PairStep): Uint8Array => utf8(`cryptex/v1/pair/${step}`);

/** new device → approving device */
export const pairRequest = obj({
  v: literal(1),
  deviceName: str({ min: 1, max: 100 }),
  platform: str({ max: 40 }),
  email: str({ min: 3, max: 254 }),
});
export type PairRequest = Infer<typeof pairRequest>;

/** approving device → new device: the current EAK (password-encrypted), or a refusal */
export const pairAnswer = obj(
  {
    v: literal(1),
    approved: bool,
    accountId: str({ max: 36 }),
    email: str({ max: 254 }),
    origin: str({ max: 300 }),
    eakGeneration: int(0, 2 ** 31),
    eakText: str({ max: 400 }),
  },
  ["accountId", "email", "origin", "eakGeneration", "eakText"],
);
export type PairAnswer = Infer<typeof pairAnswer>;

/** new device → approving device: the outcome, so both screens end the same way */
export const pairDone = obj({ v: literal(1), ok: bool, reason: str({ max: 200 }) }, ["reason"]);
export type PairDone = Infer<typeof pairDone>;

export const PAIR_MESSAGE_MAX = 2048;
