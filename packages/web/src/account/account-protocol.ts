// Messages between the page and the account worker (Argon2id and the account flows run there).
import type { OpenedAccount, PendingSignUp, Unlocked } from "@cryptex/core/client/account.ts";
import type { AccountAnswer, SessionAnswer } from "@cryptex/core/wire/api.ts";

export type AccountRequest =
  | { op: "startSignUp"; baseUrl: string; email: string; password: string; deviceName: string }
  | { op: "confirmSignUp"; baseUrl: string; pending: PendingSignUp; code: string; sendEmail: boolean }
  | { op: "signIn"; baseUrl: string; email: string; password: string; eakText: string; deviceName: string }
  | { op: "unlock"; accountId: string; eak: Uint8Array; password: string }
  | { op: "signInAgain"; baseUrl: string; email: string; accountId: string; eak: Uint8Array; password: string; deviceName: string }
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
  | { op: "startSignUp"; pending: PendingSignUp }
  | { op: "confirmSignUp" | "signIn"; account: OpenedAccount }
  | { op: "unlock"; unlocked: Unlocked }
  | { op: "signInAgain"; session: SessionAnswer }
  | { op: "measure"; seconds: number }
  | { op: "changePassword"; eak: Uint8Array; eakText: string; eakGeneration: number; account: AccountAnswer }
  | { op: "reset"; account: Omit<OpenedAccount, "session" | "eak"> & { eak: Uint8Array } };

export type AccountResponse =
  | { id: number; ok: true; result: AccountResult }
  | { id: number; ok: false; kind: "core" | "api" | "other"; code: string; status: number; message: string };
