#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server.
#
#   scripts/with-postgres.sh pytest ...
#
# Installs Debian's postgresql package when it is missing (as root), starts a
# private cluster in a temporary folder on a free local port, exports
# DATABASE_URL for the command and removes the cluster afterwards. It never
# falls back to SQLite: without PostgreSQL it fails.
set -euo pipefail

find_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bindir="$(find_bindir || true)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "PostgreSQL is not installed: installing Debian's postgresql package..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir="$(find_bindir)"
  fi
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "FAIL: PostgreSQL server binaries not found (install the postgresql package)." >&2
  exit 1
fi

workdir="$(mktemp -d /tmp/simbaumi-pg.XXXXXX)"
run_as=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root; the Debian package creates this user.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$workdir" postgres
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

"${run_as[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --no-locale \
  --no-sync >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; exit 1; }
# Durability settings off: this cluster lives for one test run only.
"${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -w -t 60 -l "$workdir/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }

"${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres simbaumi

version="$("$bindir/postgres" --version)"
echo "Started $version on 127.0.0.1:$port (data in $workdir)"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/simbaumi"
set +e
"$@"
status=$?
set -e
exit $status
