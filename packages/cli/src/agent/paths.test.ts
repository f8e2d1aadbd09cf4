// The client's own reading of a command line (agent/paths.ts) against the CLI's: the same home and session id,
// or none at all for a line it will not guess.
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { createContext, processIo } from "../program/context.ts";
import { TOKEN_RE as SESSION_TOKEN_RE } from "../vault/session.ts";
import { homeOf, sessionIdOf, TOKEN_RE } from "./paths.ts";

test("the token format is vault/session.ts's", () => {
  assert.equal(TOKEN_RE.source, SESSION_TOKEN_RE.source);
  const id = "0b0e4a1c-5f7e-4c1d-9a2b-3c4d5e6f7a8b";
  const token = `cxs1_${id}_${"A".repeat(43)}`;
  assert.equal(sessionIdOf(token), id);
  assert.equal(sessionIdOf(` ${token}\n`), id, "trimmed, as openSession reads it");
  assert.equal(sessionIdOf(`${token}x`), undefined);
  assert.equal(sessionIdOf(`cxs1_../../x_${"A".repeat(43)}`), undefined, "nothing but a UUID becomes part of a path");
});

test("homeOf gives the home program/context.ts resolves, or undefined for an unusual line", () => {
  const env = { HOME: "/home/u", XDG_DATA_HOME: "/data" };
  const ctxHome = (argv: string[], e: NodeJS.ProcessEnv) =>
    createContext({ home: argv.includes("--home") ? argv[argv.indexOf("--home") + 1] : undefined }, { ...processIo(), env: e }).home;
  for (const [argv, e] of [
    [["get", "x"], env],
    [["get", "x"], { HOME: "/home/u" }],
    [["get", "x"], { ...env, CRYPTEX_HOME: "/v" }],
    [["--home", "/h", "get", "x"], env],
    [["get", "x", "--home", "/h"], { ...env, CRYPTEX_HOME: "/v" }],
  ] as const)
    assert.equal(homeOf(argv, e, "/cwd"), resolve("/cwd", ctxHome([...argv], e)), argv.join(" "));
  assert.equal(homeOf(["--home=rel", "list"], env, "/cwd"), "/cwd/rel");
  assert.equal(homeOf(["--home", "a", "--home", "b", "list"], env, "/"), undefined);
  assert.equal(homeOf(["--home", "--json", "list"], env, "/"), undefined);
  assert.equal(homeOf(["list", "--home"], env, "/"), undefined);
  assert.equal(homeOf(["get", "--", "--home"], env, "/"), undefined);
});
