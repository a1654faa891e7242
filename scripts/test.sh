#!/usr/bin/env bash
# Set up and run every test: lint, unit, store/CLI (20 concurrent imports), app and browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
# Browser tests drive Debian's Chromium (Playwright's own browser download needs internet);
# server-mode tests start a private PostgreSQL + PostGIS cluster on 127.0.0.1.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
# Export checks: GDAL's GeoPackage validator as Debian ships it (GDAL 3.6 on Debian 12), and
# pdffonts/pdftoppm for the PDFs.
[ -f /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py ] || missing+=(python3-gdal)
command -v pdffonts >/dev/null || missing+=(poppler-utils)
# LibreOffice opens the Excel exports as people do.
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
# The current GDAL's GeoPackage validator: a pure-Python script in the gdal-utils wheel.
validator=.cache/gdal-utils/osgeo_utils/samples/validate_gpkg.py
if [ ! -f "$validator" ]; then
  .venv/bin/python -m pip download --quiet --no-deps gdal-utils==3.13.3.0 -d .cache/wheels
  .venv/bin/python -m zipfile -e .cache/wheels/gdal_utils-3.13.3.0-py3-none-any.whl .cache/gdal-utils
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# The library is typed: mypy (pinned in requirements-dev.txt) reads [tool.mypy] in pyproject.toml.
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
