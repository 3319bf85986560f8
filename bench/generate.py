#!/usr/bin/env python3
"""Deterministic synthetic workload for the province benchmark (bench/run.sh).

    python3 bench/generate.py OUT_DIR ASSIGNMENTS [--seed N] [--big-plan TASKS]

Writes under OUT_DIR:
  units.yaml            one shared registry: 500 units (1 office, 3 provincial bodies,
                        16 cities x 24 departments, 16 x 6 county governments, 16 groups)
  plans/*.yaml          plans shaped like the source documents: sections -> tasks with
                        lead and cooperating units (sometimes a group), ~5% depends_on to
                        an earlier task due no later, indicators, milestones
  history.tsv           the replay file: one update per line (day, plan, task, unit,
                        status, progress, note), about 10 per assignment, by day
  sheets/DAY/part-N.csv the same history as `duban update --from` sheets: every plan's
                        rows of one report day, at most SHEET_ROWS rows a sheet;
                        apply with DUBAN_TODAY=DAY
  sheets.txt            "DAY PATH" per sheet, in the order to apply them
  taskwarrior.json      the same assignments as Taskwarrior import JSON (one per line)
  workload.tjp          the same tasks and units as a TaskJuggler project
  meta.txt              counts, a unit and a plan to query, one assignment to update
With --big-plan N also big/big.yaml (one plan of N tasks), big/big.json, big/big.tjp;
with --big-history also its history as big/sheets/ and big/sheets.txt (bench/stress.sh).
Python standard library only; the same seed gives byte-identical output.
"""
import argparse
import datetime as dt
import json
import os
import random
import time

SHEET_ROWS = 20000

CITIES = [("hz", "杭州"), ("nb", "宁波"), ("wz", "温州"), ("jx", "嘉兴"), ("hu", "湖州"),
          ("sx", "绍兴"), ("jh", "金华"), ("qz", "衢州"), ("zs", "舟山"), ("tz", "台州"),
          ("ls", "丽水"), ("jj", "九江"), ("fs", "佛山"), ("xz", "徐州"), ("jn", "济南"),
          ("nc", "南昌")]
DEPTS = [("amr", "市市场监管局(知识产权局)"), ("sti", "市科技局"), ("finance", "市财政局"),
         ("hrss", "市人力资源社会保障局"), ("ndrc", "市发展改革委"), ("miit", "市工业和信息化局"),
         ("commerce", "市商务局"), ("agri", "市农业农村局"), ("culture", "市文化广电旅游局"),
         ("edu", "市教育局"), ("court", "市中级人民法院"), ("procuratorate", "市人民检察院"),
         ("police", "市公安局"), ("justice", "市司法局"), ("finoffice", "市金融办"),
         ("customs", "海关"), ("nfra", "金融监管分局"), ("ccpit", "市贸促会"),
         ("cast", "市科协"), ("pbc", "人民银行市分行"), ("tax", "市税务局"),
         ("stats", "市统计局"), ("publicity", "市委宣传部"), ("forestry", "市林业局")]
COUNTIES = ["一区", "二区", "三区", "四县", "五县", "六市"]
VERBS = ["加强", "完善", "推进", "深化", "健全", "实施", "开展", "打造", "培育", "提升", "强化", "优化"]
OBJECTS = ["知识产权创造质量", "专利导航服务", "商标品牌建设", "知识产权保护体系", "行政执法协作",
           "知识产权金融服务", "高价值专利培育", "地理标志运用", "知识产权公共服务平台", "人才队伍建设",
           "海外维权援助", "数据知识产权登记", "快速维权机制", "知识产权质押融资", "产学研协同转化",
           "知识产权宣传教育", "重点产业专利池", "信用监管", "技术市场交易", "服务业集聚区建设"]
SECTIONS = ["聚焦顶层设计,健全知识产权治理新体系", "聚焦高质量创造,培育知识产权竞争新优势",
            "聚焦高效益运用,激发知识产权转化新动能", "聚焦高水平保护,营造知识产权保护新环境",
            "聚焦高品质服务,构建知识产权服务新格局", "聚焦高层次合作,拓展知识产权开放新空间",
            "聚焦基础保障,夯实知识产权发展新基础"]
IND = [("invention-per-10k", "每万人口有效发明专利拥有量", "件", "at_least"),
       ("hv-invention", "每万人口高价值发明专利拥有量", "件", "at_least"),
       ("pledge-amount", "知识产权质押融资金额", "亿元", "cumulative"),
       ("trademarks", "有效注册商标量", "件", "at_least"),
       ("gi-products", "地理标志产品数量", "件", "cumulative"),
       ("service-orgs", "知识产权服务机构数量", "家", "at_least"),
       ("training", "知识产权培训人次", "人次", "cumulative"),
       ("pct", "PCT国际专利申请量年均增长", "%", "annual_growth")]
NOTES = ["已召开专题推进会", "已完成阶段性工作", "正在组织实施", "已印发工作通知", "已开展调研",
         "已对接相关企业", "已形成初步方案", "正在推进中"]
MAX_DAY = dt.date(2025, 6, 30)  # the history stops here; run.sh measures as of 2025-07-10


def d(x):
    return x.isoformat()


def units(rng):
    """Returns (list of unit dicts, {city: [dept ids]}, {city: group id})."""
    out = [{"id": "prov-office", "name": "省知识产权强省建设工作专班办公室", "kind": "office"},
           {"id": "prov-cnipa", "name": "省知识产权局", "kind": "department"},
           {"id": "prov-court", "name": "省高级人民法院", "kind": "judicial"},
           {"id": "prov-procuratorate", "name": "省人民检察院", "kind": "judicial"}]
    depts, groups = {}, {}
    for cid, cname in CITIES:
        depts[cid] = []
        for did, dname in DEPTS:
            uid = f"{cid}-{did}"
            out.append({"id": uid, "name": cname + dname, "kind": "department"})
            depts[cid].append(uid)
        members = []
        for i, county in enumerate(COUNTIES):
            uid = f"{cid}-county{i + 1}"
            out.append({"id": uid, "name": f"{cname}市{county}人民政府", "kind": "government"})
            members.append(uid)
        gid = f"{cid}-counties"
        out.append({"id": gid, "name": f"{cname}市各县(市、区)人民政府", "kind": "group",
                    "members": members})
        groups[cid] = (gid, members)
    assert len(out) == 500, len(out)
    return out, depts, groups


def write_units(path, us):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Synthetic shared unit registry (bench/generate.py)\nunits:\n")
        for u in us:
            f.write(f"  - id: {u['id']}\n    name: \"{u['name']}\"\n    kind: {u['kind']}\n")
            if "members" in u:
                f.write(f"    members: [{', '.join(u['members'])}]\n")


def make_plan(rng, pid, city, depts, group, n_tasks, budget):
    """A plan dict with tasks; stops early once `budget` assignments are used.
    Each task: (id, section, title, start, due, lead, coop, deps, milestones, inds,
    assignments [(unit, role)])."""
    cid, cname = city
    year = rng.choice([2023, 2023, 2024, 2024])
    start = dt.date(year, rng.choice([1, 3, 4, 6]), rng.randint(1, 28))
    end = dt.date(year + rng.choice([2, 3]), 12, 31)
    span = (end - start).days
    gid, members = group
    inds = []
    for key, name, measure, kind in rng.sample(IND, rng.randint(3, 5)):
        base = round(rng.uniform(5, 500), 2)
        target = round(base * rng.uniform(1.3, 2.0), 2) if kind != "annual_growth" else round(rng.uniform(5, 15), 1)
        inds.append({"id": key, "name": name, "measure": measure, "kind": kind,
                     "baseline": None if kind in ("cumulative", "annual_growth") else (base, d(start - dt.timedelta(days=30))),
                     "target": (target, d(end)), "owner": rng.choice(depts)})
    tasks, used = [], 0
    n_sections = max(1, min(len(SECTIONS), n_tasks // 6))
    for t in range(n_tasks):
        if used >= budget:
            break
        sec = min(n_sections - 1, t * n_sections // max(1, n_tasks))
        leads = rng.sample(depts, 2 if rng.random() < 0.15 else 1)
        pool = [u for u in depts if u not in leads]
        coop = rng.sample(pool, rng.randint(1, 3))
        asg = [(u, "lead") for u in leads] + [(u, "cooperate") for u in coop]
        if rng.random() < 0.3:
            coop.append(gid)
            asg += [(u, "cooperate") for u in members]
        if used + len(asg) > budget:  # trim to land exactly on the budget
            keep = budget - used
            asg = asg[:keep]
            lead_ids = [u for u, r in asg if r == "lead"]
            coop_ids = [u for u, r in asg if r == "cooperate"]
            leads, coop = lead_ids, coop_ids
        used += len(asg)
        tstart = start + dt.timedelta(days=rng.randint(0, span // 4))
        due = tstart + dt.timedelta(days=rng.randint(60, max(61, (end - tstart).days)))
        due = min(due, end)
        deps = []
        if tasks and rng.random() < 0.05:
            dep = rng.choice(tasks)
            deps = [dep["id"]]
            due = max(due, dep["due"])  # a task may not be due before what it depends on
        ms = []
        if rng.random() < 0.2 and (due - tstart).days > 30:
            for k in range(rng.randint(1, 2)):
                ms.append((rng.choice(["完成调研摸底", "出台实施细则", "形成阶段成果", "完成中期评估"]),
                           tstart + dt.timedelta(days=rng.randint(10, (due - tstart).days))))
            ms.sort(key=lambda m: m[1])
        tinds = [rng.choice(inds)["id"]] if rng.random() < 0.1 else []
        tasks.append({"id": f"{sec + 1}.{t + 1}", "section": sec, "title": rng.choice(VERBS) + rng.choice(OBJECTS),
                      "start": tstart, "due": due, "lead": leads, "coop": coop, "deps": deps,
                      "ms": ms, "inds": tinds, "asg": asg})
    return {"id": pid, "city": city, "start": start, "end": end, "inds": inds,
            "n_sections": n_sections, "tasks": tasks, "used": used}


def write_plan(path, p, units_rel):
    cid, cname = p["city"]
    L = ["plan:", f"  id: {p['id']}", f"  title: {cname}市知识产权强市建设工作方案({p['start'].year}-{p['end'].year}年)第{p['id'].split('-')[-1]}号",
         f"  issuer: {cname}市人民政府办公室", f"  issued: {d(p['start'])}",
         f"  period: {{start: {d(p['start'])}, end: {d(p['end'])}}}", "  office: prov-office",
         f"  units_file: {units_rel}", "  reporting: {cycle: monthly, due_day: 5}", "", "indicators:"]
    for i in p["inds"]:
        L.append(f"  - id: {i['id']}")
        L.append(f"    name: {i['name']}")
        L.append(f"    measure: \"{i['measure']}\"")
        L.append(f"    kind: {i['kind']}")
        if i["baseline"]:
            L.append(f"    baseline: {{value: {i['baseline'][0]}, date: {i['baseline'][1]}}}")
        L.append(f"    target: {{value: {i['target'][0]}, date: {i['target'][1]}}}")
        L.append(f"    owner: {i['owner']}")
    L += ["", "tasks:"]
    by_sec = {}
    for t in p["tasks"]:
        by_sec.setdefault(t["section"], []).append(t)
    for s in sorted(by_sec):
        L.append(f"  - id: \"{s + 1}\"")
        L.append(f"    title: {SECTIONS[s % len(SECTIONS)]}")
        L.append("    tasks:")
        for t in by_sec[s]:
            L.append(f"      - id: \"{t['id']}\"")
            L.append(f"        title: {t['title']}")
            L.append(f"        text: 围绕{t['title']},制定工作举措,明确时间节点,按月报送进展。")
            L.append(f"        lead: [{', '.join(t['lead'])}]")
            if t["coop"]:
                L.append(f"        cooperate: [{', '.join(t['coop'])}]")
            L.append(f"        start: {d(t['start'])}")
            L.append(f"        due: {d(t['due'])}")
            if t["ms"]:
                L.append("        milestones:")
                for title, due in t["ms"]:
                    L.append(f"          - {{title: {title}, due: {d(due)}}}")
            if t["deps"]:
                L.append(f"        depends_on: [{', '.join(json.dumps(x) for x in t['deps'])}]")
            if t["inds"]:
                L.append(f"        indicators: [{', '.join(t['inds'])}]")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")


def report_days(p):
    """Monthly reporting days (the 3rd) from a month after the start to MAX_DAY."""
    days, y, m = [], p["start"].year, p["start"].month + 1
    while True:
        if m > 12:
            y, m = y + 1, 1
        for dd in (3,):
            day = dt.date(y, m, dd)
            if day > MAX_DAY or day > p["end"]:
                return days
            days.append(day)
        m += 1


def history(rng, p):
    """{day: [(task, unit, progress, note)]}: about 10 reports per assignment spread over
    the plan's reporting days up to MAX_DAY, progress strictly rising."""
    days = report_days(p)
    out = {}
    if not days:
        return out
    for t in p["tasks"]:
        cand = [x for x in days if x >= t["start"]]
        if not cand:
            continue
        for unit, _ in t["asg"]:
            chosen = sorted(rng.sample(cand, min(10, len(cand))))
            prog = 0
            for day in chosen:
                prog = min(95, prog + rng.randint(1, 9))
                out.setdefault(day, []).append((t["id"], unit, prog, rng.choice(NOTES)))
    return out


SHEET_HEADER = ("类型(kind),方案(plan),编号(id),名称(title),责任单位(unit),角色(role),完成时限(due),状态(status),"
                "进度(progress),数值(value),截至日期(as_of),进展情况(note),佐证材料(evidence)\r\n")


def write_history(out, rng, plans, tsv_path=None):
    """The plans' history as `duban update --from` sheets under OUT/sheets: one sheet per
    reporting day across every plan (the office's consolidated return; a sheet per plan
    and day would cost a process each), cut every SHEET_ROWS rows, listed in order in
    OUT/sheets.txt; and, with `tsv_path`, one update per line there. Returns the numbers
    of updates and of sheets."""
    rows_by_day = []
    for p in plans:
        for day, rows in history(rng, p).items():
            rows_by_day.append((day, p["id"], rows))
    rows_by_day.sort(key=lambda x: (x[0], x[1]))
    hist = open(tsv_path, "w", encoding="utf-8") if tsv_path else None
    if hist:
        hist.write("# day\tplan\ttask\tunit\tstatus\tprogress\tnote\n")
    sheets, updates = [], 0
    f, part, prev_day, in_part = None, 0, None, 0
    for day, pid, rows in rows_by_day:
        for task, unit, prog, note in rows:
            if f is None or day != prev_day or in_part >= SHEET_ROWS:
                if f is not None:
                    f.close()
                part = part + 1 if day == prev_day else 1
                prev_day, in_part = day, 0
                sdir = os.path.join(out, "sheets", d(day))
                os.makedirs(sdir, exist_ok=True)
                spath = os.path.join(sdir, f"part-{part:03d}.csv")
                f = open(spath, "w", encoding="utf-8", newline="")
                f.write("\ufeff" + SHEET_HEADER)
                sheets.append(f"{d(day)} {os.path.relpath(spath, out)}")
            f.write(f"任务,{pid},{task},,{unit},,,进行中,{prog},,,{note},\r\n")
            if hist:
                hist.write(f"{d(day)}\t{pid}\t{task}\t{unit}\tin_progress\t{prog}\t{note}\n")
            in_part += 1
        updates += len(rows)
    if f is not None:
        f.close()
    if hist:
        hist.close()
    with open(os.path.join(out, "sheets.txt"), "w") as lst:
        lst.write("\n".join(sheets) + "\n")
    return updates, len(sheets)


def write_tjp(path, plans, all_units):
    """A TaskJuggler project of the same tasks (fixed start and end), one resource per
    unit, the leads allocated."""
    start = min(p["start"] for p in plans)
    end = max(p["end"] for p in plans)
    # A day of margin each side: the project frame is read in UTC, the tasks in Asia/Shanghai.
    L = [f'project bench "基准" {d(start - dt.timedelta(days=1))} - {d(end + dt.timedelta(days=2))} {{', '  timezone "Asia/Shanghai"', "}", ""]
    used = sorted({u for p in plans for t in p["tasks"] for u, _ in t["asg"]})
    for u in used:
        L.append(f'resource r_{u.replace("-", "_")} "{u}"')
    L.append("")
    for p in plans:
        pid = "p_" + p["id"].replace("-", "_")
        L.append(f'task {pid} "{p["id"]}" {{')
        for t in p["tasks"]:
            tid = "t_" + t["id"].replace(".", "_")
            L.append(f'  task {tid} "{t["title"]}" {{')
            L.append(f"    start {d(t['start'])}")
            L.append(f"    end {d(t['due'])}")
            # depends_on is left out: duban orders due dates only, while a TaskJuggler
            # dependency also moves the start, which conflicts with the fixed start.
            leads = [u for u, r in t["asg"] if r == "lead"]
            if leads:
                L.append(f"    allocate {', '.join('r_' + u.replace('-', '_') for u in leads)}")
            L.append("  }")
        L.append("}")
    L += ["", 'taskreport overview "overview" {', "  formats csv", "  columns id, name, start, end, resources", "}"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")


def tw_lines(plans):
    for p in plans:
        for t in p["tasks"]:
            for u, role in t["asg"]:
                yield json.dumps({"description": f"{p['id']} {t['id']} {t['title']}", "project": u,
                                  "status": "pending", "entry": "20240101T000000Z",
                                  "due": t["due"].strftime("%Y%m%dT000000Z"),
                                  "tags": [role]}, ensure_ascii=False)


def write_tw(path, plans):
    with open(path, "w", encoding="utf-8") as f:
        for line in tw_lines(plans):
            f.write(line + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("assignments", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--big-plan", type=int, default=0, help="also write one plan of this many tasks")
    ap.add_argument("--big-history", action="store_true",
                    help="with --big-plan: also its history, as big/sheets/ and big/sheets.txt")
    a = ap.parse_args()
    t0 = time.time()
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.out, "plans"), exist_ok=True)
    us, depts, groups = units(rng)
    write_units(os.path.join(a.out, "units.yaml"), us)

    plans, left, n = [], a.assignments, 0
    while left > 0:
        city = CITIES[n % len(CITIES)]
        p = make_plan(rng, f"{city[0]}-plan-{n + 1:05d}", city, depts[city[0]], groups[city[0]],
                      rng.randint(20, 60), left)
        left -= p["used"]
        write_plan(os.path.join(a.out, "plans", p["id"] + ".yaml"), p, "../units.yaml")
        plans.append(p)
        n += 1

    updates, sheets = write_history(a.out, rng, plans, os.path.join(a.out, "history.tsv"))

    write_tw(os.path.join(a.out, "taskwarrior.json"), plans)
    write_tjp(os.path.join(a.out, "workload.tjp"), plans, us)

    # Something to query: the busiest department, a plan, one assignment of it.
    load = {}
    for p in plans:
        for t in p["tasks"]:
            for u, _ in t["asg"]:
                load[u] = load.get(u, 0) + 1
    unit = max(sorted(load), key=lambda u: load[u])
    plan = plans[0]
    t = plan["tasks"][0]
    tasks = sum(len(p["tasks"]) for p in plans)
    meta = {"assignments": sum(p["used"] for p in plans), "plans": len(plans), "tasks": tasks,
            "updates": updates, "sheets": sheets, "query_unit": unit,
            "query_plan": plan["id"], "update_plan": plan["id"], "update_task": t["id"],
            "update_unit": t["asg"][0][0]}

    if a.big_plan:
        os.makedirs(os.path.join(a.out, "big"), exist_ok=True)
        city = CITIES[0]
        big = make_plan(random.Random(a.seed + 1), "big-plan", city, depts[city[0]], groups[city[0]],
                        a.big_plan, 10 ** 9)
        big["n_sections"] = 7
        write_plan(os.path.join(a.out, "big", "big.yaml"), big, "../units.yaml")
        write_tw(os.path.join(a.out, "big", "big.json"), [big])
        write_tjp(os.path.join(a.out, "big", "big.tjp"), [big], us)
        meta["big_tasks"] = len(big["tasks"])
        meta["big_assignments"] = big["used"]
        if a.big_history:
            meta["big_updates"], meta["big_sheets"] = write_history(os.path.join(a.out, "big"),
                                                                    random.Random(a.seed + 2), [big])

    meta["generate_seconds"] = round(time.time() - t0, 2)
    with open(os.path.join(a.out, "meta.txt"), "w") as f:
        for k, v in meta.items():
            f.write(f"{k}={v}\n")
    print(" ".join(f"{k}={v}" for k, v in meta.items()))


if __name__ == "__main__":
    main()
