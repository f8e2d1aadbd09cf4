// `cryptex account qr | resend-email | change-password | devices | revoke | reset` (docs/architecture.md).
import { changePassword, resetAccount } from "@cryptex/core/client/account.ts";
import { eakToText, parseEak } from "@cryptex/core/formats/eak.ts";
import { sealServerToken } from "@cryptex/core/formats/server-token.ts";
import type { ItemId } from "@cryptex/core/ids.ts";
import { CliError } from "../errors/cli-error.ts";
import { writePrivateAtomic } from "../io/files.ts";
import { askLine, askNewPassword } from "../io/password.ts";
import { oneLine } from "../io/terminal-text.ts";
import { apiFor } from "../net/api.ts";
import type { Context } from "../program/context.ts";
import type { CommandRun } from "../program/spec.ts";
import { readMetaOrFail, type UnlockedVault, unlockVault } from "../vault/unlock.ts";

async function newPassword(ctx: Context, email: string): Promise<string> {
  const { assertStrongPassword } = await import("@cryptex/core/password-strength.ts");
  let guesses = 0;
  const password = await askNewPassword(ctx, "New Account Password: ", (p) => {
    guesses = assertStrongPassword(p, [email]).guesses;
  });
  if (!ctx.json) ctx.err(await (await import("../io/guess-time-line.ts")).guessTimeLine(guesses));
  return password;
}

type Sub = (ctx: Context, v: UnlockedVault, args: Parameters<CommandRun>[1]) => Promise<void>;

const qr: Sub = async (ctx, v, args) => {
  const text = eakToText(parseEak(v.meta.eak));
  const { qrToPng, qrToTerminal } = await import("@cryptex/core/formats/qr.ts");
  const png = args.values.png as string | undefined;
  const kit = args.values.kit as string | undefined;
  if (png) writePrivateAtomic(png, qrToPng(text));
  if (kit) {
    if (!/\.png$/i.test(kit)) throw new CliError("usage", "--kit must name a .png file");
    const { kitPng, kitText, kitTextPath } = await import("../kit/emergency-kit.ts");
    const info = { eakText: text, email: v.meta.email, serverUrl: v.meta.serverUrl, createdAt: new Date() };
    writePrivateAtomic(kit, kitPng(info));
    writePrivateAtomic(kitTextPath(kit), new TextEncoder().encode(kitText(info)));
  }
  if (ctx.json) return ctx.out(JSON.stringify({ eakText: text, png: png ?? null, kit: kit ?? null }));
  if (!png && !kit) ctx.out(`${qrToTerminal(text)}\n${text}`);
  if (png) ctx.out(`QR code written to ${png}.`);
  if (kit) ctx.out(`Emergency Kit written to ${kit} and ${kit.replace(/\.png$/i, "")}.txt.`);
};

const resendEmail: Sub = async (ctx, v) => {
  const api = apiFor(ctx, v.meta.serverUrl, v.serverToken);
  await api.resendMail(eakToText(parseEak(v.meta.eak)));
  ctx.out(ctx.json ? JSON.stringify({ mailed: v.meta.email }) : `The QR code mail was sent again to ${v.meta.email}.`);
};

const changePw: Sub = async (ctx, v, args) => {
  const api = apiFor(ctx, v.meta.serverUrl, v.serverToken);
  const pw = await newPassword(ctx, v.meta.email);
  const sendEmail = args.values["no-email"] !== true;
  const unlocked = { accountKey: v.accountKey, keys: v.keys, stretched: v.stretched! };
  const r = await changePassword(api, unlocked, v.meta.eakGeneration, pw, sendEmail);
  await v.store.write({ meta: { eak: r.eak.bytes, eakGeneration: r.eakGeneration } });
  ctx.out(
    ctx.json
      ? JSON.stringify({ changed: true, eakGeneration: r.eakGeneration, mailed: sendEmail })
      : `Account Password changed.${sendEmail ? ` The new QR code was mailed to ${v.meta.email}.` : ""} Other devices will ask for the new password on their next sync.`,
  );
};

const devices: Sub = async (ctx, v) => {
  const api = apiFor(ctx, v.meta.serverUrl, v.serverToken);
  const { sessions } = await api.sessions();
  if (ctx.json) return ctx.out(JSON.stringify(sessions));
  ctx.out(
    sessions
      .map((s) => `${s.id}  ${s.current ? "*" : " "} ${oneLine(s.deviceName).padEnd(32)} last seen ${new Date(s.lastSeenAt).toISOString()}`)
      .join("\n"),
  );
};

const revoke: Sub = async (ctx, v, args) => {
  const api = apiFor(ctx, v.meta.serverUrl, v.serverToken);
  const q = args.positionals[0]!;
  const { sessions } = await api.sessions();
  const matches = sessions.filter((s) => s.id === q || s.id.startsWith(q.toLowerCase()) || s.deviceName === q);
  if (matches.length === 0) throw new CliError("not_found", `no device "${q}" (see cryptex account devices)`);
  if (matches.length > 1) throw new CliError("ambiguous", `${matches.length} devices match "${q}"; use the id`);
  await api.revokeSession(matches[0]!.id);
  ctx.out(ctx.json ? JSON.stringify({ revoked: matches[0]!.id }) : `Signed out ${oneLine(matches[0]!.deviceName)} (${matches[0]!.id}).`);
};

const reset: Sub = async (ctx, v, args) => {
  const expected = `RESET ${v.meta.email}`;
  let confirm = args.values.confirm as string | undefined;
  if (confirm === undefined) {
    if (!ctx.stdinIsTty) throw new CliError("usage", `account reset needs --confirm "${expected}"`);
    ctx.err("This deletes every item on the server and makes a new Account Key. Items on this device are removed too.");
    confirm = (await askLine(`Type "${expected}" to confirm: `)).trim();
  }
  if (confirm !== expected) throw new CliError("usage", `confirmation must be exactly "${expected}"`);
  const api = apiFor(ctx, v.meta.serverUrl, v.serverToken);
  const pw = await newPassword(ctx, v.meta.email);
  const unlocked = { accountKey: v.accountKey, keys: v.keys, stretched: v.stretched! };
  const sendEmail = args.values["no-email"] !== true;
  const acct = await resetAccount(api, unlocked, v.meta.email, pw, sendEmail);
  const ids = (await v.store.readAllItems()).map((x) => x.id as ItemId);
  const { VaultIndex } = await import("@cryptex/core/formats/vault-index.ts");
  const emptyIndex = await VaultIndex.empty().snapshot(acct.keys);
  // one transaction: the old items (readable only with the old key) go, the new key comes
  await v.store.write({
    removeItems: ids,
    index: { replace: emptyIndex },
    // the server wiped every manifest: the counters seen before the reset would read as a rollback
    meta: {
      // the server kept this session: its token is sealed again under the new key
      sessionToken: v.serverToken === undefined ? undefined : await sealServerToken(acct.keys, v.serverToken),
      eak: acct.eak.bytes,
      eakGeneration: acct.eakGeneration,
      resetEpoch: acct.resetEpoch,
      cursor: 0,
      manifestsSeen: {},
      manifestCheck: undefined,
    },
  });
  v.store.deleteSessions();
  ctx.out(
    ctx.json
      ? JSON.stringify({ reset: true, resetEpoch: acct.resetEpoch })
      : "The account was reset. Run cryptex account qr to see the new QR code.",
  );
};

const SUBS: Record<string, { fn: Sub; password?: boolean }> = {
  "account qr": { fn: qr },
  "account resend-email": { fn: resendEmail },
  "account change-password": { fn: changePw, password: true },
  "account devices": { fn: devices },
  "account revoke": { fn: revoke },
  "account reset": { fn: reset, password: true },
};

export const run: CommandRun = async (ctx, args) => {
  const sub = SUBS[args.command]!;
  const v = await unlockVault(ctx, { needPassword: sub.password === true });
  try {
    await readMetaOrFail(v.store, ctx);
    await sub.fn(ctx, v, args);
  } finally {
    await v.store.close();
  }
};
