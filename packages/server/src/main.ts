// Entry point (`npm start`): parse the environment, start the HTTPS server, stop cleanly on SIGTERM/SIGINT.
// Bad configuration or a failed start prints one clear line per problem on stderr and exits non-zero.
import { parseConfig } from "./config.ts";
import { createLogger } from "./log.ts";
import { runServer, StartupError } from "./server.ts";
import { CertificateError } from "./tls/certificate.ts";

const parsed = parseConfig(process.env);
if (!parsed.ok) {
  for (const e of parsed.errors) process.stderr.write(`cryptex-server: configuration error: ${e}\n`);
  process.exit(2);
}
const config = parsed.config;
const log = createLogger(config.logLevel);

try {
  const running = await runServer(config, log);
  process.stderr.write(
    running.fingerprint
      ? `Cryptex server on ${config.publicUrl} — TLS certificate SHA-256 fingerprint ${running.fingerprint}\n`
      : `Cryptex server for ${config.publicUrl}, plain HTTP on ${config.listen.kind === "unix" ? config.listen.path : `${config.listen.host}:${config.listen.port}`} behind a TLS proxy\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
} catch (e) {
  if (e instanceof StartupError || e instanceof CertificateError) {
    process.stderr.write(`cryptex-server: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
