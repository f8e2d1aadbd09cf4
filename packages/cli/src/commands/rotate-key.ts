// `cryptex account rotate-key [--mail] [--kit FILE.png]`: a new Account Key for the same password (docs/security.md).
// Every item is re-encrypted and switched on the server in one step; other devices are signed out and must sign
// in with the new QR code. Interrupted, the same command resumes with the same new key; nothing is lost meanwhile.
import { unlockWithPassword } from "@cryptex/core/client/account.ts";
import { rotateAccountKey } from "@cryptex/core/sync/rotate-key.ts";
import { CliError } from "../errors/cli-error.ts";
import { writePrivateAtomic } from "../io/files.ts";
import { askPassword } from "../io/password.ts";
import { apiFor } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import { readMethod } from "../sync-targets/sync-method.ts";
import { openExistingStore } from "../vault/home.ts";
import { readMetaOrFail } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const kit = args.values.kit as string | undefined;
  if (kit !== undefined && !/\.png$/i.test(kit)) throw new CliError("usage", "--kit must name a .png file");
  const sendEmail = args.values.mail === true;
  // said before the password is asked; core refuses too, from the account's published method
  const local = readMethod(ctx.home).method.kind;
  if (local === "folder" || local === "webdav")
    throw new CliError(
      "usage",
      `this device syncs through ${local === "folder" ? "a shared folder" : "WebDAV"}, whose log is sealed under the current Account Key: switch every device to the server method (cryptex sync method server) before replacing the key`,
    );
  const store = openExistingStore(ctx);
  try {
    const meta = await readMetaOrFail(store, ctx);
    const password = await askPassword(ctx, "Account Password: ");
    const unlocked = await unlockWithPassword(meta, password);
    const { openServerToken } = await import("@cryptex/core/formats/server-token.ts");
    const api = apiFor(ctx, meta.serverUrl, await openServerToken(unlocked.keys, meta.sessionToken));
    if (!ctx.json)
      ctx.err(
        meta.pendingEakText ? "Finishing the interrupted Account Key rotation…" : "Re-encrypting every item under a new Account Key…",
      );
    const r = await rotateAccountKey({ api, store, unlocked, password, sendEmail });
    // unlock sessions hold the old key sealed: they end with it
    store.deleteSessions();
    if (kit !== undefined) {
      const { kitPng, kitText, kitTextPath } = await import("../kit/emergency-kit.ts");
      const info = { eakText: r.eakText, email: meta.email, serverUrl: meta.serverUrl, createdAt: new Date() };
      writePrivateAtomic(kit, kitPng(info));
      writePrivateAtomic(kitTextPath(kit), new TextEncoder().encode(kitText(info)));
    }
    if (ctx.json) {
      ctx.out(JSON.stringify({ rotated: true, resumed: r.resumed, eakGeneration: r.eakGeneration, mailed: sendEmail, kit: kit ?? null }));
      return;
    }
    ctx.out(
      [
        "The Account Key was replaced. Earlier QR codes and Emergency Kits open nothing added from now on.",
        sendEmail ? `The new QR code was mailed to ${meta.email}.` : "",
        kit !== undefined ? `New Emergency Kit written to ${kit}.` : "",
        "Other devices were signed out: sign them in again with the new QR code (cryptex account qr shows it).",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  } finally {
    await store.close();
  }
};
