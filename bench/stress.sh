#!/usr/bin/env bash
# The stress case: one plan far beyond any real one. The 10k-task plan of run.sh (49,953
# assignments) is loaded into a store of its own and given about ten monthly reports on
# every assignment (some 500,000), all through `duban update --from` as the office's
# sheets would send them; then the commands that read one plan are timed on it.
#
#   bash bench/stress.sh        # after bench/run.sh has built duban
#
# Env: RUNS (timed runs per command, default 5). Results are appended to
# bench/out/results.tsv under the size "stress" (bench/report.py prints them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=$here/out
duban=${DUBAN:-$root/build/cli/duban}
runs=${RUNS:-5}
peer_timeout=600
results=$out/results.tsv
. "$here/measure.sh"

[ -x "$duban" ] || { echo "no $duban: build duban first (bash scripts/test.sh, or bench/run.sh)" >&2; exit 2; }
mkdir -p "$out"
cp "$duban" "$out/duban-stress"; duban=$out/duban-stress
dir=$out/stress
big=$dir/big/big.yaml
if [ ! -f "$dir/loaded" ]; then
  rm -rf "$dir"
  # The 10k-task plan of run.sh (the same seed), with about ten reports on each assignment.
  python3 "$here/generate.py" "$dir" 100 --seed 2 --big-plan 10000 --big-history >&2
  export DUBAN_DB=$dir/duban.db
  DUBAN_TODAY=2023-01-01 "$duban" init --token-out "$dir/office.token" >/dev/null 2>&1
  export DUBAN_TOKEN=$(cat "$dir/office.token")
  t0=$EPOCHREALTIME
  DUBAN_TODAY=2023-01-02 "$duban" plan load "$big" >/dev/null
  (cd "$dir/big" && while read -r day sheet; do DUBAN_TODAY=$day "$duban" update --from "$sheet" >/dev/null; done <sheets.txt)
  {
    echo "load_seconds=$(echo "$EPOCHREALTIME - $t0" | bc -l)"
    echo "reports=$(sqlite3 "$dir/duban.db" 'SELECT count(*) FROM reports')"
    echo "store_mb=$(( $(stat -c %s "$dir/duban.db") / 1048576 ))"
  } >>"$dir/meta.txt"
  touch "$dir/loaded"
fi
cat "$dir/meta.txt" >&2

export DUBAN_DB=$dir/duban.db DUBAN_TODAY=2025-07-10 DUBAN_TOKEN=$(cat "$dir/office.token")
"$duban" plan load "$big" >/dev/null   # upgrades a store an older duban wrote, untimed
forget="sqlite3 '$dir/duban.db' 'DELETE FROM board_cache'"
PREP=$forget measure stress "status --plan, nothing kept" duban "$runs" "$duban" status --plan big-plan
measure stress "status --plan, kept" duban "$runs" "$duban" status --plan big-plan
measure stress "bulletin md" duban "$runs" "$duban" report bulletin --plan big-plan --format md
measure stress "bulletin html" duban "$runs" "$duban" report bulletin --plan big-plan --format html
measure stress "remind --dry-run" duban 3 "$duban" remind --dry-run --plan big-plan
measure stress "overdue query, one unit" duban "$runs" "$duban" tasks --plan big-plan --unit hz-county1 --overdue
measure stress "update one assignment" duban "$runs" "$duban" update 1.1 --plan big-plan --as hz-cast --progress 50 --note "基准第{i}次报送"
