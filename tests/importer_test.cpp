// Tests for engine/importer: a measured comparison against the hand-written plans, two
// documents from other fields, and a fuzz test.
#include "engine/importer.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "engine/loader.h"
#include "engine/text.h"
#include "tests/test_util.h"

namespace duban {
namespace {

const std::string kSeeds = DUBAN_SOURCE_DIR "/../shared/seeds/";
const std::string kPlans = DUBAN_SOURCE_DIR "/plans/";

LoadResult LoadHand(const std::string& file) {
  FileReader reader = [](const std::string& rel) -> Result<std::string> {
    std::string s = duban::test::ReadBytes(kPlans + rel);
    if (s.empty()) return Status::NotFound(rel);
    return s;
  };
  return LoadPlan(file, duban::test::ReadBytes(kPlans + file), reader);
}

std::string Key(std::string_view title) {
  std::string n = NormalizeName(title);
  while (!n.empty() && (n.back() == '.' || n.back() == ',' || n.back() == ';')) n.pop_back();
  return n;
}

std::string Describe(const Diagnostics& d) {
  std::string out;
  for (const auto& x : d.items()) out += FormatDiagnostic(x) + "\n";
  return out;
}

// A document imported, and its draft loaded as `duban plan check` loads it.
struct Draft {
  std::string yaml;
  std::string problems;  // the loader's diagnostics, formatted
  bool has_errors = false;
  Plan plan;
};

Draft ImportDraft(const std::string& doc) {
  auto r = ImportPlan(doc, "doc.txt", nullptr);
  REQUIRE(r.ok());
  LoadResult l = LoadPlan("doc.yaml", r->yaml, NoFileReader());
  UNSCOPED_INFO(r->yaml);
  UNSCOPED_INFO(Describe(l.diagnostics));
  REQUIRE(l.plan.has_value());
  return {r->yaml, Describe(l.diagnostics), l.diagnostics.has_errors(), std::move(*l.plan)};
}

struct Score {
  size_t tp = 0, mine = 0, theirs = 0;
  double p() const { return mine ? double(tp) / mine : 1.0; }
  double r() const { return theirs ? double(tp) / theirs : 1.0; }
};

std::string Fmt(double v) {
  char b[16];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

// Maps a unit of the imported plan to an id of the hand-written plan, by name.
std::string ToHand(const Plan& mine, const Plan& hand, const std::string& id) {
  if (id == mine.office.id) return hand.office.id;
  const Unit* u = mine.FindUnit(id);
  if (!u) return "?" + id;
  auto r = hand.ResolveUnit(u->name);
  return r.ok() ? *r : "?" + u->name;
}

struct Measured {
  Score tasks, leads, coop, indicators;
};

Measured Compare(const Plan& mine, const Plan& hand) {
  Measured m;
  std::map<std::string, int> hand_leaves;
  for (size_t i = 0; i < hand.tasks.size(); ++i)
    if (hand.tasks[i].is_leaf()) hand_leaves[Key(hand.tasks[i].title)] = int(i);
  m.tasks.theirs = hand_leaves.size();
  auto units = [&](const Plan& p, int t, Role role, bool is_mine) {
    std::set<std::string> out;
    for (const auto& id : p.ResponsibleUnits(t, role)) out.insert(is_mine ? ToHand(mine, hand, id) : id);
    return out;
  };
  // Units are counted over all hand-written leaves, so missed tasks lower recall.
  for (auto& [k, i] : hand_leaves) {
    m.leads.theirs += units(hand, i, Role::kLead, false).size();
    m.coop.theirs += units(hand, i, Role::kCooperate, false).size();
  }
  for (size_t i = 0; i < mine.tasks.size(); ++i) {
    if (!mine.tasks[i].is_leaf()) continue;
    ++m.tasks.mine;
    auto mine_lead = units(mine, int(i), Role::kLead, true);
    auto mine_coop = units(mine, int(i), Role::kCooperate, true);
    m.leads.mine += mine_lead.size();
    m.coop.mine += mine_coop.size();
    auto it = hand_leaves.find(Key(mine.tasks[i].title));
    if (it == hand_leaves.end()) continue;
    ++m.tasks.tp;
    for (auto& u : units(hand, it->second, Role::kLead, false)) m.leads.tp += mine_lead.count(u);
    for (auto& u : units(hand, it->second, Role::kCooperate, false)) m.coop.tp += mine_coop.count(u);
  }
  m.indicators.mine = mine.indicators.size();
  m.indicators.theirs = hand.indicators.size();
  std::set<size_t> used;
  for (const auto& h : hand.indicators) {
    std::string hn = NormalizeName(h.name);
    for (size_t j = 0; j < mine.indicators.size(); ++j) {
      if (used.count(j)) continue;
      const auto& x = mine.indicators[j];
      std::string xn = NormalizeName(x.name);
      bool name_ok = hn.find(xn) != std::string::npos || xn.find(hn) != std::string::npos;
      if (name_ok && std::fabs(x.target.value - h.target.value) < 1e-6) {
        used.insert(j);
        ++m.indicators.tp;
        break;
      }
    }
  }
  return m;
}

struct Seed {
  const char* file;
  const char* plan;
  double task_r, lead_r, coop_r, ind_r, ind_p;  // floors: the figures last measured
};

TEST_CASE("Importer: the five seed documents against the hand-written plans", "[importer]") {
  const Seed seeds[] = {
      {"000_9c391603197f8612.txt", "jiujiang.yaml", 1.0, 1.0, 1.0, 1.0, 1.0},
      {"001_3d334759a01e3d23.txt", "quzhou.yaml", 1.0, 1.0, 1.0, 1.0, 1.0},
      {"002_8a235cecaa0b485d.txt", "foshan.yaml", 1.0, 1.0, 1.0, 1.0, 1.0},
      {"003_fdad3aed26c5b025.txt", "huaiyin.yaml", 1.0, 1.0, 1.0, 1.0, 1.0},
      {"004_72d8aef4b3c5cea0.txt", "xuzhou.yaml", 1.0, 1.0, 1.0, 1.0, 1.0},
  };
  for (const auto& s : seeds) {
    INFO(s.file);
    std::string text = duban::test::ReadBytes(kSeeds + s.file);
    REQUIRE(!text.empty());
    auto imported = ImportPlan(text, s.file, nullptr);
    REQUIRE(imported.ok());
    LoadResult mine = LoadPlan(std::string(s.plan) + ".imported", imported->yaml, NoFileReader());
    INFO(imported->yaml);
    INFO(Describe(mine.diagnostics));
    REQUIRE(mine.plan.has_value());
    CHECK(!mine.diagnostics.has_errors());
    LoadResult hand = LoadHand(s.plan);
    REQUIRE(hand.plan.has_value());
    Measured m = Compare(*mine.plan, *hand.plan);
    std::cout << "importer " << s.plan << ": tasks P=" << Fmt(m.tasks.p()) << " R=" << Fmt(m.tasks.r())
              << ", leads P=" << Fmt(m.leads.p()) << " R=" << Fmt(m.leads.r()) << ", coop P=" << Fmt(m.coop.p())
              << " R=" << Fmt(m.coop.r()) << ", indicators P=" << Fmt(m.indicators.p())
              << " R=" << Fmt(m.indicators.r()) << "\n";
    CHECK(m.tasks.r() >= s.task_r);
    CHECK(m.leads.r() >= s.lead_r);
    CHECK(m.coop.r() >= s.coop_r);
    CHECK(m.indicators.r() >= s.ind_r);
    CHECK(m.indicators.p() >= s.ind_p);
  }
}

const Unit* ByName(const Plan& p, std::string_view name) {
  auto r = p.ResolveUnit(name);
  return r.ok() ? p.FindUnit(*r) : nullptr;
}

std::vector<std::string> Names(const Plan& p, int task, Role role) {
  std::vector<std::string> out;
  for (const auto& id : p.ResponsibleUnits(task, role)) out.push_back(p.FindUnit(id)->name);
  return out;
}

TEST_CASE("Importer: a business-environment list in the (责任单位:…) notation", "[importer]") {
  const std::string doc =
      "某市人民政府办公室关于印发某市优化营商环境三年行动方案(2024—2026年)的通知\n"
      "某政办发〔2024〕12号\n"
      "2024年2月1日\n"
      "一、总体要求\n"
      "到2026年,市场主体总量突破30万户,政务服务事项网上可办率达到95%以上。\n"
      "二、重点任务\n"
      "(一)提升政务服务效能。\n"
      "1.推行“一网通办”。全面推行政务服务事项网上办理,2024年6月底前完成系统对接。(责任单位:市政务服务数据管理局、市发展改革委,各区〔县〕人民政府)\n"
      "2.压缩企业开办时间。将企业开办时间压缩至1个工作日以内。(责任单位:市市场监管局、市公安局、税务局)\n"
      "(二)优化法治环境。\n"
      "1.规范涉企执法。推行包容审慎监管。(市司法局负责)\n"
      "2.加强产权保护。\n"
      "依法平等保护各类市场主体产权。\n"
      "三、保障措施\n"
      "(一)加强组织领导。成立市优化营商环境工作领导小组,统筹推进各项工作。\n";
  Draft d = ImportDraft(doc);
  INFO(d.yaml);
  INFO(d.problems);
  const Plan& p = d.plan;
  CHECK(p.doc_number == "某政办发〔2024〕12号");
  CHECK(p.period_end.ToString() == "2026-12-31");
  CHECK(p.leaf_task_count() == 4);
  int t1 = p.FindTask("1.1");
  REQUIRE(t1 >= 0);
  CHECK(p.tasks[t1].title == "推行“一网通办”");
  CHECK(Names(p, t1, Role::kLead) == std::vector<std::string>{"市政务服务数据管理局"});
  CHECK(Names(p, t1, Role::kCooperate) == std::vector<std::string>{"市发展改革委", "各区〔县〕人民政府"});
  REQUIRE(p.tasks[t1].due_as_written);
  CHECK(p.tasks[t1].due_as_written->ToString() == "2024-06-30");
  int t2 = p.FindTask("1.2");
  CHECK(Names(p, t2, Role::kCooperate) == std::vector<std::string>{"市公安局", "市税务局"});
  CHECK(Names(p, p.FindTask("2.1"), Role::kLead) == std::vector<std::string>{"市司法局"});
  int t4 = p.FindTask("2.2");
  CHECK(p.tasks[t4].office_decision);
  CHECK(ByName(p, "市优化营商环境工作领导小组办公室") != nullptr);
  REQUIRE(p.indicators.size() >= 2);  // a third, 1个工作日 in task 1.2, is a doubtful draft
  CHECK(p.indicators[0].name == "市场主体总量");
  CHECK(p.indicators[0].target.value == 30);
  CHECK(p.indicators[0].measure == "万户");
  CHECK(p.indicators[1].kind == IndicatorKind::kRatio);
}

TEST_CASE("Importer: a task table pasted as text", "[importer]") {
  const std::string doc =
      "关于印发某区数字政府建设工作任务清单(2025-2026年)的通知\n"
      "序号\t工作任务\t牵头单位\t配合单位\t完成时限\n"
      "1\t建成区级数据共享平台。实现部门数据按需共享\t区大数据局\t区发展改革局、财政局\t2025年12月底前\n"
      "2\t推进电子证照应用\t区行政审批局\t区大数据局\t2026年6月底前\n"
      "3\t开展数字政府培训\t区委组织部、区人社局\t-\t2026年底前\n";
  Draft d = ImportDraft(doc);
  INFO(d.yaml);
  INFO(d.problems);
  const Plan& p = d.plan;
  REQUIRE(p.leaf_task_count() == 3);
  CHECK(p.tasks[0].title == "建成区级数据共享平台");
  CHECK(Names(p, 0, Role::kLead) == std::vector<std::string>{"区大数据局"});
  CHECK(Names(p, 0, Role::kCooperate) == std::vector<std::string>{"区发展改革局", "区财政局"});
  CHECK(p.tasks[0].due_as_written->ToString() == "2025-12-31");
  CHECK(p.tasks[1].due_as_written->ToString() == "2026-06-30");
  CHECK(Names(p, 2, Role::kLead) == std::vector<std::string>{"区委组织部", "区人社局"});
  CHECK(Names(p, 2, Role::kCooperate).empty());
}

// Imports a minimal document whose 主要目标 part holds `targets`, and returns its indicators.
std::vector<Indicator> ImportTargets(const std::string& targets) {
  const std::string doc =
      "某市人民政府办公室关于印发某市高质量发展行动方案(2024—2026年)的通知\n"
      "一、主要目标\n" +
      targets +
      "\n"
      "二、重点任务\n"
      "1.推进重点工作。统筹推进各项工作。(责任单位:市发展改革委)\n";
  Draft d = ImportDraft(doc);
  INFO(d.yaml);
  INFO(d.problems);
  CHECK(!d.has_errors);
  return d.plan.indicators;
}

struct TargetCase {
  const char* text;
  const char* name;
  double value;
  const char* measure;
  IndicatorKind kind;
};

TEST_CASE("Importer: target notations", "[importer]") {
  const TargetCase cases[] = {
      // Growth: the name keeps how the document counts it (年均, 每年, over the period).
      {"到2026年,知识产权质押融资金额年均增长达到10%以上。", "知识产权质押融资金额年均增长率", 10, "%",
       IndicatorKind::kAnnualGrowth},
      {"到2026年,全市规模以上工业增加值每年递增8%。", "规模以上工业增加值年增长率", 8, "%",
       IndicatorKind::kAnnualGrowth},
      {"到2026年,实现高新技术企业发明专利申请增长30%以上。", "高新技术企业发明专利申请增长率", 30, "%",
       IndicatorKind::kRatio},
      // The number comes first: the share of a subject doing something.
      {"到2026年,全市80%以上的规模以上企业建立能源管理体系。", "建立能源管理体系的规模以上企业占比", 80, "%",
       IndicatorKind::kRatio},
      // A verb opens the target: what is built or held is counted over the period.
      {"到2026年,建立我市首个数据要素交易中心。", "数据要素交易中心", 1, "个", IndicatorKind::kCumulative},
      {"到2026年,打造两个国家级文化产业示范园区。", "国家级文化产业示范园区", 2, "个", IndicatorKind::kCumulative},
      {"到2026年,培育建设3家以新能源为主的综合性检验检测机构。", "以新能源为主的综合性检验检测机构", 3, "家",
       IndicatorKind::kCumulative},
      {"到2026年,引导20家以上物流企业贯彻绿色包装标准。", "贯彻绿色包装标准的物流企业", 20, "家",
       IndicatorKind::kCumulative},
      {"到2026年,举办法治宣传讲座12期。", "法治宣传讲座", 12, "期", IndicatorKind::kCumulative},
      {"到2026年,深入农村社区开展健康义诊20次。", "农村社区健康义诊", 20, "次", IndicatorKind::kCumulative},
      {"到2026年,建成城市口袋公园5处。", "城市口袋公园", 5, "处", IndicatorKind::kCumulative},
      {"到2026年,在高新区内集聚创新型企业500家。", "高新区内集聚创新型企业", 500, "家", IndicatorKind::kAtLeast},
      // 翻番 / 倍增 with the base written and the target not: twice the base.
      {"到2026年,每万人口高价值发明专利拥有量在2023年底的1.53件基础上实现倍增。",
       "每万人口高价值发明专利拥有量", 3.06, "件", IndicatorKind::kAtLeast},
      {"到2026年,农村居民人均可支配收入由2023年的1.8万元实现翻番。", "农村居民人均可支配收入", 3.6, "万元",
       IndicatorKind::kAtLeast},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto inds = ImportTargets(c.text);
    REQUIRE(inds.size() == 1);
    CHECK(inds[0].name == c.name);
    CHECK(inds[0].target.value == Approx(c.value));
    CHECK(inds[0].measure == c.measure);
    CHECK(inds[0].kind == c.kind);
    CHECK(inds[0].target.date->ToString() == "2026-12-31");
  }
}

TEST_CASE("Importer: a doubling keeps its base; 分别 pairs names with values", "[importer]") {
  auto doubled = ImportTargets("到2026年,每万人口高价值发明专利拥有量在2023年底的1.53件基础上实现倍增。");
  REQUIRE(doubled.size() == 1);
  REQUIRE(doubled[0].baseline.has_value());
  CHECK(doubled[0].baseline->value == Approx(1.53));
  CHECK(doubled[0].baseline->date->ToString() == "2023-12-31");
  CHECK(doubled[0].trajectory == Trajectory::kCompound);

  auto pairs = ImportTargets(
      "到2026年,城镇新增就业人数和高校毕业生就业率较2023年明显提高,分别达到5万人以上、95%以上;"
      "国家级、省级众创空间分别达到4个、12个。");
  REQUIRE(pairs.size() == 4);
  CHECK(pairs[0].name == "城镇新增就业人数");
  CHECK(pairs[0].target.value == 5);
  CHECK(pairs[0].measure == "万人");
  CHECK(pairs[1].name == "高校毕业生就业率");
  CHECK(pairs[1].target.value == 95);
  CHECK(pairs[1].kind == IndicatorKind::kRatio);
  CHECK(pairs[2].name == "国家级众创空间");
  CHECK(pairs[2].target.value == 4);
  CHECK(pairs[3].name == "省级众创空间");
  CHECK(pairs[3].target.value == 12);
}

TEST_CASE("Importer: a short name after an earlier clause is flagged", "[importer]") {
  const std::string doc =
      "关于印发某市科技金融工作方案(2024—2026年)的通知\n"
      "一、主要目标\n"
      "到2026年,科技贷款余额达到300亿元,户数达到600户。\n"
      "二、重点任务\n"
      "1.扩大科技信贷。推广知识产权质押融资。(责任单位:市金融工作局)\n";
  auto r = ImportPlan(doc, "loans.txt", nullptr);
  REQUIRE(r.ok());
  INFO(r->yaml);
  CHECK(r->yaml.find("name: \"科技贷款余额\"\n") != std::string::npos);
  CHECK(r->yaml.find("name: \"户数\"  # ? a short name: it may continue the clause before it\n") !=
        std::string::npos);
}

TEST_CASE("Importer: counts that are figures of speech are not targets", "[importer]") {
  CHECK(ImportTargets("到2026年,主动对接横琴、前海两个合作区的优势资源,在八个方面发挥作用。").empty());
  CHECK(ImportTargets("遵循“三个走在前”总定位,建成一个区域中心。").empty());
}

TEST_CASE("Importer: a shared 市 prefix is not read into 市场", "[importer]") {
  const std::string doc =
      "关于印发某市食品安全工作方案(2024—2026年)的通知\n"
      "一、重点任务\n"
      "1.加强源头治理。开展农产品质量抽检。[市农业农村局牵头;市公安局、市场监管局(市知识产权局)、卫生健康委配合]\n";
  Draft d = ImportDraft(doc);
  INFO(d.yaml);
  INFO(d.problems);
  CHECK(Names(d.plan, 0, Role::kCooperate) ==
        std::vector<std::string>{"市公安局", "市市场监管局(市知识产权局)", "市卫生健康委"});
}

TEST_CASE("Importer: a plan naming no unit per task is carried out by the government it is sent to",
          "[importer]") {
  const std::string head =
      "某市人民政府办公室关于印发某市全民健身行动计划(2024—2026年)的通知\n"
      "各县(市、区)人民政府,市政府各部门、直属各单位:\n"
      "现将《某市全民健身行动计划(2024—2026年)》印发给你们,请认真贯彻执行。\n"
      "一、主要任务\n"
      "1.建设全民健身设施。新建一批社区健身中心。\n"
      "2.开展群众赛事活动。每年举办全民健身运动会。\n";
  SECTION("no task names a unit: the addressed government cooperates on each") {
    Draft d = ImportDraft(head);
    INFO(d.yaml);
    INFO(d.problems);
    CHECK(!d.has_errors);
    for (int t : {0, 1}) {
      CHECK(d.plan.tasks[t].office_decision);
      CHECK(Names(d.plan, t, Role::kCooperate) == std::vector<std::string>{"各县(市、区)人民政府"});
    }
    CHECK(d.yaml.find("# ? cooperate: 各县(市、区)人民政府, to whom the plan is addressed") != std::string::npos);
  }
  SECTION("one task names its units: the others are left to the office") {
    Draft d = ImportDraft(head + "3.培养社会体育指导员。(责任单位:市体育局)\n");
    INFO(d.yaml);
    INFO(d.problems);
    CHECK(Names(d.plan, 0, Role::kCooperate).empty());
    CHECK(Names(d.plan, 2, Role::kLead) == std::vector<std::string>{"市体育局"});
  }
}

std::vector<std::string> MemberNames(const Plan& p, std::string_view group) {
  std::vector<std::string> out;
  const Unit* g = ByName(p, group);
  if (!g) return {"no group " + std::string(group)};
  for (const Ref& m : g->members) out.push_back(p.FindUnit(m.id)->name);
  return out;
}

TEST_CASE("Importer: member lists make groups, also of units named only under 保障措施", "[importer]") {
  const std::string doc =
      "关于印发某市营商环境提升工作方案(2024—2026年)的通知\n"
      "一、重点任务\n"
      "1.优化审批流程。推行告知承诺制。(责任单位:市营商环境工作专班成员单位,各区人民政府)\n"
      "2.强化执法监督。规范涉企检查。[市司法局牵头;南海、顺德区人民政府配合]\n"
      "二、保障措施\n"
      "(一)加强组织领导。成立市营商环境工作专班,市发展改革委、市市场监管局、市司法局、市税务局等相关部门为专班成员单位,负责统筹推进。\n"
      "(二)健全联席会议制度。联席会议成员单位包括:市财政局、市人社局、市统计局。\n";
  Draft d = ImportDraft(doc);
  INFO(d.yaml);
  INFO(d.problems);
  CHECK(!d.has_errors);
  const Plan& p = d.plan;
  CHECK(ByName(p, "市营商环境工作专班成员单位")->is_group());
  CHECK(MemberNames(p, "市营商环境工作专班成员单位") ==
        std::vector<std::string>{"市发展改革委", "市市场监管局", "市司法局", "市税务局"});
  CHECK(MemberNames(p, "联席会议成员单位") == std::vector<std::string>{"市财政局", "市人社局", "市统计局"});
  // 各区人民政府: the district governments the document names, flagged for the office.
  CHECK(MemberNames(p, "各区人民政府") == std::vector<std::string>{"南海区人民政府", "顺德区人民政府"});
  CHECK(d.yaml.find("# ? members: the local governments of that level named in the document") != std::string::npos);
  CHECK(Names(p, 0, Role::kLead) == std::vector<std::string>{"市营商环境工作专班成员单位"});
}

TEST_CASE("Importer: a unit group with no member named stays a single unit", "[importer]") {
  const std::string doc =
      "关于印发某市营商环境提升工作方案(2024—2026年)的通知\n"
      "一、重点任务\n"
      "1.优化审批流程。推行告知承诺制。(责任单位:市发展改革委,各区人民政府)\n";
  Draft d = ImportDraft(doc);
  INFO(d.yaml);
  INFO(d.problems);
  CHECK(!d.has_errors);
  CHECK(!ByName(d.plan, "各区人民政府")->is_group());
}

TEST_CASE("Importer: an indicator's owner is the lead of the task that speaks of it", "[importer]") {
  const std::string doc =
      "关于印发某市绿色低碳发展行动方案(2024—2026年)的通知\n"
      "一、主要目标\n"
      "到2026年,城市生活垃圾资源化利用率达到60%,公共充电桩达到2000个,森林覆盖率达到45%。\n"
      "二、重点任务\n"
      "1.推进生活垃圾分类。完善生活垃圾分类收运体系,提高垃圾资源化利用水平。(责任单位:市城管局、市发展改革委)\n"
      "2.完善充电基础设施。加快公共充电桩布局建设,推进居住区充电设施改造。(责任单位:市发展改革委、市供电公司)\n"
      "3.建设绿色社区。到2025年建成绿色社区30个。(责任单位:市住建局)\n";
  Draft d = ImportDraft(doc);
  INFO(d.yaml);
  INFO(d.problems);
  CHECK(!d.has_errors);
  const Plan& p = d.plan;
  REQUIRE(p.indicators.size() == 4);
  auto owner = [&](size_t i) { return p.FindUnit(p.indicators[i].owner.id)->name; };
  CHECK(owner(0) == "市城管局");
  CHECK(owner(1) == "市发展改革委");
  CHECK(owner(2) == p.FindUnit(p.office.id)->name);  // no task speaks of forests
  CHECK(p.indicators[3].name == "绿色社区");
  CHECK(owner(3) == "市住建局");
  CHECK(p.indicators[3].target.date->ToString() == "2025-12-31");
  CHECK(d.yaml.find("# ? the lead of task 1, which speaks of the same thing") != std::string::npos);
  CHECK(d.yaml.find("# ? the lead of task 3, where it is written") != std::string::npos);
}

TEST_CASE("Importer: units named in a task's last sentence, outside brackets", "[importer]") {
  const std::string doc =
      "关于印发某市科技创新工作方案(2024—2026年)的通知\n"
      "一、重点任务\n"
      "1.建设创新平台。布局建设一批重点实验室。市科技局、市发展改革委牵头,市财政局、市教育局配合。\n"
      "2.培养青年人才。实施青年科技人才托举工程。由市人社局负责。\n"
      "3.完善科技金融。发展科技信贷和创业投资。责任单位:市金融工作局、中国人民银行某市分行。\n"
      "4.营造创新氛围。各地要牵头抓总,部门协同配合。\n";
  Draft d = ImportDraft(doc);
  INFO(d.yaml);
  INFO(d.problems);
  CHECK(!d.has_errors);
  const Plan& p = d.plan;
  CHECK(Names(p, 0, Role::kLead) == std::vector<std::string>{"市科技局", "市发展改革委"});
  CHECK(Names(p, 0, Role::kCooperate) == std::vector<std::string>{"市财政局", "市教育局"});
  CHECK(p.tasks[0].text == "布局建设一批重点实验室。");
  CHECK(p.tasks[0].source == "市科技局、市发展改革委牵头,市财政局、市教育局配合");
  CHECK(Names(p, 1, Role::kLead) == std::vector<std::string>{"市人社局"});
  CHECK(Names(p, 2, Role::kLead) == std::vector<std::string>{"市金融工作局"});
  CHECK(Names(p, 2, Role::kCooperate) == std::vector<std::string>{"中国人民银行某市分行"});
  CHECK(p.tasks[3].office_decision);  // 各地要牵头抓总 names no unit
}

TEST_CASE("Importer: refuses oversized and non-UTF-8 input", "[importer]") {
  CHECK(ImportPlan(std::string(kMaxImportBytes + 1, 'a'), "big", nullptr).status().code() ==
        Status::Code::kInvalidInput);
  CHECK(ImportPlan("\xff\xfe", "bad", nullptr).status().code() == Status::Code::kInvalidInput);
  CHECK(ImportPlan("", "empty", nullptr).status().code() == Status::Code::kInvalidInput);
}

// Quadratic scanning would take minutes here; linear work takes a fraction of a second.
TEST_CASE("Importer: long runs of affixes, verbs and member lists stay linear", "[importer]") {
  auto repeat = [](const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  const std::string doc = "关于印发某方案(2024—2026年)的通知\n一、重点任务\n1.任务。" + repeat("建设", 100000) +
                          "1件," + repeat("全市", 100000) + "分别达到1件、2件。" + repeat("为成员单位", 40000) +
                          "。" + repeat("建立我区", 30000) + "首个中心,由" + repeat("市局、", 30000) + "牵头\n";
  REQUIRE(doc.size() < kMaxImportBytes);
  auto r = ImportPlan(doc, "long.txt", nullptr);
  REQUIRE(r.ok());
  CHECK(!LoadPlan("long.yaml", r->yaml, NoFileReader()).unusable);
}

TEST_CASE("Importer: fuzzed seeds never crash", "[importer]") {
  std::vector<std::string> seeds;
  for (const char* f : {"000_9c391603197f8612.txt", "001_3d334759a01e3d23.txt", "002_8a235cecaa0b485d.txt",
                        "003_fdad3aed26c5b025.txt", "004_72d8aef4b3c5cea0.txt"})
    seeds.push_back(duban::test::ReadBytes(kSeeds + f));
  const char* pieces[] = {"(", ")", "〔", "〕", "[", "]", "牵头", "配合", "责任单位:", "、", ",", ";", "。", "\n",
                          "一、重点任务\n", "(一)", "1.", "①", "以下3—99项均需", "到2026年", "基础上", "%",
                          "年均增长", "倍增", "6月底前", "牵头单位:", "\t", "  "};
  std::mt19937 rng(20240305);
  int ok = 0, invalid = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string s = seeds[rng() % seeds.size()];
    int edits = 1 + rng() % 20;
    for (int e = 0; e < edits && !s.empty(); ++e) {
      auto boundary = [&](size_t i) {  // mutate whole code points, so most inputs stay UTF-8
        while (i > 0 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
        return i;
      };
      size_t pos = boundary(rng() % s.size());
      switch (rng() % 4) {
        case 0: s.insert(pos, pieces[rng() % std::size(pieces)]); break;
        case 1: s.erase(pos, boundary(std::min(s.size(), pos + rng() % 200)) - pos); break;
        case 2: {  // one code point becomes one ASCII character
          size_t next = pos + 1;
          while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) ++next;
          s.replace(pos, next - pos, 1, char(0x20 + rng() % 0x5F));
          break;
        }
        default: {
          size_t from = boundary(rng() % s.size());
          size_t to = boundary(std::min(s.size(), from + rng() % 300));
          s.insert(pos, s.substr(from, to - from));
        }
      }
    }
    if (round % 10 == 0) {
      s.clear();
      for (int i = int(rng() % 500); i > 0; --i) s += char(rng());
    }
    auto r = ImportPlan(s, "fuzz.txt", nullptr);
    if (r.ok()) {
      ++ok;
      LoadResult l = LoadPlan("fuzz.yaml", r->yaml, NoFileReader());
      CHECK(!l.unusable);
    } else {
      ++invalid;
      CHECK(r.status().code() == Status::Code::kInvalidInput);
    }
  }
  std::cout << "importer fuzz: " << ok << " imported, " << invalid << " refused\n";
  CHECK(ok + invalid == 2000);
}

}  // namespace
}  // namespace duban
