#!/usr/bin/env bash
# Set up, ingest Ofsted documents into the default database, export the dataset to out/,
# and start the web app on http://localhost:8000/ (Ctrl+C stops it).
#   bash scripts/run.sh                      # the sample reports and letters shipped in tests/fixtures
#   bash scripts/run.sh ../shared/corpus     # or any folders of report PDFs
# The database is the default one (a SQLite file in your user data folder), or $OFSTED_CSC_DB.
# HOST and PORT choose where the web app listens; SERVE=0 stops after the export.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "$#" -gt 0 ]; then
  SRC=("$@")
else
  SRC=(tests/fixtures/reports tests/fixtures/letters)
fi
CLI=.venv/bin/ofsted-csc
mkdir -p out
rc=0
"$CLI" ingest --jobs 2 "${SRC[@]}" || rc=$?
if [ "$rc" -ge 2 ]; then exit "$rc"; fi  # 1 means some files were refused: listed above
for what in inspections recommendations letters; do
  "$CLI" export "$what" --format csv --output "out/$what.csv"
done
"$CLI" review || true
echo "Wrote out/inspections.csv, out/recommendations.csv, out/letters.csv"
if [ "${SERVE:-1}" != "0" ]; then
  exec "$CLI" serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
fi
