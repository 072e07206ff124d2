#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the browser tests (as root it
# installs the package); print its version or fail.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Chromium is not installed: installing Debian's chromium package..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ ! -x "$chromium" ]; then
  echo "FAIL: Chromium not found at $chromium (install the chromium package)." >&2
  exit 1
fi
"$chromium" --version 2>/dev/null | head -n 1
