#!/usr/bin/env bash
# Make sure the browser stage's checkers can run: Node.js and npm for Lighthouse, Java for
# the Nu HTML checker (both Debian's), then the npm dev dependencies of package-lock.json.
# As root it installs what is missing; `npm ci` runs only when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

node_ok() {
  command -v node >/dev/null && command -v npm >/dev/null &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 16) ? 0 : 1)'
}
java_ok() {
  command -v java >/dev/null
}

packages=()
node_ok || packages+=(nodejs npm)
java_ok || packages+=(default-jre-headless)
if [ "${#packages[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing the browser stage's checkers: ${packages[*]}..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
if ! node_ok; then
  echo "FAIL: Node.js 18.16 or newer and npm are needed (install the nodejs and npm packages)." >&2
  exit 1
fi
if ! java_ok; then
  echo "FAIL: Java is needed for the Nu HTML checker (install default-jre-headless)." >&2
  exit 1
fi

stamp=node_modules/.installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
echo "Node.js $(node --version), $(java -version 2>&1 | head -n 1)"
