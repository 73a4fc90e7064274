#!/usr/bin/env bash
# Lint and test the service: ruff over the code, then its pytest suite. Runs on every change.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../app"

python -m pip install --quiet --requirement requirements.txt --requirement requirements-dev.txt "ruff==${RUFF_VERSION:?set RUFF_VERSION}"
ruff check .
python -m pytest
