#!/usr/bin/env bash
# Installs what is missing, migrates the embedded SQLite database, loads demo data the first time,
# and starts the scheduler process and the web application on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

export WKI_ENV="${WKI_ENV:-development}" FLASK_APP=run.py
.venv/bin/flask db upgrade
.venv/bin/flask demo seed --if-empty

.venv/bin/flask scheduler run &
scheduler_pid=$!
trap 'kill "$scheduler_pid" 2>/dev/null || true' EXIT INT TERM

echo
echo "Wki-toezicht draait op http://127.0.0.1:5000 (planner: pid $scheduler_pid). Stoppen: Ctrl+C."
.venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
