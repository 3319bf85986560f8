#!/usr/bin/env bash
# The stress case: one plan far beyond any real one. The 10k-task plan of run.sh (49,953
# assignments) is loaded into a store of its own and given ten monthly reports on every
# assignment (about 500,000), all through `duban update --from` as a bureau's sheets
# would send them; then the commands that read one plan are timed on it.
#
#   bash bench/stress.sh        # after bench/run.sh has built duban and the 10k-task plan
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

big=$out/big/big/big.yaml
[ -f "$big" ] || { echo "no $big: run bench/run.sh first" >&2; exit 2; }
cp "$duban" "$out/duban-stress"; duban=$out/duban-stress
dir=$out/stress
if [ ! -f "$dir/loaded" ]; then
  rm -rf "$dir"; mkdir -p "$dir/sheets"
  export DUBAN_DB=$dir/duban.db
  DUBAN_TODAY=2023-01-01 "$duban" init --token-out "$dir/office.token" >/dev/null 2>&1
  export DUBAN_TOKEN=$(cat "$dir/office.token")
  t0=$EPOCHREALTIME
  DUBAN_TODAY=2023-01-02 "$duban" plan load "$big" >/dev/null
  DUBAN_TODAY=2023-01-02 "$duban" tasks --plan big-plan --json >"$dir/assignments.json"
  # Ten reporting days, every assignment on each, progress rising; 25,000 rows a sheet.
  python3 - "$dir" <<'EOF'
import json, random, sys
d = sys.argv[1]
rows = json.load(open(f"{d}/assignments.json", encoding="utf-8"))["assignments"]
hdr = "类型(kind),方案(plan),编号(id),名称(title),责任单位(unit),角色(role),完成时限(due),状态(status),进度(progress),数值(value),截至日期(as_of),进展情况(note),佐证材料(evidence)\r\n"
rng = random.Random(3)
notes = ["已开展调研", "已完成阶段性工作", "正在推进", "已召开专题会议", "已制定实施细则"]
days = [f"2024-{m:02d}-03" for m in range(9, 13)] + [f"2025-{m:02d}-03" for m in range(1, 7)]
listing = []
for k, day in enumerate(days):
    for part in range(0, len(rows), 25000):
        path = f"{d}/sheets/{day}-{part // 25000 + 1}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("\ufeff" + hdr)
            for a in rows[part:part + 25000]:
                prog = min(95, 8 * (k + 1) + rng.randint(0, 10))
                f.write(f"任务,big-plan,{a['task']},,{a['unit']},,,进行中,{prog},,,{rng.choice(notes)},\r\n")
        listing.append(f"{day} {path}")
open(f"{d}/sheets.txt", "w").write("\n".join(listing) + "\n")
EOF
  while read -r day sheet; do DUBAN_TODAY=$day "$duban" update --from "$sheet" >/dev/null; done <"$dir/sheets.txt"
  echo "load_seconds=$(echo "$EPOCHREALTIME - $t0" | bc -l)" >"$dir/meta.txt"
  echo "reports=$(sqlite3 "$dir/duban.db" 'SELECT count(*) FROM reports')" >>"$dir/meta.txt"
  echo "store_mb=$(( $(stat -c %s "$dir/duban.db") / 1048576 ))" >>"$dir/meta.txt"
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
