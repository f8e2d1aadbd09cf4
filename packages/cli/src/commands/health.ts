// `cryptex health [--breaches] [--breach-endpoint URL]`: the password health report, computed here.
import { DEFAULT_PWNED_ENDPOINT, parseEndpoint } from "@cryptex/core/vault/health/pwned-passwords.ts";
import { CliError } from "../errors/cli-error.ts";
import { healthText } from "../io/health-text.ts";
import { caPemOf } from "../net/api.ts";
import { createHttpsFetch } from "../net/https-fetch.ts";
import type { CommandRun } from "../program/spec.ts";
import { runHealth } from "../vault/health-run.ts";
import { unlockVault } from "../vault/unlock.ts";

export const run: CommandRun = async (ctx, args) => {
  const raw = args.values["breach-endpoint"] as string | undefined;
  const wantBreaches = args.values.breaches === true || raw !== undefined;
  const endpoint = parseEndpoint(raw ?? DEFAULT_PWNED_ENDPOINT);
  if (!endpoint) throw new CliError("usage", `--breach-endpoint must be an https:// URL without query, got "${raw!.slice(0, 80)}"`);
  const breaches = wantBreaches ? { fetch: createHttpsFetch(caPemOf(ctx)), endpoint } : undefined;
  const v = await unlockVault(ctx);
  try {
    const report = await runHealth(ctx.home, v, breaches);
    ctx.out(ctx.json ? JSON.stringify(report) : healthText(report));
  } finally {
    await v.store.close();
  }
};
