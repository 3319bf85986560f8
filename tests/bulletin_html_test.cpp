#include <catch2/catch.hpp>

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/reports.h"

using namespace duban;
namespace fs = std::filesystem;

namespace {

Date D(int y, int m, int d) { return *Date::FromCivil(y, m, d); }

const char* const kHostile = "<script>alert(\"x\")</script> & 'q'";
const char* const kHostileEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";
const char* const kPlanTitle = "九江市国家知识产权强市建设试点城市工作方案(2024-2026年)";

BulletinModel::TaskRef Ref(std::string task, std::string title, std::string zh, std::string en) {
  return {std::move(task), std::move(title), std::move(zh), std::move(en)};
}

// A weekly bulletin of the Jiujiang plan as the engine would build it on 2025-07-10.
BulletinModel JiujiangBulletin() {
  BulletinModel b;
  b.plan = "jiujiang-2024";
  b.plan_title = kPlanTitle;
  b.issuer = "九江市人民政府办公室";
  b.office_name = "九江市知识产权强市建设工作专班办公室";
  b.period_kind = "week";
  b.period_from = D(2025, 7, 4);
  b.period_to = D(2025, 7, 10);
  b.as_of = D(2025, 7, 10);
  b.number = 27;
  b.inputs_hash = "9f2c4e1a7b3d5c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcde";

  b.totals.tasks = 19;
  b.totals.red = 3;
  b.totals.yellow = 4;
  b.totals.green = 12;
  b.totals.closed = 2;
  b.totals.closed_share = 2.0 / 19;
  b.totals.reports_due = 58;
  b.totals.reports_on_time = 47;
  b.totals.on_time_share = 47.0 / 58;
  b.totals.assignments = 86;

  b.sections = {
      {"1", "聚焦顶层设计,健全知识产权治理新体系", 2, 0, 1, 1, 0, 46},
      {"2", "聚焦提质增量,激发知识产权创造新活力", 4, 1, 1, 2, 0, 52},
      {"3", "聚焦创新引领,建立知识产权运用转化新机制", 4, 1, 0, 3, 1, 61},
      {"4", "聚焦规范治理,凝聚知识产权保护新合力", 4, 0, 1, 3, 0, 58},
      {"5", "聚焦优化供给,实施知识产权服务新工程", 3, 1, 1, 1, 0, 39},
      {"6", "聚焦强基固本,强化知识产权文化建设新举措", 2, 0, 0, 2, 1, 83},
  };

  // Units as in plans/units/jiujiang.yaml, by red, then missed, then name.
  const std::vector<std::pair<std::string, std::string>> units = {
      {"jj-amr", "市市场监管局〔知识产权局〕"},   {"jj-nfra", "国家金融监管总局九江监管分局"},
      {"jj-pbc", "中国人民银行九江市分行"},       {"jj-xiushui", "修水县人民政府"},
      {"jj-finoffice", "市金融办"},               {"jj-duchang", "都昌县人民政府"},
      {"jj-jvtc", "九江职业技术学院"},            {"jj-commerce", "市商务局"},
      {"jj-ndrc", "市发改委"},                    {"jj-miit", "市工信局"},
      {"jj-sti", "市科技局"},                     {"jj-finance", "市财政局"},
      {"jj-hrss", "市人社局"},                    {"jj-agri", "市农业农村局"},
      {"jj-culture", "市文广新旅局"},             {"jj-edu", "市教育局"},
      {"jj-court", "市法院"},                     {"jj-procuratorate", "市检察院"},
      {"jj-police", "市公安局"},                  {"jj-justice", "市司法局"},
      {"jj-customs", "九江海关"},                 {"jj-ccpit", "市贸促会"},
      {"jj-cast", "市科协"},                      {"jj-jju", "九江学院"},
      {"jj-jjvu", "九江职业大学"},                {"jj-xunyang", "浔阳区人民政府"},
      {"jj-lianxi", "濂溪区人民政府"},            {"jj-chaisang", "柴桑区人民政府"},
      {"jj-wuning", "武宁县人民政府"},            {"jj-yongxiu", "永修县人民政府"},
      {"jj-dean", "德安县人民政府"},              {"jj-hukou", "湖口县人民政府"},
      {"jj-pengze", "彭泽县人民政府"},            {"jj-ruichang", "瑞昌市人民政府"},
      {"jj-gongqingcheng", "共青城市人民政府"},   {"jj-lushan", "庐山市人民政府"},
  };
  for (size_t i = 0; i < units.size(); ++i) {
    BulletinModel::UnitRow u;
    u.unit = units[i].first;
    u.name = units[i].second;
    int k = static_cast<int>(i);
    u.led = i == 0 ? 18 : (k % 5 == 1 ? 1 : 0);
    u.cooperating = i == 0 ? 0 : 2 + k % 6;
    u.red = i == 0 ? 3 : (i < 4 ? 1 : 0);
    u.yellow = i == 0 ? 4 : (k % 4 == 2 ? 1 : 0);
    u.green = u.led + u.cooperating - u.red - u.yellow;
    if (u.green < 0) u.green = 0;
    u.done = k % 7 == 3 ? 1 : 0;
    u.late = u.red;
    u.missed = i < 6 ? 2 - k % 2 : 0;
    u.burden = u.led + u.cooperating;
    b.units.push_back(u);
  }

  // 每万人口有效发明专利拥有量: doubling by 2026 on a compound path.
  BulletinModel::IndicatorRow inv;
  inv.id = "invention-per-10k";
  inv.name = "每万人口有效发明专利拥有量";
  inv.measure = "件";
  inv.baseline = 5.79;
  inv.latest = 7.55;
  inv.latest_as_of = D(2025, 6, 30);
  inv.target = 11.58;
  inv.target_date = D(2026, 12, 31);
  inv.covered = (7.55 - 5.79) / (11.58 - 5.79);
  inv.time_elapsed = 0.5;
  inv.projection = 10.2468;
  inv.state = IndicatorState::kAtRisk;
  inv.note_zh = "完成进度30%，低于时间进度50%";
  inv.note_en = "30% of the way at 50% of the time";
  inv.values = {{D(2024, 6, 30), 6.41}, {D(2024, 12, 31), 7.02}, {D(2025, 6, 30), 7.55}};
  inv.start_date = D(2023, 12, 31);
  inv.start_value = 5.79;
  inv.trajectory = Trajectory::kCompound;
  b.indicators.push_back(inv);

  BulletinModel::IndicatorRow pct;
  pct.id = "pct-applications";
  pct.name = "PCT国际专利申请量";
  pct.measure = "件";
  pct.baseline = 29;
  pct.latest = 33;
  pct.latest_as_of = D(2025, 6, 30);
  pct.target = 58;
  pct.target_date = D(2026, 12, 31);
  pct.covered = 4.0 / 29;
  pct.time_elapsed = 0.5;
  pct.projection = 39.5;
  pct.state = IndicatorState::kOffTrack;
  pct.note_zh = "预计到期值39.5件，低于目标58件";
  pct.note_en = "projected 39.5 against a target of 58";
  pct.values = {{D(2024, 12, 31), 31}, {D(2025, 6, 30), 33}};
  pct.start_date = D(2023, 12, 31);
  pct.start_value = 29;
  pct.trajectory = Trajectory::kCompound;
  b.indicators.push_back(pct);

  BulletinModel::IndicatorRow tm;
  tm.id = "trademarks-total";
  tm.name = "有效注册商标总量";
  tm.measure = "万件";
  tm.latest = 8.6;
  tm.latest_as_of = D(2025, 6, 30);
  tm.target = 10;
  tm.target_date = D(2026, 12, 31);
  tm.covered = 0.5 / 1.9;
  tm.time_elapsed = 0.33;
  tm.projection = 10.1;
  tm.state = IndicatorState::kOnTrack;
  tm.note_zh = "按当前增速可如期完成";
  tm.note_en = "on pace";
  tm.values = {{D(2024, 12, 31), 8.1}, {D(2025, 6, 30), 8.6}};
  tm.start_date = D(2024, 12, 31);
  tm.start_value = 8.1;
  b.indicators.push_back(tm);

  BulletinModel::IndicatorRow tr;
  tr.id = "ip-training";
  tr.name = "培训知识产权管理和执法人员、企业高管、知识产权师等";
  tr.measure = "人次";
  tr.baseline = 0;
  tr.latest = 650;
  tr.latest_as_of = D(2025, 6, 30);
  tr.target = 1000;
  tr.target_date = D(2026, 12, 31);
  tr.covered = 0.65;
  tr.time_elapsed = 0.48;
  tr.projection = 1312;
  tr.state = IndicatorState::kOnTrack;
  tr.values = {{D(2024, 6, 30), 180}, {D(2024, 12, 31), 420}, {D(2025, 6, 30), 650}};
  tr.start_date = D(2024, 3, 5);
  tr.start_value = 0;
  b.indicators.push_back(tr);

  BulletinModel::IndicatorRow ra;
  ra.id = "rights-assistance-rate";
  ra.name = "知识产权维权援助率";
  ra.measure = "%";
  ra.latest = 92;
  ra.latest_as_of = D(2024, 12, 31);
  ra.target = 100;
  ra.target_date = D(2026, 12, 31);
  ra.time_elapsed = 0.48;
  ra.state = IndicatorState::kAtRisk;
  ra.stale = true;
  ra.note_zh = "2025年上半年数据未报送";
  ra.note_en = "no value for the first half of 2025";
  ra.values = {{D(2024, 12, 31), 92}};
  b.indicators.push_back(ra);

  BulletinModel::IndicatorRow ps;
  ps.id = "protection-satisfaction";
  ps.name = "知识产权保护社会满意度";
  ps.measure = "%";
  ps.target = 90;
  ps.target_date = D(2026, 12, 31);
  ps.time_elapsed = 0.48;
  ps.state = IndicatorState::kNoData;
  ps.note_zh = "尚无数据";
  ps.note_en = "no data yet";
  b.indicators.push_back(ps);

  b.changes.newly_closed = {Ref("1.2", "加强知识产权区域创新载体建设", "市级知识产权公共服务平台已建成并通过验收",
                                "accepted by the office")};
  b.changes.newly_late = {Ref("3.3", "推进知识产权金融创新", "逾期5天", "5 days late"),
                          Ref("5.2", "促进知识产权服务业发展", "逾期2天", "2 days late")};
  b.changes.new_blockers = {Ref("2.1", "加快高价值核心专利培育", "等待3.1专利导航项目成果",
                                "waiting for 3.1's patent navigation results")};
  b.changes.targets_moved = {Ref("ip-pledge-growth", "知识产权质押融资金额年均增长率",
                                 "目标值由8%调整为10%（方案修订）", "target moved from 8% to 10% by a revision")};

  b.supervision = {
      {"jj-nfra", "国家金融监管总局九江监管分局", "3.3", "推进知识产权金融创新", 5, Escalation::kNotice,
       std::string("连续2期未报送进展；单位说明：") + kHostile, std::string("2 reports missed; note: ") + kHostile},
      {"jj-pbc", "中国人民银行九江市分行", "3.3", "推进知识产权金融创新", 5, Escalation::kNotice,
       "质押融资风险补偿机制未出台", "risk compensation scheme not issued"},
      {"jj-xiushui", "修水县人民政府", "5.2", "促进知识产权服务业发展", 2, Escalation::kNotice, "逾期且未说明原因",
       "late without explanation"},
      {"jj-amr", "市市场监管局〔知识产权局〕", "2.3", "加强农业知识产权培育", 34, Escalation::kBulletin,
       "督办后仍未完成，逾期34天", "still open 34 days late after a notice"},
  };
  b.named = {{"jj-amr", "市市场监管局〔知识产权局〕", 1, "督办事项逾期34天仍未办结", "a notice item 34 days late"},
             {"jj-nfra", "国家金融监管总局九江监管分局", 1, "连续2期未报送进展", "2 reports missed in a row"}};
  b.red_items = {
      Ref("2.3", "加强农业知识产权培育", "逾期34天；督办后仍未完成", "34 days late; open after a notice"),
      Ref("3.3", "推进知识产权金融创新", std::string("逾期5天；") + kHostile, std::string("5 days late; ") + kHostile),
      Ref("5.2", "促进知识产权服务业发展", "逾期2天；配合单位未报送", "2 days late; cooperating unit missing"),
  };
  return b;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

// ----- the browser test's tools ---------------------------------------------------------

// A fresh directory for one test's files, removed when the test ends.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("duban-bulletin-html-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs `cmd` through the shell with stdout and stderr to `log`; returns the exit code.
int Run(const std::string& cmd, const std::string& log) {
  int status = std::system((cmd + " >" + Quote(log) + " 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool HaveTool(const std::string& name, const std::string& log) {
  return Run("command -v " + Quote(name), log) == 0;
}

std::string Chromium(const std::string& user_data_dir) {
  return "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" +
         Quote(user_data_dir);
}

std::string StripSpaces(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out += c;
  return out;
}

struct Png {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;  // width * height * 3
  std::string error;
};

uint32_t Be32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

// Decodes the 8-bit, non-interlaced RGB/RGBA PNGs Chromium writes (what we need to look
// at the pixels; anything else is reported in `error`).
Png DecodePng(const std::string& data) {
  Png png;
  if (data.size() < 8 || data.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    png.error = "not a PNG";
    return png;
  }
  std::string idat;
  int depth = 0, color = 0, interlace = 0;
  for (size_t p = 8; p + 12 <= data.size();) {
    uint32_t len = Be32(data, p);
    std::string type = data.substr(p + 4, 4);
    if (p + 12 + len > data.size()) break;
    if (type == "IHDR") {
      png.width = static_cast<int>(Be32(data, p + 8));
      png.height = static_cast<int>(Be32(data, p + 12));
      depth = static_cast<unsigned char>(data[p + 16]);
      color = static_cast<unsigned char>(data[p + 17]);
      interlace = static_cast<unsigned char>(data[p + 20]);
    } else if (type == "IDAT") {
      idat += data.substr(p + 8, len);
    }
    p += 12 + len;
  }
  if (depth != 8 || (color != 2 && color != 6) || interlace != 0) {
    png.error = "unsupported PNG: depth " + std::to_string(depth) + ", colour type " + std::to_string(color);
    return png;
  }
  const size_t bpp = color == 6 ? 4 : 3, stride = bpp * static_cast<size_t>(png.width);
  std::vector<unsigned char> raw((stride + 1) * static_cast<size_t>(png.height));
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK ||
      raw_len != raw.size()) {
    png.error = "bad zlib data";
    return png;
  }
  std::vector<unsigned char> prev(stride, 0), cur(stride);
  png.rgb.reserve(static_cast<size_t>(png.width) * png.height * 3);
  for (int y = 0; y < png.height; ++y) {
    const unsigned char* line = raw.data() + static_cast<size_t>(y) * (stride + 1);
    int filter = line[0];
    for (size_t i = 0; i < stride; ++i) {
      int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0, x = line[1 + i];
      switch (filter) {
        case 1: x += a; break;
        case 2: x += b; break;
        case 3: x += (a + b) / 2; break;
        case 4: {
          int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          x += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: break;
      }
      cur[i] = static_cast<unsigned char>(x & 0xff);
    }
    for (size_t i = 0; i < stride; i += bpp) png.rgb.insert(png.rgb.end(), cur.begin() + i, cur.begin() + i + 3);
    std::swap(prev, cur);
  }
  return png;
}

}  // namespace

TEST_CASE("BulletinHtml: red head, parts in order, and counts", "[bulletin][html]") {
  std::string html = RenderBulletinHtml(JiujiangBulletin(), Lang::kZh);
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
  CHECK_THAT(html, Catch::Contains("<h1>九江市国家知识产权强市建设试点城市工作方案(2024-2026年)工作进展通报</h1>"));
  CHECK_THAT(html, Catch::Contains("<div class=\"issue\">第27期</div>"));
  CHECK_THAT(html, Catch::Contains(
                       "<div class=\"from\"><span>九江市知识产权强市建设工作专班办公室</span><span>2025年7月10日</span></div>"));
  CHECK_THAT(html, Catch::Contains("通报期间：2025-07-04 至 2025-07-10（周报）　　截至日期：2025-07-10"));
  CHECK_THAT(html, Catch::Contains("数据指纹：9f2c4e1a7b3d5c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcde"));

  // The parts in the bulletin's order.
  const std::vector<std::string> headings = {"<h2>一、总体情况</h2>",     "<h2>二、分部分进展</h2>",
                                             "<h2>三、各单位情况</h2>",   "<h2>四、指标完成情况</h2>",
                                             "<h2>五、本期变化</h2>",     "<h2>六、督办事项</h2>",
                                             "<h2>七、通报</h2>",         "<h2>附：红灯事项清单（3项）</h2>"};
  size_t at = 0;
  for (const auto& h : headings) {
    INFO(h);
    size_t p = html.find(h);
    REQUIRE(p != std::string::npos);
    CHECK(p > at);
    at = p;
  }
  for (const char* h : {"<h3>（一）新办结任务（1项）</h3>", "<h3>（二）新逾期任务（2项）</h3>",
                        "<h3>（三）新增阻塞（1项）</h3>", "<h3>（四）目标调整（1项）</h3>"})
    CHECK_THAT(html, Catch::Contains(h));

  CHECK_THAT(html, Catch::Contains("<p>截至2025年7月10日，方案共有重点任务19项，其中红灯3项、黄灯4项、绿灯12项；"
                                   "已办结2项，办结率11%。本期应报送进展58次，按时报送47次，按时报送率81%。"
                                   "重点任务共分解为任务分工86项。</p>"));
  CHECK_THAT(html, Catch::Contains("<p>本期共有督办事项4项，涉及4个单位，请相关单位抓紧整改并按时反馈。</p>"));
  CHECK_THAT(html, Catch::Contains("<p>对以下2个单位予以通报：</p>"));
  // A section row, a unit row and an indicator row, whole.
  CHECK_THAT(html, Catch::Contains("<tr><td>3</td><td>聚焦创新引领,建立知识产权运用转化新机制</td><td class=\"n\">4</td>"
                                   "<td class=\"n\" style=\"color:#c8161d;font-weight:bold\">1</td><td class=\"n\">0</td>"
                                   "<td class=\"n\">3</td><td class=\"n\">1</td><td class=\"n\">61%</td></tr>"));
  CHECK_THAT(html, Catch::Contains("<td>国家金融监管总局九江监管分局</td>"));
  CHECK_THAT(html, Catch::Contains("<tr><td>每万人口有效发明专利拥有量<br><small>件</small></td><td class=\"n\">5.79</td>"
                                   "<td class=\"n\">7.55<br><small>2025-06-30</small></td>"
                                   "<td class=\"n\">11.58<br><small>2026-12-31</small></td><td class=\"n\">30%</td>"
                                   "<td class=\"n\">50%</td><td class=\"n\">10.25</td>"));
  CHECK_THAT(html, Catch::Contains("有风险</span><br><small>数据未更新</small>"));
  CHECK_THAT(html, Catch::Contains("目标值由8%调整为10%（方案修订）"));
}

TEST_CASE("BulletinHtml: every text is escaped and nothing reaches the network", "[bulletin][html]") {
  BulletinModel b = JiujiangBulletin();
  // Hostile text also where it lands in SVG labels and titles.
  b.sections[0].title = kHostile;
  b.units[5].name = kHostile;
  b.indicators[0].name = kHostile;
  b.indicators[0].measure = "<件>";
  for (Lang lang : {Lang::kZh, Lang::kEn}) {
    std::string html = RenderBulletinHtml(b, lang);
    CHECK_THAT(html, Catch::Contains(kHostileEscaped));
    CHECK_THAT(html, Catch::Contains(std::string("<title>") + "1 " + kHostileEscaped));  // the section bar's tooltip
    CHECK_THAT(html, Catch::Contains("&lt;件&gt;"));
    std::string lower = Lower(html);
    CHECK(lower.find("<script") == std::string::npos);
    CHECK(lower.find("http:") == std::string::npos);
    CHECK(lower.find("https:") == std::string::npos);
    CHECK(lower.find("url(") == std::string::npos);
    CHECK(lower.find("@import") == std::string::npos);
    CHECK(lower.find("<link") == std::string::npos);
    CHECK(lower.find("<img") == std::string::npos);
    CHECK(lower.find("src=") == std::string::npos);
    CHECK_FALSE(std::regex_search(lower, std::regex(R"(\son[a-z]+\s*=)")));  // no event handlers
  }
}

TEST_CASE("BulletinHtml: print CSS, fonts and scalable charts", "[bulletin][html]") {
  std::string html = RenderBulletinHtml(JiujiangBulletin(), Lang::kZh);
  CHECK_THAT(html, Catch::Contains("@page { size: A4; margin: 18mm 15mm; }"));
  CHECK_THAT(html, Catch::Contains("font-family: \"Noto Sans CJK SC\", \"Noto Serif CJK SC\", \"Source Han Sans SC\", "
                                   "\"Microsoft YaHei\", \"SimSun\", sans-serif;"));
  CHECK_THAT(html, Catch::Contains("table-layout: fixed"));
  CHECK_THAT(html, Catch::Contains("page-break-inside: avoid"));
  // Section chart, unit chart, and one chart for each of the 5 indicators with data.
  CHECK(Count(html, "<svg viewBox=") == 7);
  CHECK(Count(html, "width=\"100%\"") >= 7);
  CHECK(Count(html, "<figure class=\"chart\">") == 7);
  // One stacked row per unit: 36 units, each with its tooltip.
  CHECK(Count(html, "：红灯 ") == 36);
  // Bars take the worst light of their section: 2 has a red task, 1 a yellow one, 6 none.
  auto bar = [&](const std::string& title) {
    size_t from = html.find("<g><title>" + title);
    REQUIRE(from != std::string::npos);
    return html.substr(from, html.find("</g>", from) - from);
  };
  CHECK_THAT(bar("2 聚焦提质增量,激发知识产权创造新活力：平均进度 52%</title>"), Catch::Contains("fill=\"#c8161d\""));
  CHECK_THAT(bar("1 聚焦顶层设计,健全知识产权治理新体系：平均进度 46%</title>"), Catch::Contains("fill=\"#e0a100\""));
  CHECK_THAT(bar("6 聚焦强基固本,强化知识产权文化建设新举措：平均进度 83%</title>"), Catch::Contains("fill=\"#2e8b57\""));

  // The compound indicator's expected path: 21 points from (start, 5.79) to (target,
  // 11.58), bending below the straight line (geometric growth starts slow).
  size_t fig = html.find("<figcaption>每万人口有效发明专利拥有量");
  REQUIRE(fig != std::string::npos);
  const std::string marker = "stroke-dasharray=\"4 3\" points=\"";
  size_t p = html.find(marker, fig);
  REQUIRE(p != std::string::npos);
  p += marker.size();
  std::string points = html.substr(p, html.find('"', p) - p);
  std::vector<std::pair<double, double>> xy;
  std::stringstream ss(points);
  for (std::string pt; ss >> pt;) {
    auto comma = pt.find(',');
    xy.push_back({std::stod(pt.substr(0, comma)), std::stod(pt.substr(comma + 1))});
  }
  REQUIRE(xy.size() == 21);
  for (size_t i = 1; i < xy.size(); ++i) CHECK(xy[i].first > xy[i - 1].first);
  CHECK(xy[10].second > (xy[0].second + xy[20].second) / 2 + 2);  // SVG y grows downwards
  CHECK_THAT(html, Catch::Contains("预期路径（复合增长）"));
}

TEST_CASE("BulletinHtml: numbers are rounded for reading", "[bulletin][html]") {
  BulletinModel b = JiujiangBulletin();
  b.indicators[2].latest = 12345.678;
  b.indicators[2].projection = 0.000123456;
  b.indicators[2].covered = 0.6666;
  std::string html = RenderBulletinHtml(b, Lang::kZh);
  CHECK_THAT(html, Catch::Contains("<td class=\"n\">12346<br><small>2025-06-30</small></td>"));
  CHECK_THAT(html, Catch::Contains("<td class=\"n\">67%</td>"));
  CHECK_THAT(html, Catch::Contains("<td class=\"n\">0.0001235</td>"));
  CHECK(html.find("e+0") == std::string::npos);
  CHECK(html.find("e-0") == std::string::npos);
}

TEST_CASE("BulletinHtml: the same model gives the same bytes", "[bulletin][html]") {
  BulletinModel b = JiujiangBulletin();
  CHECK(RenderBulletinHtml(b, Lang::kZh) == RenderBulletinHtml(JiujiangBulletin(), Lang::kZh));
  CHECK(RenderBulletinHtml(b, Lang::kEn) == RenderBulletinHtml(b, Lang::kEn));
}

TEST_CASE("BulletinHtml: English headings with Lang::kEn", "[bulletin][html]") {
  std::string html = RenderBulletinHtml(JiujiangBulletin(), Lang::kEn);
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK_THAT(html, Catch::Contains("<h1>九江市国家知识产权强市建设试点城市工作方案(2024-2026年): Progress Bulletin</h1>"));
  CHECK_THAT(html, Catch::Contains("<div class=\"issue\">No. 27</div>"));
  for (const char* h : {"<h2>1. Overview</h2>", "<h2>2. Progress by section</h2>", "<h2>3. Units</h2>",
                        "<h2>4. Indicators</h2>", "<h2>5. Changes in the period</h2>", "<h2>6. Supervision items</h2>",
                        "<h2>7. Units named</h2>", "<h2>Annex: red items (3)</h2>"})
    CHECK_THAT(html, Catch::Contains(h));
  CHECK_THAT(html, Catch::Contains("<p>As of 2025-07-10, the plan has 19 tasks: 3 red, 4 yellow and 12 green; 2 are "
                                   "closed (11%). 47 of the 58 progress reports due in the period arrived on time "
                                   "(81%). The tasks are divided into 86 assignments.</p>"));
  CHECK_THAT(html, Catch::Contains("Period: 2025-07-04 to 2025-07-10 (weekly)"));
  CHECK_THAT(html, Catch::Contains("<td>30% of the way at 50% of the time</td>"));
  for (const char* zh : {"总体情况", "分部分进展", "各单位情况", "指标完成情况", "本期变化", "督办事项", "第27期"})
    CHECK(html.find(zh) == std::string::npos);
}

// The page as a person checks it: open it in a real browser, print it to PDF on A4 and
// take a screenshot; the Chinese must be drawn with a CJK font, nothing may run off the
// page, and the screenshot must show the red head.
TEST_CASE("BulletinHtml: Chromium prints it on A4 with CJK fonts, nothing off the page", "[bulletin][html]") {
  ScratchDir dir;
  for (const char* tool : {"/usr/bin/chromium", "timeout", "pdfinfo", "pdffonts", "pdftotext"}) {
    INFO("missing " << tool << ": apt-get install chromium fonts-noto-cjk poppler-utils");
    REQUIRE(HaveTool(tool, dir / "which.log"));
  }
  std::string html_path = dir / "bulletin.html";
  {
    std::ofstream f(html_path, std::ios::binary);
    f << RenderBulletinHtml(JiujiangBulletin(), Lang::kZh);
  }
  const std::string url = "file://" + html_path, pdf = dir / "out.pdf", png = dir / "out.png",
                    full = dir / "full.png";
  // Each run gets a fresh profile; the log keeps Chromium's chatter for a failure message.
  auto chromium = [&](const std::string& name, const std::string& args) {
    int rc = Run(Chromium(dir / ("profile-" + name)) + " " + args + " " + Quote(url), dir / (name + ".log"));
    INFO("chromium " << args << ":\n" << Slurp(dir / (name + ".log")));
    REQUIRE(rc == 0);
  };
  chromium("pdf", "--print-to-pdf=" + Quote(pdf) + " --no-pdf-header-footer");
  chromium("png", "--screenshot=" + Quote(png) + " --window-size=794,1123");
  // Print clips whatever overflows at the page's margins, so overflow is looked for on
  // screen instead: the whole document in one tall window, as wide as A4.
  chromium("full", "--screenshot=" + Quote(full) + " --window-size=794,9000");
  REQUIRE(fs::exists(pdf));
  REQUIRE(fs::exists(png));
  REQUIRE(fs::exists(full));

  if (const char* keep = std::getenv("DUBAN_BULLETIN_OUT")) {  // to look at the page by hand
    fs::create_directories(keep);
    for (const char* name : {"bulletin.html", "out.pdf", "out.png", "full.png"})
      fs::copy_file(dir / name, fs::path(keep) / name, fs::copy_options::overwrite_existing);
  }

  // A4, at least one page.
  REQUIRE(Run("pdfinfo " + Quote(pdf), dir / "pdfinfo.txt") == 0);
  std::string info = Slurp(dir / "pdfinfo.txt");
  std::smatch m;
  int pages = 0;
  {
    INFO(info);
    REQUIRE(std::regex_search(info, m, std::regex(R"(Page size:\s+([0-9.]+) x ([0-9.]+) pts)")));
    CHECK(std::fabs(std::stod(m[1]) - 595) <= 1);
    CHECK(std::fabs(std::stod(m[2]) - 842) <= 1);
    REQUIRE(std::regex_search(info, m, std::regex(R"(Pages:\s+([0-9]+))")));
    pages = std::stoi(m[1]);
    CHECK(pages >= 1);
  }

  // The Chinese was drawn with a real CJK font, embedded, not fallback boxes. Chromium's
  // PDF writer (Skia) embeds fonts with CFF outlines, as Debian's Noto CJK are, as Type 3
  // fonts, which pdffonts lists as "[none]"; their /FontDescriptor still carries the
  // font's name, in a plain (uncompressed) dictionary. Either place counts.
  REQUIRE(Run("pdffonts " + Quote(pdf), dir / "pdffonts.txt") == 0);
  {
    std::string fonts = Slurp(dir / "pdffonts.txt");
    std::regex font_row(R"re(\s(yes|no)\s+(yes|no)\s+(yes|no)\s+[0-9]+\s+[0-9]+\s*$)re");
    int font_rows = 0, not_embedded = 0;
    std::stringstream font_lines(fonts);
    for (std::string line; std::getline(font_lines, line);) {
      if (!std::regex_search(line, m, font_row)) continue;
      ++font_rows;
      if (m[1] != "yes") ++not_embedded;
    }
    std::string pdf_bytes = Slurp(pdf);
    std::set<std::string> names;
    std::regex name_re(R"re(/FontName\s*/[A-Z]{6}\+([A-Za-z0-9-]+))re");
    for (auto it = std::sregex_iterator(pdf_bytes.begin(), pdf_bytes.end(), name_re); it != std::sregex_iterator(); ++it)
      names.insert((*it)[1]);
    std::string joined;
    for (const auto& n : names) joined += n + " ";
    bool noto_cjk = fonts.find("NotoSansCJK") != std::string::npos || fonts.find("NotoSerifCJK") != std::string::npos;
    for (const auto& n : names) noto_cjk = noto_cjk || n.rfind("NotoSansCJK", 0) == 0 || n.rfind("NotoSerifCJK", 0) == 0;
    INFO(fonts << "font descriptors: " << joined);
    CHECK(font_rows > 0);
    CHECK(not_embedded == 0);
    CHECK(noto_cjk);
  }

  // The right characters come back out of the PDF.
  REQUIRE(Run("pdftotext -layout " + Quote(pdf) + " -", dir / "text.txt") == 0);
  {
    std::string text = StripSpaces(Slurp(dir / "text.txt"));
    for (const char* s : {kPlanTitle, "工作进展通报", "第27期", "一、总体情况", "七、通报", "国家金融监管总局九江监管分局",
                          "中国人民银行九江市分行", "市市场监管局〔知识产权局〕", "共青城市人民政府", "九江职业技术学院",
                          "每万人口有效发明专利拥有量", "alert(\"x\")"}) {
      INFO(s);
      CHECK(text.find(s) != std::string::npos);
    }
  }

  // Every word lies inside the printable area: the page less its 15 mm (42.5 pt) margins,
  // with 2 pt for glyph boxes.
  REQUIRE(Run("pdftotext -bbox " + Quote(pdf) + " " + Quote(dir / "bbox.html"), dir / "bbox.log") == 0);
  {
    std::string bbox = Slurp(dir / "bbox.html");
    std::regex page_re(R"re(<page width="([0-9.]+)" height="([0-9.]+)">)re");
    std::regex word_re(
        R"re(<word xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)">([^<]*)</word>)re");
    const double kMargin = 15 / 25.4 * 72, kSlack = 2;
    int words = 0, bbox_pages = 0, outside = 0;
    double page_w = 0, page_h = 0;
    std::string first_outside;
    std::stringstream lines(bbox);
    for (std::string line; std::getline(lines, line);) {
      if (std::regex_search(line, m, page_re)) {
        ++bbox_pages;
        page_w = std::stod(m[1]);
        page_h = std::stod(m[2]);
      } else if (std::regex_search(line, m, word_re)) {
        ++words;
        double x0 = std::stod(m[1]), y0 = std::stod(m[2]), x1 = std::stod(m[3]), y1 = std::stod(m[4]);
        if (x0 >= kMargin - kSlack && x1 <= page_w - kMargin + kSlack && y0 >= 0 && y1 <= page_h) continue;
        if (outside++ == 0)
          first_outside = std::string(m[5]) + " at x " + std::string(m[1]) + ".." + std::string(m[3]) + " on page " +
                          std::to_string(bbox_pages);
      }
    }
    INFO("first word outside: " << first_outside);
    CHECK(outside == 0);
    CHECK(bbox_pages == pages);
    CHECK(words > 500);
  }

  // The A4 screenshot shows a page: plenty of ink, and the red of the red head.
  {
    Png shot = DecodePng(Slurp(png));
    INFO(shot.error);
    REQUIRE(shot.error.empty());
    CHECK(shot.width == 794);
    CHECK(shot.height == 1123);
    size_t ink = 0, red = 0, n = static_cast<size_t>(shot.width) * shot.height;
    for (size_t i = 0; i < n; ++i) {
      int r = shot.rgb[3 * i], g = shot.rgb[3 * i + 1], b = shot.rgb[3 * i + 2];
      if (r < 200 || g < 200 || b < 200) ++ink;
      if (r > 150 && g < 80 && b < 80) ++red;
    }
    INFO("ink " << ink << ", red " << red << " of " << n << " pixels");
    CHECK(ink > n / 50);
    CHECK(red > 2000);
  }

  // Nothing runs off the page: on screen the body is 180 mm (680 px) wide and centred,
  // so the 57 px on each side stay white unless a table or chart overflowed.
  {
    Png shot = DecodePng(Slurp(full));
    INFO(shot.error);
    REQUIRE(shot.error.empty());
    REQUIRE(shot.width == 794);
    int last_ink_row = -1, left = shot.width, right = -1;
    for (int y = 0; y < shot.height; ++y) {
      for (int x = 0; x < shot.width; ++x) {
        const unsigned char* p = &shot.rgb[3 * (static_cast<size_t>(y) * shot.width + x)];
        if (p[0] >= 200 && p[1] >= 200 && p[2] >= 200) continue;
        last_ink_row = y;
        left = std::min(left, x);
        right = std::max(right, x);
      }
    }
    INFO("ink from x " << left << " to " << right << ", last row " << last_ink_row << " of " << shot.height);
    CHECK(last_ink_row > 2000);
    CHECK(last_ink_row < shot.height - 50);  // the whole document was on screen
    CHECK(left > 52);
    CHECK(right < 742);
  }
}
