// Messages between the page and the account worker (Argon2id and the account flows run there).
import type { OpenedAccount, Unlocked } from "@cryptex/core/client/account.ts";
import type { AccountAnswer } from "@cryptex/core/wire/api.ts";

export type AccountRequest =
  | { op: "signUp"; baseUrl: string; email: string; password: string; sendEmail: boolean; deviceName: string }
  | { op: "signIn"; baseUrl: string; email: string; password: string; eakText: string; deviceName: string }
  | { op: "unlock"; accountId: string; eak: Uint8Array; password: string }
  /** one Argon2id run at the account cost, timed: the basis of the time-to-guess estimate */
  | { op: "measure" }
  | {
      op: "changePassword";
      baseUrl: string;
      token: string;
      unlocked: Unlocked;
      generation: number;
      newPassword: string;
      sendEmail: boolean;
    }
  | { op: "reset"; baseUrl: string; token: string; unlocked: Unlocked; email: string; newPassword: string; sendEmail: boolean };

export type AccountResult =
  | { op: "signUp" | "signIn"; account: OpenedAccount }
  | { op: "unlock"; unlocked: Unlocked }
  | { op: "measure"; seconds: number }
  | { op: "changePassword"; eak: Uint8Array; eakText: string; eakGeneration: number; account: AccountAnswer }
  | { op: "reset"; account: Omit<OpenedAccount, "session" | "eak"> & { eak: Uint8Array } };

export type AccountResponse =
  | { id: number; ok: true; result: AccountResult }
  | { id: number; ok: false; kind: "core" | "api" | "other"; code: string; status: number; message: string };
