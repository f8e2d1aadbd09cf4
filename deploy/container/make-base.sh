#!/bin/sh
# Makes a local stand-in for node:24-bookworm-slim where no container registry is reachable (the test machine):
# Debian 12 from the configured apt mirror (debootstrap, minbase) with openssl, plus this machine's Node 24
# binary and npm, imported into podman. Root only. e2e/deploy-container.test.ts builds deploy/Dockerfile on it.
#   deploy/container/make-base.sh [image]        default image: localhost/cryptex-node-base:24
set -eu
IMAGE=${1:-localhost/cryptex-node-base:24}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
NODE=${NODE:-$(command -v node)}
NPM_DIR=${NPM_DIR:-$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")}
case "$("$NODE" --version)" in v24.*) ;; *) echo "NODE must be Node 24 (got $("$NODE" --version))" >&2; exit 2 ;; esac
[ -f "$NPM_DIR/bin/npm-cli.js" ] || { echo "NPM_DIR ($NPM_DIR) is not an npm package folder" >&2; exit 2; }
ROOT=$(mktemp -d /tmp/cryptex-base-XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
debootstrap --variant=minbase --include=openssl,ca-certificates bookworm "$ROOT" "$MIRROR"
install -D -m 0755 "$NODE" "$ROOT/usr/local/bin/node"
mkdir -p "$ROOT/usr/local/lib/node_modules"
cp -a "$NPM_DIR" "$ROOT/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
rm -rf "$ROOT/var/cache/apt/archives/"*.deb "$ROOT/var/lib/apt/lists/"*
tar -C "$ROOT" -c . | podman import --change 'CMD ["node"]' - "$IMAGE"
