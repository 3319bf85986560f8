#!/usr/bin/env bash
# Builds an example store for the Jiujiang plan with about sixteen months of plausible
# history (2024-04 to 2025-07): several bureaus report with their own credentials, some
# on time and some late, one task blocked, some tasks claimed done and accepted, some
# units that never report, and indicator values for the annual statistics.
#
#   plans/examples/jiujiang-history.sh DB [DUBAN]
#
# DB is created afresh (an existing file is an error); DUBAN defaults to `duban` on PATH.
set -euo pipefail
db=${1:?usage: jiujiang-history.sh DB [DUBAN]}
duban=${2:-duban}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DUBAN_DB=$db

d() { DUBAN_TODAY=$1 "$duban" "${@:2}" >/dev/null; }
as() { local tok=$1 day=$2; shift 2; DUBAN_TOKEN=$(cat "$work/$tok.token") DUBAN_TODAY=$day "$duban" "$@" >/dev/null; }

DUBAN_TODAY=2024-03-20 "$duban" init --token-out "$work/office.token" 2>/dev/null
export DUBAN_TOKEN=$(cat "$work/office.token")
d 2024-03-20 plan load "$here/../jiujiang.yaml"
for u in jj-amr jj-sti jj-finance jj-finoffice jj-edu jj-hrss jj-miit jj-xiushui jj-ruichang jj-court; do
  d 2024-03-21 auth issue "$u" --token-out "$work/$u.token"
done

# 市市场监管局(知识产权局), the lead of almost everything, reports monthly.
month=0
for day in 2024-04-03 2024-05-06 2024-06-04 2024-07-03 2024-08-02 2024-09-04 2024-10-08 2024-11-04 \
           2024-12-04 2025-01-03 2025-02-05 2025-03-04 2025-04-03 2025-05-06 2025-06-04 2025-07-03; do
  month=$((month + 1))
  p=$((month * 100 / 34))   # about on the time line of a 34-month plan
  for t in 1.2 2.1 2.2 2.3 3.1 3.2 5.1 5.2 5.3 6.1; do
    as jj-amr "$day" update "$t" --progress "$p" --note "第${month}期: 按计划推进"
  done
  # 3.4 and 4.1 lag behind the time line.
  as jj-amr "$day" update 3.4 --progress $((p / 3)) --note "第${month}期: 高校对接进展较慢"
  as jj-amr "$day" update 4.1 --progress $((p / 2)) --note "第${month}期: 执法培训分批开展"
done

# 4.4 (12315 platform) claimed done and accepted; 2.4 claimed done, awaiting acceptance.
as jj-amr 2024-11-20 update 4.4 --status done --note "12315平台知识产权投诉模块上线运行"
d 2024-11-25 accept 4.4
as jj-amr 2025-06-20 update 2.4 --status done --note "奖励资助办法已印发"
as jj-finance 2025-06-18 update 2.4 --status done --note "专项资金已拨付"

# 3.3 (IP finance) blocked on the risk compensation fund; 市金融办 reports it.
as jj-finoffice 2024-06-05 update 3.3 --status in_progress --progress 20 --note "梳理质押融资需求"
as jj-finoffice 2024-09-04 update 3.3 --progress 35 --note "对接银行机构"
as jj-finoffice 2025-03-04 update 3.3 --status blocked --note "风险补偿资金池尚未设立,待财政安排"
as jj-amr 2025-03-05 update 3.3 --status blocked --note "风险补偿资金池尚未设立"

# 市科技局 cooperates on many tasks; reports regularly until spring 2025, then stops.
for day in 2024-04-08 2024-06-05 2024-08-05 2024-10-10 2024-12-05 2025-02-06; do
  for t in 2.1 3.1 3.2 5.1; do as jj-sti "$day" update "$t" --progress 30 --note "配合开展专利导航与转化"; done
done

# 市教育局 and 市人社局 on 6.1 (training); 市工信局 on 2.1, late and sparse.
for day in 2024-05-06 2024-08-05 2024-11-05 2025-02-06 2025-05-07; do
  as jj-edu "$day" update 6.1 --progress 40 --note "知识产权进校园活动"
done
# 市人社局 and 修水县 report every month, on time: the example's model units.
n=0
for day in 2024-04-03 2024-05-06 2024-06-04 2024-07-03 2024-08-02 2024-09-04 2024-10-08 2024-11-04 \
           2024-12-04 2025-01-03 2025-02-05 2025-03-04 2025-04-03 2025-05-06 2025-06-04 2025-07-03; do
  n=$((n + 1))
  as jj-hrss "$day" update 6.1 --progress $((n * 3)) --note "第${n}期: 知识产权职称评审"
  as jj-xiushui "$day" update 1.2 --progress $((n * 3)) --note "第${n}期: 修水县知识产权试点园区建设"
done
as jj-miit 2024-07-10 update 2.1 --progress 15 --note "摸排专精特新企业专利情况"

# 瑞昌市 reports every other month on its own part of 1.2; the other counties never do.
for day in 2024-05-06 2024-07-03 2024-09-04 2024-11-04 2025-01-03 2025-03-04 2025-05-07 2025-07-03; do
  as jj-ruichang "$day" update 1.2 --progress 40 --note "瑞昌市知识产权工作站"
done
as jj-court 2024-12-10 update 4.3 --progress 50 --note "巡回审判点已设立"

# Indicator values from the annual statistics.
as jj-amr 2025-01-20 indicator record invention-per-10k 7.12 --as-of 2024-12-31 --note "2024年知识产权统计年报"
as jj-amr 2025-01-20 indicator record hv-invention-per-10k 1.86 --as-of 2024-12-31 --note "2024年知识产权统计年报"
as jj-amr 2025-01-20 indicator record pct-applications 33 --as-of 2024-12-31 --note "2024年知识产权统计年报"
as jj-amr 2025-01-20 indicator record trademarks-total 8.6 --as-of 2024-12-31
as jj-amr 2025-01-20 indicator record gi-trademarks 21 --as-of 2024-12-31
as jj-amr 2025-01-20 indicator record ip-pledge-growth 12.4 --as-of 2024-12-31 --note "质押融资金额同比增长"
as jj-amr 2025-07-03 indicator record invention-per-10k 8.05 --as-of 2025-06-30 --note "半年统计"
as jj-amr 2025-07-03 indicator record pct-applications 36 --as-of 2025-06-30 --note "半年统计"
echo "built $db"
