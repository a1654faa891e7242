#!/usr/bin/env bash
# Set up and start the app on the illustrative demo store (built on first start).
# It listens on this machine only (127.0.0.1); to serve an intranet, create accounts first
# (python -m geo users add NAME --role admin) and set PETA_ADDRESS=0.0.0.0 (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m ui.serve --server.address "${PETA_ADDRESS:-127.0.0.1}" "$@"
