#!/usr/bin/env bash
# Installs everything the application and its tests need, doing only what is missing:
# Debian packages (WeasyPrint's libraries, fonts, Node.js, Chromium for the browser tests, the PostgreSQL
# client programs for back-ups),
# a virtual environment with the pinned Python packages, and the front-end assets from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# ---- Debian packages -------------------------------------------------------------------------
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-open-sans poppler-utils; do
  have_pkg "$pkg" || need+=("$pkg")
done
command -v "$PYTHON" >/dev/null || need+=(python3)
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm)
command -v chromium >/dev/null || need+=(chromium)
# pg_dump and pg_restore for `flask backup` on PostgreSQL (their major version must match the server's).
command -v pg_dump >/dev/null && command -v pg_restore >/dev/null || need+=(postgresql-client)
if ((${#need[@]})); then
  log "Debian packages needed: ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Install these packages as root first: apt-get install ${need[*]}" >&2; exit 1
  fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"Python 3.11 or newer is needed; found {sys.version.split()[0]}.")
PY

# ---- Python packages ---------------------------------------------------------------------------
stamp=".venv/.install-stamp"
want="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ]; then
  log "Creating the virtual environment (.venv)"
  "$PYTHON" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "Installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  echo "$want" > "$stamp"
fi

# ---- Front-end assets (served locally; nothing is fetched at run time) --------------------------
nstamp="node_modules/.install-stamp"
nwant="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$nstamp" 2>/dev/null)" != "$nwant" ]; then
  log "Installing front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$nwant" > "$nstamp"
fi
mkdir -p static/vendor/rhc
cp node_modules/@rijkshuisstijl-community/design-tokens/dist/index.css static/vendor/rhc/design-tokens.css
cp node_modules/@rijkshuisstijl-community/components-css/dist/index.css static/vendor/rhc/components.css
# Fira Sans, the font the design tokens name (also for the PDFs): regular, italic, 600 and 700, the
# latin and latin-ext subsets only. One stylesheet of their @font-face rules (woff2 only; every browser
# we support reads it), next to the files it names.
fonts=node_modules/@fontsource/fira-sans
mkdir -p static/vendor/fonts/fira-sans/files
: > static/vendor/fonts/fira-sans/fira-sans.css
for face in 400 400-italic 600 700; do
  for subset in latin latin-ext; do
    style=normal; weight=$face
    case $face in *-italic) style=italic; weight=${face%-italic} ;; esac
    file="fira-sans-$subset-$weight-$style.woff2"
    cp "$fonts/files/$file" static/vendor/fonts/fira-sans/files/
    # The rule for this subset from the package's stylesheet, with its unicode-range, minus the woff fallback.
    awk -v tag="/* fira-sans-$subset-$weight-$style */" '$0 == tag {on=1} on {print} on && /^}/ {exit}' \
      "$fonts/$face.css" | sed "s/, url([^)]*\.woff) format('woff')//" >> static/vendor/fonts/fira-sans/fira-sans.css
  done
done
cp "$fonts/LICENSE" static/vendor/fonts/fira-sans/LICENSE
mkdir -p instance
