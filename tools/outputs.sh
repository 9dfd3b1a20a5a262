#!/usr/bin/env bash
# Every figure the CLI gives, written to files, for "the same before and after" checks:
# exports (contract and Data to Insight layouts, CSV and JSON), national and regional tables,
# council profiles, trajectories, themes, check, about, reconcile.
#
#   tools/outputs.sh "CLI" DB_URL OUT_DIR
#
# For a refactoring: run it with the old checkout's CLI and the new one's on stores made by
# each from the same corpus, then `diff -r OLD_OUT NEW_OUT` (must print nothing), e.g.
#   git worktree add /tmp/old <old commit> && (cd /tmp/old && bash scripts/setup.sh)
#   /tmp/old/.venv/bin/ofsted-csc --db sqlite:////tmp/old.db ingest --jobs 2 ../shared/corpus
#   .venv/bin/ofsted-csc --db sqlite:////tmp/new.db ingest --jobs 2 ../shared/corpus
#   tools/outputs.sh /tmp/old/.venv/bin/ofsted-csc sqlite:////tmp/old.db /tmp/out-old
#   tools/outputs.sh .venv/bin/ofsted-csc sqlite:////tmp/new.db /tmp/out-new
#   diff -r /tmp/out-old /tmp/out-new
set -uo pipefail
CLI=$1; DB=$2; OUT=$3
mkdir -p "$OUT"
run() { local name=$1; shift; $CLI --db "$DB" "$@" >"$OUT/$name" 2>&1; }
for what in inspections recommendations letters; do
  for fmt in csv json; do $CLI --db "$DB" export $what --format $fmt -o "$OUT/$what.$fmt" >/dev/null 2>&1; done
done
$CLI --db "$DB" export inspections --layout d2i --format csv -o "$OUT/d2i.csv" >/dev/null 2>&1
$CLI --db "$DB" export inspections --layout d2i-history --format csv -o "$OUT/d2i-history.csv" >/dev/null 2>&1
day=2026-12-01
run national.json national --as-at $day --format json
run national-sif.json national --round sif --published-by 2016-08-05 --format json
run regions.json regions --as-at $day --format json
for c in 810 873 909 202 80561; do run "council-$c.json" council $c --as-at $day --json; done
for t in transitions series gaps; do run "trajectories-$t.json" trajectories $t --format json; done
run themes.txt themes counts
run themes-rec.txt themes recurring
run check.json check --json
sed -i '/"store": /d' "$OUT/check.json"  # the store's address differs from run to run
run about.json about --json
run inspections-2019.json inspections --from 2019-01-01 --to 2019-12-31 --format json
run reconcile.json reconcile --format json
