#!/usr/bin/env bash
# Installs what is missing and runs the whole suite: lint, types, then the tests on SQLite and on
# PostgreSQL (127.0.0.1:5432, user postgres). In CI (CI=true) PostgreSQL is required and a skipped
# test fails the run; elsewhere the PostgreSQL pass runs whenever the server is reachable.
# Extra arguments go to pytest (e.g. scripts/test.sh -k login).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

PG_URL="${WKI_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"
pg_ready() {
  .venv/bin/python - "$PG_URL" <<'PY' >/dev/null 2>&1
import sys, sqlalchemy as sa
sa.create_engine(sys.argv[1]).connect().close()
PY
}

echo "==> Lint (ruff)"
.venv/bin/ruff check wki tests bench config.py run.py

echo "==> Layers (import-linter)"
.venv/bin/lint-imports --no-cache

echo "==> Types (mypy)"
.venv/bin/mypy

status=0
echo "==> Tests on SQLite"
TEST_DATABASE_URL="" .venv/bin/python -m pytest "$@" || status=1

if ! pg_ready && [ "${CI:-}" = "true" ] && command -v pg_ctlcluster >/dev/null; then
  echo "==> Starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi
if pg_ready; then
  echo "==> Tests on PostgreSQL"
  TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest "$@" || status=1
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $PG_URL; CI needs it." >&2
  status=1
else
  echo "==> PostgreSQL not reachable at $PG_URL: the PostgreSQL pass was not run." >&2
fi
exit $status
