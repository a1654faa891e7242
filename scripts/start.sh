#!/usr/bin/env bash
# Set up and start the app on the illustrative demo store (built on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py "$@"
