#!/usr/bin/env bash
# `make run`: Django's development server with the background-task worker beside it.
#
#   scripts/run-with-worker.sh .venv/bin/python 0.0.0.0:8000
#
# The worker (manage.py db_worker) runs the tasks that requests store: e-mails,
# image renditions. It runs in a session of its own, so Ctrl+C reaches only the
# server; when the server stops, for whatever reason, the worker gets one SIGTERM
# and finishes the task it is running before it exits.
set -uo pipefail
python="$1"
address="$2"

detach=()
if command -v setsid >/dev/null; then
  detach=(setsid)
fi
"${detach[@]}" "$python" manage.py db_worker --no-reload --no-startup-delay &
worker=$!

stop_worker() {
  if kill -0 "$worker" 2>/dev/null; then
    echo "Stopping the background-task worker..."
    kill -TERM "$worker" 2>/dev/null
    wait "$worker" 2>/dev/null
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$python" manage.py runserver "$address"
