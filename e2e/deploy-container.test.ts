// deploy/Dockerfile, built and run for real with podman: the image builds from this checkout on a local base
// (deploy/container/make-base.sh: no registry is needed), runs as a non-root user with a read-only root, makes
// its certificate in the /data volume, answers /healthz over TLS, and its own HEALTHCHECK passes; its server
// process runs with the shipped Node flags (packages/server/src/node-flags.ts).
// Nothing leaves the machine: the build runs with --network=none (npm installs from this machine's npm cache,
// offline) and the container shares the host's loopback (--network=host, the server bound to 127.0.0.1).
// Skipped, saying why, where podman or the base image is missing.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { SERVER_NODE_FLAGS } from "../packages/server/src/node-flags.ts";
import { freePort } from "../packages/server/src/testing/free-port.ts";
import { request } from "../packages/server/src/testing/https-client.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const BASE = process.env.CRYPTEX_CONTAINER_BASE ?? "localhost/cryptex-node-base:24";
const NPM_CACHE = join(homedir(), ".npm");
const podman = (args: string[], timeout = 60_000) => spawnSync("podman", args, { encoding: "utf8", timeout });
// runc where installed: crun refuses hosts with cgroups v1 and v2 mounted side by side (this test machine)
const RUNTIME = existsSync("/usr/sbin/runc") || existsSync("/usr/bin/runc") ? ["--runtime", "runc"] : [];
// lower limits than the host's: a container may not raise them without CAP_SYS_RESOURCE
const LIMITS = ["--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"];

function skipReason(): string | undefined {
  if (podman(["--version"]).status !== 0) return "podman is not installed (apt-get install podman runc)";
  if (podman(["image", "exists", BASE]).status !== 0) return `no base image ${BASE}: make it with deploy/container/make-base.sh`;
  if (!existsSync(join(NPM_CACHE, "_cacache"))) return `no npm cache in ${NPM_CACHE} to install from offline (run npm ci once)`;
  return undefined;
}

const skip = skipReason();
test("the container image builds offline, runs read-only as a non-root user and answers /healthz", { skip, timeout: 900_000 }, async () => {
  const tag = `localhost/cryptex-test-${randomUUID().slice(0, 8)}`;
  const volume = `cryptex-test-${randomUUID().slice(0, 8)}`;
  const name = `cryptex-test-${randomUUID().slice(0, 8)}`;
  // the build context: what a fresh clone has (no node_modules, no build output)
  const context = mkdtempSync(join(tmpdir(), "cryptex-image-"));
  try {
    for (const f of ["package.json", "package-lock.json", "deploy"]) cpSync(join(ROOT, f), join(context, f), { recursive: true });
    cpSync(join(ROOT, "packages"), join(context, "packages"), {
      recursive: true,
      filter: (src) => !/\/(node_modules|dist|dist-test|\.test-output)(\/|$)/.test(src),
    });
    const build = podman(
      [
        "build",
        ...RUNTIME,
        ...LIMITS,
        "--network=none",
        "--format",
        "docker",
        "--build-arg",
        `BASE=${BASE}`,
        // docker format: OCI images drop HEALTHCHECK. npm_config_offline makes npm ci take every package from the mounted cache (overlay: the host's stays as it is)
        "--env",
        "npm_config_offline=true",
        "--volume",
        `${NPM_CACHE}:/root/.npm:O`,
        "-t",
        tag,
        "-f",
        join(context, "deploy", "Dockerfile"),
        context,
      ],
      780_000,
    );
    assert.equal(build.status, 0, `podman build failed:\n${(build.stdout + build.stderr).slice(-3000)}`);

    const port = await freePort();
    const run = podman([
      "run",
      ...RUNTIME,
      ...LIMITS,
      "-d",
      "--name",
      name,
      "--network=host",
      "--read-only",
      "--tmpfs",
      "/tmp",
      "-v",
      `${volume}:/data`,
      "-e",
      "HOST=127.0.0.1",
      "-e",
      `PORT=${port}`,
      "-e",
      `PUBLIC_URL=https://localhost:${port}`,
      tag,
    ]);
    assert.equal(run.status, 0, `podman run failed: ${run.stderr}`);
    let status = 0;
    let body = "";
    for (let i = 0; i < 120 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        // the server's own self-signed certificate, read back from the data volume
        const ca = execFileSync("podman", ["exec", name, "cat", "/data/tls/cert.pem"], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        });
        const r = await request("GET", `https://localhost:${port}/healthz`, { ca, timeoutMs: 2000 });
        status = r.status;
        body = r.text;
      } catch {
        // not up yet
      }
    }
    const logs = podman(["logs", name]);
    assert.equal(status, 200, `no /healthz answer; container logs:\n${logs.stdout}${logs.stderr}`);
    assert.deepEqual(JSON.parse(body), { status: "ok" });
    assert.equal(podman(["exec", name, "id", "-u"]).stdout.trim(), "10001");
    const argv = podman(["exec", name, "cat", "/proc/1/cmdline"]).stdout.split("\0").filter(Boolean);
    assert.deepEqual(argv, ["node", ...SERVER_NODE_FLAGS, "packages/server/src/main.ts"], "the container's server process");
    const write = podman(["exec", name, "sh", "-c", "touch /app/x"]);
    assert.notEqual(write.status, 0, "the image's root must be read-only");
    const health = podman(["healthcheck", "run", name]);
    assert.equal(health.status, 0, `the image's HEALTHCHECK failed: ${health.stdout}${health.stderr}`);
  } finally {
    podman(["rm", "-f", name]);
    podman(["volume", "rm", "-f", volume]);
    podman(["rmi", "-f", tag]);
    rmSync(context, { recursive: true, force: true });
  }
});
