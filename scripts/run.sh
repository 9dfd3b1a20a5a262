#!/usr/bin/env bash
# Set up, then ingest Ofsted documents into the default database and export the dataset.
# Reads ../shared/corpus when it is there (the development corpus), else the sample
# reports shipped under tests/fixtures. Writes out/inspections.csv and friends.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB=${OFSTED_CSC_DB:-sqlite:///out/ofsted-csc.db}
mkdir -p out
if [ -d ../shared/corpus ]; then
  SRC=(../shared/corpus)
else
  SRC=(tests/fixtures/reports)
  [ -d tests/fixtures/letters ] && SRC+=(tests/fixtures/letters)
fi
rc=0
.venv/bin/ofsted-csc --db "$DB" ingest --jobs 2 "${SRC[@]}" || rc=$?
if [ "$rc" -ge 2 ]; then exit "$rc"; fi  # 1 means some files were refused: listed above
for what in inspections recommendations letters; do
  .venv/bin/ofsted-csc --db "$DB" export "$what" --format csv --output "out/$what.csv"
done
.venv/bin/ofsted-csc --db "$DB" review || true
echo "Wrote out/inspections.csv, out/recommendations.csv, out/letters.csv (database: $DB)"
