#!/usr/bin/env bash
# Make sure the browser stage can run: Debian's Chromium, and the system
# libraries that Playwright's bundled driver (a Node.js binary) links against.
# As root it installs what is missing; it prints the Chromium version or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
# libatomic1: the Playwright driver's node binary needs libatomic.so.1, which a
# minimal Debian does not have (Chromium itself does not pull it in).
packages=(chromium libatomic1)

driver="$(ls .venv/lib/python3*/site-packages/playwright/driver/node 2>/dev/null | head -n 1 || true)"

missing_libraries() {
  [ -n "$driver" ] && command -v ldd >/dev/null && ldd "$driver" 2>/dev/null | grep -q "not found"
}

needs_install() {
  [ ! -x "$chromium" ] && return 0
  missing_libraries && return 0
  dpkg-query -W -f='${Status}\n' "${packages[@]}" 2>/dev/null | grep -qv "install ok installed" && return 0
  return 1
}

if needs_install && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing the browser stage's packages: ${packages[*]}..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if [ ! -x "$chromium" ]; then
  echo "FAIL: Chromium not found at $chromium (install the chromium package)." >&2
  exit 1
fi
if missing_libraries; then
  echo "FAIL: Playwright's driver cannot load its libraries:" >&2
  ldd "$driver" | grep "not found" >&2
  exit 1
fi
"$chromium" --version 2>/dev/null | head -n 1
