#!/usr/bin/env bash
# Create the project's virtualenv with Python 3.11, installing the venv module
# from Debian when it is missing and we are root.
set -euo pipefail
python="${1:-python3}"
venv="${2:-.venv}"

if [ -x "$venv/bin/python" ]; then
  exit 0
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)' 2>/dev/null; then
  echo "SI MBA UMI needs Python 3.11 or newer as '$python' (set PYTHON=...)." >&2
  exit 1
fi
if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
  else
    echo "Python's venv module is missing: install python3-venv." >&2
    exit 1
  fi
fi
"$python" -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check -q --upgrade pip
