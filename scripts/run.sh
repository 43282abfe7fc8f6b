#!/usr/bin/env bash
# Installs what is missing, migrates the embedded SQLite database, loads demo data the first time,
# and starts the scheduler process, the worker process (queued work: large files, re-assessment) and the
# web application on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

# The application refuses to start without WKI_ENV: this script is the development/demo start.
export WKI_ENV="${WKI_ENV:-development}" FLASK_APP=run.py
# Sign sessions with a key of this installation's own (instance/ is not in git), not the source's.
if [ -z "${SECRET_KEY:-}" ] && [ "$WKI_ENV" = development ]; then
  mkdir -p instance
  [ -s instance/secret_key ] || (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))' >instance/secret_key)
  SECRET_KEY="$(cat instance/secret_key)"
  export SECRET_KEY
fi
.venv/bin/flask db upgrade
.venv/bin/flask demo seed --if-empty

.venv/bin/flask scheduler run &
scheduler_pid=$!
# The worker does what web requests queue; SIGTERM lets it finish the item it is on.
.venv/bin/flask worker run &
worker_pid=$!
trap 'kill "$scheduler_pid" "$worker_pid" 2>/dev/null || true' EXIT INT TERM

echo
echo "Wki-toezicht draait op http://127.0.0.1:5000 (planner: pid $scheduler_pid, verwerker: pid $worker_pid). Stoppen: Ctrl+C."
.venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
