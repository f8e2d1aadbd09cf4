// Attack 6, icon / link-preview leak (issue 6): items whose titles and URL fields hold canary hosts, a planted
// password in a URL's query, and a base64 "ciphertext" as a URL. The web app (Debian's Chromium, a real
// server) is driven through sign-up, add, list, open, reveal, edit and search while every request the page,
// its workers and the browser make is recorded; every *.invalid host resolves to a local trap listener, so
// even a preconnect or a DNS-prefetch-driven connection is seen. Nothing may go to another origin, and no
// request may carry a canary. The CLI: get / list / search / totp / unlock make no network attempt at all
// (recorded by a preload that wraps node:net, node:dns and node:dgram), and sync talks only to its server.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli, runCliWithCode } from "@cryptex/cli/src/testing/run-cli.ts";
import { freePort } from "@cryptex/server/src/testing/free-port.ts";
import { outboxMailbox } from "@cryptex/server/src/testing/mailbox.ts";
import { type RunningServer, startServer } from "@cryptex/server/src/testing/start-server.ts";
import { type Browser, chromium, type Request } from "playwright-core";
import { buildWebIfNeeded, CHROMIUM, spkiHash, waitSynced } from "../packages/web/src/testing/browser.ts";
import { scan } from "./support/leak-scan.ts";

const RECORDER = new URL("./support/record-connections.ts", import.meta.url).pathname;
const hex = (n: number) => randomBytes(n).toString("hex");
const HOST = `canary-${hex(6)}.invalid`;
const HOST2 = `canary-${hex(6)}.invalid`;
const PLANTED_PW = `pw${hex(8)}Z`;
const CIPHER_LIKE = randomBytes(60).toString("base64");
const URL_1 = `https://${HOST}/x?p=${PLANTED_PW}`;
const URL_2 = `https://${HOST2}/icon?c=${encodeURIComponent(CIPHER_LIKE)}`;
const CANARIES = [HOST, HOST2, PLANTED_PW, CIPHER_LIKE, encodeURIComponent(CIPHER_LIKE)];
const PASSWORD = "tangerine orbit 42 velvet canary";

/** A TCP listener that only records who connected (the place every canary host resolves to). */
async function startTrap(port?: number): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((s) => {
    hits.push(`${s.remoteAddress}:${s.remotePort}`);
    s.destroy();
  });
  const p = port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(p, "127.0.0.1", resolve));
  return { server, port: p, hits };
}
const closeTrap = (t: { server: Server }) => new Promise<void>((r) => t.server.close(() => r()));

let srv: RunningServer | undefined;
let browser: Browser | undefined;
let webTrap: Awaited<ReturnType<typeof startTrap>> | undefined;
after(async () => {
  await browser?.close();
  await srv?.stop();
  if (webTrap) await closeTrap(webTrap);
});

test("attack 6 (web): viewing, editing and searching items with canary URLs requests nothing but the server", async () => {
  buildWebIfNeeded();
  srv = await startServer();
  const trap = await startTrap();
  webTrap = trap;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      `--ignore-certificate-errors-spki-list=${spkiHash(srv.caPem)}`,
      `--host-resolver-rules=MAP *.invalid 127.0.0.1:${trap.port}`,
    ],
  });
  // CSP bypassed: the claim is that no app code builds a request from vault data, not that the CSP catches it
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  const seen: { url: string; body: Buffer }[] = [];
  const note = (r: Request) => seen.push({ url: r.url(), body: r.postDataBuffer() ?? Buffer.alloc(0) });
  ctx.on("request", note);
  const routed: string[] = [];
  await ctx.route("**/*", (route) => {
    routed.push(route.request().url());
    return route.continue();
  });
  const page = await ctx.newPage();
  page.on("request", note);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const origin = new URL(srv.url).origin;

  await page.goto(srv.url);
  const email = `icon-${hex(4)}@example.test`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Account password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm account password").fill(PASSWORD);
  await page.getByText(/Strong|Very strong/).waitFor();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByLabel("Code from the mail").fill(await outboxMailbox(srv.outboxDir).code(email, "signup", 30_000));
  await page.getByRole("button", { name: "Confirm" }).click();
  await page
    .getByRole("heading", { name: "Your account QR code" })
    .waitFor({ timeout: 30_000 })
    .catch(async (e) => {
      await page.screenshot({ path: "/tmp/icon-fail.png" });
      throw new Error(`${e}\n${errors.join("\n")}\n${routed.join("\n")}`);
    });
  await page.getByRole("button", { name: "Continue to vault" }).click();
  await waitSynced(page);

  const add = async (title: string, website: string, password: string) => {
    await page.getByRole("button", { name: "Add item", exact: true }).click();
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Username").fill(`user@${HOST}`);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Website").fill(website);
    await page.getByLabel("Notes").fill(`see ${URL_1} and ${URL_2}`);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("heading", { name: title }).waitFor();
  };
  const items = page.getByRole("list", { name: "Items" });
  await add(`https://${HOST}/`, URL_1, PLANTED_PW);
  // (the form's URL input refuses a bare base64 string, so it rides in a URL path)
  await add(`Cipher ${HOST2}`, `https://${HOST2}/${CIPHER_LIKE}`, "another-planted-secret");
  await add("Icon probe", URL_2, "third-planted-secret");
  // the list, each item opened and revealed
  for (const [title, secret] of [
    [`https://${HOST}/`, PLANTED_PW],
    [`Cipher ${HOST2}`, "another-planted-secret"],
    ["Icon probe", "third-planted-secret"],
  ] as const) {
    await items.getByText(title, { exact: true }).click();
    await page.getByRole("heading", { name: title }).waitFor();
    const reveal = page.getByRole("button", { name: "Reveal Password" });
    if (await reveal.count()) await reveal.click();
    await page.getByText(secret, { exact: true }).waitFor();
  }
  // edit: the website becomes the base64 "ciphertext" with a canary host around it
  await items.getByText(`https://${HOST}/`, { exact: true }).click();
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await page.getByLabel("Website").fill(`https://${HOST2}/favicon.ico?u=${encodeURIComponent(CIPHER_LIKE)}`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByRole("heading", { name: `https://${HOST}/` }).waitFor();
  // search by the canary host
  await page.getByLabel("Search").fill(HOST2);
  await items.getByText(`Cipher ${HOST2}`, { exact: true }).waitFor();
  await page.getByLabel("Search").fill("");
  await waitSynced(page);
  await page.waitForTimeout(1500); // room for any late icon fetch or preconnect to show up

  assert.ok(seen.length > 5 && routed.length > 5, `the recorders saw the app's own traffic (${seen.length}, ${routed.length})`);
  assert.ok(
    seen.some((r) => r.url.startsWith(`${origin}/api/v1/items`) && r.body.length > 0),
    "item pushes were recorded",
  );
  const foreign = [...seen.map((r) => r.url), ...routed].filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== origin);
  assert.deepEqual(foreign, [], "no request to any other origin");
  const hits = scan(
    seen.map((r, i) => ({ where: `request ${i} ${r.url.slice(0, 80)}`, bytes: Buffer.concat([Buffer.from(r.url), r.body]) })),
    CANARIES,
  );
  assert.deepEqual(hits, [], "no request carries a canary");
  assert.deepEqual(trap.hits, [], "nothing connected to a canary host");
  // positive control: had the app drawn an icon from the URL field, all three recorders would have seen it
  await page.evaluate((u) => {
    const img = document.createElement("img");
    img.src = u;
    document.body.append(img);
  }, `https://${HOST}/favicon.ico?p=${PLANTED_PW}`);
  await page.waitForTimeout(1000);
  assert.ok(trap.hits.length > 0, "the trap sees a connection to a canary host");
  assert.ok(
    seen.some((r) => r.url.includes(HOST)),
    "the request recorder sees it",
  );
  assert.ok(
    routed.some((u) => u.includes(PLANTED_PW)),
    "the route sees it",
  );
  await ctx.close();
});

test("attack 6 (CLI): get, list, search, totp and unlock make no network attempt; sync talks only to its server", async () => {
  const server = await startServer();
  const home = join(server.dataDir, "..", `cli-icon-${hex(4)}`);
  const log = join(server.dataDir, "..", `net-${hex(4)}.log`);
  const ca = join(server.dataDir, "..", `ca-${hex(4)}.pem`);
  writeFileSync(ca, server.caPem);
  const recorded = () =>
    existsSync(log)
      ? readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { kind: string; detail: { host?: string; port?: number; path?: string } | string })
      : [];
  let session = "";
  const cli = (args: string[], env: Record<string, string>, stdin = "") =>
    runCli(args, { home, stdin, env: { ...env, ...(session ? { CRYPTEX_SESSION: session } : {}) } });
  const ok = async (args: string[], env: Record<string, string>, stdin = "") => {
    const r = await cli(args, env, stdin);
    assert.equal(r.code, 0, `cryptex ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return r;
  };
  const online = { NODE_EXTRA_CA_CERTS: ca };
  let stopped = false;
  const recording = { NODE_OPTIONS: `--import ${RECORDER}`, CRYPTEX_TEST_NET_LOG: log };
  try {
    const email = `cli-${hex(4)}@example.test`;
    const up = await runCliWithCode(
      [
        "signup",
        "--server",
        server.url,
        "--email",
        email,
        "--password-stdin",
        "--no-email",
        "--emergency-kit",
        join(home, "..", `kit-${hex(4)}.png`),
      ],
      { home, stdin: `${PASSWORD}\n`, env: online },
      () => outboxMailbox(server.outboxDir).code(email, "signup"),
    );
    assert.equal(up.code, 0, up.stderr);
    session = (await ok(["unlock", "--raw", "--password-stdin"], {}, `${PASSWORD}\n`)).stdout.trim();
    await ok(
      [
        "add",
        "login",
        "--title",
        `https://${HOST}/`,
        "--field",
        `url=${URL_1}`,
        "--field",
        `password=${PLANTED_PW}`,
        "--field",
        "totp=JBSWY3DPEHPK3PXP",
      ],
      {},
    );
    await ok(["add", "login", "--title", `Cipher ${HOST2}`, "--field", `url=${CIPHER_LIKE}`, "--field", `website=${URL_2}`], {});

    // sync under the recorder: connections only to the configured server (this also proves the recorder works)
    await ok(["sync"], { ...online, ...recording });
    const port = Number(new URL(server.url).port);
    const host = new URL(server.url).hostname;
    const syncNet = recorded();
    assert.ok(
      syncNet.some((e) => e.kind === "connect" && typeof e.detail === "object" && e.detail.port === port),
      `the recorder saw sync's connection: ${JSON.stringify(syncNet)}`,
    );
    for (const e of syncNet) {
      if (e.kind === "connect") assert.deepEqual([typeof e.detail === "object" && e.detail.port], [port], JSON.stringify(e));
      if (e.kind === "dns") assert.ok([host, "localhost", "127.0.0.1"].includes(e.detail as string), JSON.stringify(e));
      assert.notEqual(e.kind, "udp");
    }
    assert.deepEqual(scan([{ where: "net log", bytes: readFileSync(log) }], CANARIES), []);
    writeFileSync(log, "");

    // the server is gone; its port and an env proxy are traps; no CA trust: reading commands need no network
    await server.stop();
    stopped = true;
    const portTrap = await startTrap(port);
    const proxyTrap = await startTrap();
    const proxyUrl = `http://127.0.0.1:${proxyTrap.port}`;
    const offline = { ...recording, HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, NODE_USE_ENV_PROXY: "1" };
    try {
      const outputs: string[] = [];
      for (const args of [
        ["list"],
        ["list", "--json"],
        ["search", HOST],
        ["search", "cipher"],
        ["get", `https://${HOST}/`, "--reveal"],
        ["get", `Cipher ${HOST2}`, "--field", "url"],
        ["get", `Cipher ${HOST2}`, "--reveal", "--json"],
        ["totp", `https://${HOST}/`],
      ])
        outputs.push((await ok(args, offline)).stdout);
      assert.ok(outputs.join("\n").includes(PLANTED_PW) && outputs.join("\n").includes(CIPHER_LIKE), "the commands did show the items");
      assert.match(outputs[7]!, /\d{6}/);
      session = "";
      await ok(["unlock", "--raw", "--password-stdin"], offline, `${PASSWORD}\n`);
      // the one connection allowed: the session agent's Unix socket in the home's private agent folder (no packet)
      const agentDir = `${join(home, "agent")}/`;
      const toAgent = (e: ReturnType<typeof recorded>[number]) =>
        e.kind === "connect" && typeof e.detail === "object" && e.detail.path?.startsWith(agentDir) === true;
      assert.deepEqual(
        recorded().filter((e) => !toAgent(e)),
        [],
        "no connect, DNS lookup or UDP socket from reading commands",
      );
      assert.deepEqual(portTrap.hits, [], "nothing connected to the server's port");
      assert.deepEqual(proxyTrap.hits, [], "nothing went through the env proxy");
    } finally {
      await closeTrap(portTrap);
      await closeTrap(proxyTrap);
    }
  } finally {
    if (!stopped) await server.stop().catch(() => {});
  }
});
