#!/usr/bin/env bash
# The front-end libraries the site serves itself (package.json's dependencies: Leaflet and
# its clustering plugin for the maps), from the npm registry with the versions and hashes
# of package-lock.json. Node.js and npm come from Debian; as root they are installed when
# missing. `npm ci --omit=dev` runs only when the lock file changed; a full `npm ci`
# (make install-dev) brings these too.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Node.js and npm for the site's front-end libraries..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "FAIL: npm is needed for the site's front-end libraries (install the nodejs and npm packages)." >&2
    exit 1
  fi
fi

fresh() {
  [ -f "$1" ] && [ ! package-lock.json -nt "$1" ] && [ ! package.json -nt "$1" ]
}
if fresh node_modules/.installed || fresh node_modules/.installed-runtime; then
  exit 0
fi
npm ci --omit=dev --no-audit --no-fund --loglevel=error
touch node_modules/.installed-runtime
