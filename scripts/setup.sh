#!/usr/bin/env bash
# Create .venv with the pinned dependencies (dev ones too with --dev). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
requirements=requirements.txt
[ "${1:-}" = "--dev" ] && requirements=requirements-dev.txt
stamp=".venv/.installed-$(sha256sum requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$(basename $requirements .txt)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$requirements"
  touch "$stamp"
fi
# Compile the road overlap measure and the line matcher once (about 5 s each) into the cache the
# first analysis loads them from: $PETA_NUMBA_CACHE_DIR, else ~/.cache/peta-sinergi/numba (geo.settings.numba_cache_dir).
.venv/bin/python -c "import geo.spatial.segments; geo.spatial.segments.compile_loops()"
.venv/bin/python -c "import geo.spatial.linematch; geo.spatial.linematch.compile_loops()"
