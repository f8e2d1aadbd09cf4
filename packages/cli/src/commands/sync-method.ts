// `cryptex sync method [folder DIR | webdav URL [--user NAME] | server | none]`: shows or sets how this
// device syncs items. Choosing a folder or WebDAV marks every item for publishing there on the next
// cryptex sync, so the whole vault moves to the new method; a folder or WebDAV left behind gets a signed
// "moved" marker on the next sync.
import { existsSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ON_LOG_TARGET } from "@cryptex/core/sync/log/log-vault-sync.ts";
import { CliError } from "../errors/cli-error.ts";
import { askPassword } from "../io/password.ts";
import { apiFor } from "../net/api.ts";
import type { CommandRun } from "../program/spec.ts";
import { publishProfile } from "../sync-targets/account-profile.ts";
import {
  describeMethod,
  isLogMethod,
  logStatePath,
  readMethod,
  type SyncMethod,
  sameMethod,
  sealMethod,
  writeMethod,
} from "../sync-targets/sync-method.ts";
import { openExistingStore } from "../vault/home.ts";
import { readMetaOrFail, unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const [kind, where] = args.positionals;
  const store = openExistingStore(ctx);
  try {
    const current = readMethod(ctx.home);
    if (kind === undefined) {
      await readMetaOrFail(store, ctx);
      if (ctx.json)
        return ctx.out(
          JSON.stringify({ method: describeMethod(current.method), kind: current.method.kind, lastSync: current.lastSync ?? null }),
        );
      return ctx.out(`sync method: ${describeMethod(current.method)}`);
    }
    let method: SyncMethod;
    switch (kind) {
      case "server":
      case "none":
        if (where !== undefined) throw new CliError("usage", `cryptex sync method ${kind} takes no argument`);
        method = { kind };
        break;
      case "folder": {
        if (!where) throw new CliError("usage", "cryptex sync method folder DIR");
        const dir = resolve(where);
        if (!existsSync(dir) || !statSync(dir).isDirectory())
          throw new CliError("file", `${dir} is not a folder (create it, or let the sync client create it, first)`);
        method = { kind: "folder", dir };
        break;
      }
      case "webdav": {
        if (!where) throw new CliError("usage", "cryptex sync method webdav URL [--user NAME]");
        let url: URL;
        try {
          url = new URL(where);
        } catch {
          throw new CliError("usage", `not a URL: ${where}`);
        }
        if (url.protocol !== "https:" && url.protocol !== "http:") throw new CliError("usage", "the WebDAV URL must start with https://");
        if (url.username || url.password) throw new CliError("usage", "give the user with --user, not inside the URL");
        const user = args.values.user as string | undefined;
        const password = user ? await askPassword(ctx, `WebDAV password for ${user}: `) : undefined;
        method = { kind: "webdav", url: url.href, ...(user ? { user } : {}), ...(password ? { password } : {}) };
        break;
      }
      default:
        throw new CliError("usage", `unknown sync method ${kind}: folder DIR, webdav URL, server or none`);
    }
    // a device signed in to a server stores the method for the account too (sealed), so a new device learns it
    const meta = await readMetaOrFail(store, ctx);
    if (method.kind === "server" && meta.serverUrl === "")
      throw new CliError("usage", "this account has no server (it was made with signup --folder): choose a folder, WebDAV or none");
    // keys are needed to publish the method for the account, and to seal a WebDAV password
    const unlocked = meta.sessionToken || (method.kind === "webdav" && method.password) ? await unlockVault(ctx) : undefined;
    if (unlocked) method = await sealMethod(method, unlocked.keys);
    if (sameMethod(method, current.method)) {
      writeMethod(ctx.home, { ...current, method });
    } else {
      // the whole vault moves: every item is published to the new place on the next sync (a version
      // already there is recognised and not doubled); items that only ever travelled through a log get
      // "never on the server" for the server method
      const all = await store.readAllItems();
      await store.write({
        putItems: all.map((s) => ({
          ...s,
          pending: true,
          revision: method.kind === "server" && s.revision === ON_LOG_TARGET ? 0 : s.revision,
        })),
      });
      rmSync(logStatePath(ctx.home), { force: true });
      writeMethod(ctx.home, {
        method,
        ...(isLogMethod(current.method) ? { previous: current.method } : current.previous ? { previous: current.previous } : {}),
      });
    }
    let published = false;
    if (unlocked) {
      try {
        if (meta.sessionToken) {
          await publishProfile(apiFor(ctx, meta.serverUrl, unlocked.serverToken), unlocked.keys, method);
          published = true;
        }
      } catch (e) {
        ctx.err(`Note: the method is set on this device, but could not be stored for the account (${(e as Error).message}).`);
      } finally {
        await unlocked.store.close();
      }
    }
    if (ctx.json) return ctx.out(JSON.stringify({ method: describeMethod(method), kind: method.kind, published }));
    ctx.out(`sync method: ${describeMethod(method)}`);
    if (method.kind === "folder" || method.kind === "webdav") ctx.err("Run cryptex sync to publish the vault there.");
  } finally {
    await store.close();
  }
};
