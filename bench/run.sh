#!/usr/bin/env bash
# The province benchmark: generates a synthetic workload per size (assignments), loads it
# into a duban store, times duban's commands as whole processes, and the same operations
# in Taskwarrior and TaskJuggler on the same tasks. Writes bench/results/province.md.
#
#   bash bench/run.sh [SIZE...]        # default: 1000 10000 100000; 1000000 is opt-in
#   bash bench/run.sh --load-only SIZE # generate and load a workload, measure nothing
#
# Env: RUNS (timed runs per command, default 7), DUBAN (binary), PEER_TIMEOUT (seconds
# a peer operation may take before it is given up and reported as such, default 600),
# ONLY (a regular expression: only the operations whose names match are measured).
# Generated data and stores go to bench/out/ (git-ignored); a size already loaded
# (bench/out/N/loaded) is reused.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
duban=${DUBAN:-$root/build/cli/duban}
runs=${RUNS:-7}
peer_timeout=${PEER_TIMEOUT:-600}
load_only=0
if [ "${1:-}" = --load-only ]; then load_only=1; shift; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
today=2025-07-10
out=$here/out
mkdir -p "$out" "$here/results"

need() { command -v "$1" >/dev/null || apt-get install -y "$2" >/dev/null; }
[ -x "$duban" ] || cmake --build "$root/build" -j2 --target duban
# A private copy: the build tree may be rebuilt while the benchmark runs.
cp "$duban" "$out/duban"; duban=$out/duban
need task taskwarrior
need tj3 tj3
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null

results=$out/results.tsv   # appended; the report keeps the latest row per key: size, operation, tool, median_ms, min_ms, peak_rss_kb, runs, failure

. "$here/measure.sh"

load_size() {  # N: generate and load bench/out/N unless already done
  local n=$1 dir=$out/$1
  if [ -f "$dir/loaded" ]; then return 0; fi
  rm -rf "$dir"; mkdir -p "$dir"
  echo "== $n: generating" >&2
  python3 "$here/generate.py" "$dir" "$n" --seed 1 >&2
  echo "== $n: loading (init, plan loads of 500 plans, $(wc -l <"$dir/sheets.txt") sheets)" >&2
  local t0=$EPOCHREALTIME
  (
    cd "$dir"
    export DUBAN_DB=$dir/duban.db
    DUBAN_TODAY=2023-01-01 "$duban" init --token-out office.token >/dev/null 2>&1
    export DUBAN_TOKEN=$(cat office.token)
    # Every plan by one command up to 500 plans a command (a million assignments are
    # about 5,000 plans).
    ls plans/*.yaml | DUBAN_TODAY=2023-01-02 xargs -n 500 "$duban" plan load >/dev/null
    echo "plan_load_seconds=$(echo "$EPOCHREALTIME - $t0" | bc -l)" >>meta.txt
    while read -r day sheet; do DUBAN_TODAY=$day "$duban" update --from "$sheet" >/dev/null; done <sheets.txt
  )
  echo "load_seconds=$(echo "$EPOCHREALTIME - $t0" | bc -l)" >>"$dir/meta.txt"
  echo "store_mb=$(( $(stat -c %s "$dir/duban.db") / 1048576 ))" >>"$dir/meta.txt"
  touch "$dir/loaded"
}

meta() { grep "^$2=" "$out/$1/meta.txt" | tail -1 | cut -d= -f2; }

bench_size() {
  local n=$1 dir=$out/$1
  load_size "$n"
  echo "== $n: measuring" >&2
  export DUBAN_DB=$dir/duban.db DUBAN_TODAY=$today DUBAN_TOKEN=$(cat "$dir/office.token")
  local unit plan task uunit
  unit=$(meta "$n" query_unit); plan=$(meta "$n" query_plan)
  task=$(meta "$n" update_task); uunit=$(meta "$n" update_unit)
  cd "$dir"
  # A store loaded by an older duban is upgraded by the first command that writes to it:
  # here, untimed (loading an unchanged plan writes nothing else).
  "$duban" plan load "plans/$plan.yaml" >/dev/null
  # The floor: what the measuring wrapper (bash, timeout, /usr/bin/time) costs by itself.
  measure "$n" "process start floor (/bin/true)" system "$runs" /bin/true
  measure "$n" "update one assignment" duban "$runs" "$duban" update "$task" --plan "$plan" --as "$uunit" --progress 50 --note "基准第{i}次报送"
  measure "$n" "overdue query, one unit" duban "$runs" "$duban" tasks --unit "$unit" --overdue
  # status keeps each plan's board: measured with nothing kept (every board evaluated),
  # with every board kept, and after one bureau's update (one plan's board evaluated).
  local forget="sqlite3 '$dir/duban.db' 'DELETE FROM board_cache'"
  local report_one="'$duban' update '$task' --plan '$plan' --as '$uunit' --note \"基准报送 \$(date +%s%N)\""
  PREP=$forget measure "$n" "status --plan, nothing kept" duban "$runs" "$duban" status --plan "$plan"
  measure "$n" "status --plan, kept" duban "$runs" "$duban" status --plan "$plan"
  PREP=$forget measure "$n" "status (all plans), nothing kept" duban 3 "$duban" status
  measure "$n" "status (all plans), kept" duban "$runs" "$duban" status
  PREP=$report_one measure "$n" "status (all plans), after one update" duban "$runs" "$duban" status
  measure "$n" "remind --dry-run" duban 3 "$duban" remind --dry-run
  measure "$n" "bulletin md" duban "$runs" "$duban" report bulletin --plan "$plan" --format md
  measure "$n" "bulletin html" duban "$runs" "$duban" report bulletin --plan "$plan" --format html
  measure "$n" "ledger xlsx (one plan)" duban "$runs" "$duban" report ledger --plan "$plan" --format xlsx -o "$dir/ledger.xlsx"
  measure "$n" "export all" duban 3 "$duban" tasks --json

  # Taskwarrior: one task per assignment, project = unit, isolated data and rc.
  export TASKDATA=$dir/tw TASKRC=$dir/taskrc
  printf 'data.location=%s\nconfirmation=no\nverbose=nothing\nhooks=off\ngc=off\n' "$TASKDATA" >"$TASKRC"
  local tw=(task rc.confirmation=no rc.verbose=nothing rc.hooks=off)
  PREP="rm -rf '$TASKDATA'; mkdir -p '$TASKDATA'" measure "$n" "load workload" taskwarrior 1 "${tw[@]}" import "$dir/taskwarrior.json"
  if [ -s "$TASKDATA/pending.data" ]; then
    measure "$n" "update one assignment" taskwarrior "$runs" "${tw[@]}" 1 modify "description:$plan $task 基准第{i}次报送"
    measure "$n" "overdue query, one unit" taskwarrior "$runs" "${tw[@]}" "project:$unit" status:pending due.before:$today export
    measure "$n" "export all" taskwarrior 3 "${tw[@]}" export
  fi
  unset TASKDATA TASKRC
  # duban's counterpart of an import: a fresh store, every plan loaded by one command
  # (no history).
  PREP="rm -f '$dir/fresh.db'*" measure "$n" "load workload" duban 1 bash -c \
    "export DUBAN_DB='$dir/fresh.db' DUBAN_TODAY=2023-01-02; '$duban' init --token-out '$dir/fresh.token' >/dev/null 2>&1; export DUBAN_TOKEN=\$(cat '$dir/fresh.token'); '$duban' plan load '$dir'/plans/*.yaml >/dev/null"
  # TaskJuggler: schedule the same tasks and write one task report.
  rm -rf "$dir/tj"; mkdir -p "$dir/tj"
  measure "$n" "load workload" taskjuggler 1 tj3 --silent -o "$dir/tj" "$dir/workload.tjp"
  cd "$root"
}

bench_big() {  # the 10k-task plan, measured once
  local dir=$out/big
  if [ ! -f "$dir/big/big.yaml" ]; then
    rm -rf "$dir"; python3 "$here/generate.py" "$dir" 100 --seed 2 --big-plan 10000 >&2
  fi
  echo "== 10k-task plan: measuring" >&2
  DUBAN_DB=$dir/empty.db DUBAN_TODAY=2023-01-01 "$duban" init --token-out "$dir/office.token" >/dev/null 2>&1 || true
  export DUBAN_TOKEN=$(cat "$dir/office.token") DUBAN_TODAY=2023-01-02 DUBAN_DB=$dir/big.db
  measure big "plan check, 10k tasks" duban 2 "$duban" plan check "$dir/big/big.yaml"
  PREP="rm -f '$dir/big.db'*; cp '$dir/empty.db' '$dir/big.db'" measure big "plan load, 10k tasks" duban 2 "$duban" plan load "$dir/big/big.yaml"
  export TASKDATA=$dir/tw TASKRC=$dir/taskrc
  printf 'data.location=%s\n' "$TASKDATA" >"$TASKRC"
  PREP="rm -rf '$TASKDATA'; mkdir -p '$TASKDATA'" measure big "plan load, 10k tasks" taskwarrior 1 task rc.confirmation=no rc.verbose=nothing rc.hooks=off import "$dir/big/big.json"
  unset TASKDATA TASKRC
  rm -rf "$dir/tj"; mkdir -p "$dir/tj"
  measure big "plan load, 10k tasks" taskjuggler 1 tj3 --silent -o "$dir/tj" "$dir/big/big.tjp"
}

if [ "$load_only" = 1 ]; then
  for n in "${sizes[@]}"; do load_size "$n"; done
  exit 0
fi
bench_big
for n in "${sizes[@]}"; do bench_size "$n"; done

python3 "$here/report.py" "$results" "$out" >"$here/results/province.md"
cat "$here/results/province.md"
