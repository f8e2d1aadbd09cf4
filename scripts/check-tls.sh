#!/usr/bin/env bash
# npm run check:tls — starts a throw-away Cryptex server and runs Debian's testssl.sh against it.
# Fails when SSLv2, SSLv3, TLS 1.0 or TLS 1.1 is offered, or any weak cipher (NULL, aNULL, EXPORT, LOW,
# 3DES, RC4, CBC-obsoleted) is. Skips with exit 0 and a clear message when testssl.sh is absent and cannot
# be installed (CI without apt): set CHECK_TLS_REQUIRED=1 to make that a failure instead.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/.bin/node

if ! command -v testssl >/dev/null 2>&1 && ! command -v testssl.sh >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq testssl.sh >/dev/null 2>&1 || true
  fi
fi
TESTSSL=$(command -v testssl || command -v testssl.sh || true)
if [ -z "$TESTSSL" ]; then
  echo "check:tls SKIPPED: testssl.sh is not installed (Debian: apt-get install testssl.sh)." >&2
  [ "${CHECK_TLS_REQUIRED:-0}" = 1 ] && exit 1
  exit 0
fi

work=$(mktemp -d)
port=$($NODE -e 'const s=require("node:net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
PORT=$port DATA_DIR="$work" LOG_LEVEL=warn $NODE packages/server/src/main.ts >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do
  if $NODE -e "require('node:https').get({host:'localhost',port:$port,path:'/healthz',rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))" 2>/dev/null; then break; fi
  sleep 0.2
done

"$TESTSSL" --quiet --color 0 --warnings off --protocols --std --jsonfile "$work/result.json" "localhost:$port" || true
$NODE -e '
const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
const findings = Array.isArray(r) ? r : (r.scanResult ?? []).flatMap((s) => Object.values(s).flat()).filter((x) => x && x.id);
const bad = [];
for (const f of findings) {
  const offered = /offered/i.test(f.finding ?? "") && !/not offered/i.test(f.finding ?? "");
  if (["SSLv2", "SSLv3", "TLS1", "TLS1_1"].includes(f.id) && offered) bad.push(`${f.id}: ${f.finding}`);
  if (/^(cipherlist_)?(NULL|aNULL|EXPORT|LOW|3DES_IDEA|OBSOLETED|cipherlist_OBSOLETED)/i.test(f.id) && offered) bad.push(`${f.id}: ${f.finding}`);
}
const seen = new Set(findings.map((f) => f.id));
if (!seen.has("TLS1_2") && !seen.has("TLS1_3")) { console.error("check:tls: testssl.sh produced no protocol results"); process.exit(1); }
if (bad.length) { console.error("check:tls FAILED:\n  " + bad.join("\n  ")); process.exit(1); }
console.log("check:tls passed: no SSLv2/SSLv3/TLS1.0/TLS1.1 offered, no weak cipher classes offered (" + findings.length + " findings checked)");
' "$work/result.json"
