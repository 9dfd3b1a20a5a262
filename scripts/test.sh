#!/usr/bin/env bash
# Set up (if needed) and run every check: ruff, mypy, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks tools
.venv/bin/ruff format --check src tests benchmarks tools
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
