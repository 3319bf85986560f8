#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "engine/sheet.h"
#include "tests/test_util.h"

using namespace duban;

namespace {

const std::string kHeader =
    "类型(kind),方案(plan),编号(id),名称(title),责任单位(unit),角色(role),完成时限(due),"
    "状态(status),进度(progress),数值(value),截至日期(as_of),进展情况(note),佐证材料(evidence)";

// A sheet: the header, then `rows`, each ended with LF.
std::string Sheet(const std::vector<std::string>& rows) {
  std::string out = kHeader + "\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}

// The message of the InvalidInput status parsing `csv` as "sheet.csv" must give.
std::string ErrorOf(std::string_view csv) {
  auto r = ParseFilledCsv(csv, "sheet.csv");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Status::Code::kInvalidInput);
  return r.status().message();
}

std::vector<FilledRow> RowsOf(std::string_view csv) {
  auto r = ParseFilledCsv(csv, "sheet.csv");
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return r.value();
}

TemplateRow TaskRow(std::string id, std::string status, std::string progress) {
  TemplateRow r;
  r.kind = SheetRowKind::kTask;
  r.plan = "jj-ip";
  r.id = std::move(id);
  r.title = "开展知识产权专项行动";
  r.unit = "kjj";
  r.role = "牵头";
  r.due = "2025-06-30";
  r.status = std::move(status);
  r.progress = std::move(progress);
  return r;
}

TemplateRow IndicatorRow(std::string id, std::string value, std::string as_of) {
  TemplateRow r;
  r.kind = SheetRowKind::kIndicator;
  r.plan = "jj-ip";
  r.id = std::move(id);
  r.title = "每万人口高价值发明专利拥有量";
  r.unit = "amr";
  r.due = "2025-12-31";
  r.value = std::move(value);
  r.as_of = std::move(as_of);
  return r;
}

using duban::test::ReadBytes;

}  // namespace

TEST_CASE("Sheet: the header lists the thirteen columns in order", "[sheet]") {
  const auto& h = SheetHeaders();
  REQUIRE(h.size() == 13);
  std::string joined;
  for (const auto& c : h) joined += (joined.empty() ? "" : ",") + c;
  CHECK(joined == kHeader);
}

TEST_CASE("Sheet: the CSV template has a BOM, CRLF line ends and Chinese kinds", "[sheet]") {
  std::string csv = RenderTemplateCsv({TaskRow("1.1", "进行中", "30"),
                                       IndicatorRow("ind-1", "12.5", "2025-03-31")});
  CHECK(csv ==
        "\xEF\xBB\xBF" + kHeader + "\r\n" +
            "任务,jj-ip,1.1,开展知识产权专项行动,kjj,牵头,2025-06-30,进行中,30,,,,\r\n"
            "指标,jj-ip,ind-1,每万人口高价值发明专利拥有量,amr,,2025-12-31,,,12.5,2025-03-31,,\r\n");
  CHECK(RenderTemplateCsv({}) == "\xEF\xBB\xBF" + kHeader + "\r\n");
}

TEST_CASE("Sheet: CSV cells are quoted only when they need it", "[sheet]") {
  struct Case {
    std::string note, rendered;
  };
  const std::vector<Case> cases = {
      {"plain", "plain"},
      {"已完成调研，形成报告", "已完成调研，形成报告"},  // a full-width comma needs nothing
      {"a,b", "\"a,b\""},
      {"说\"好\"", "\"说\"\"好\"\"\""},
      {"第一行\n第二行", "\"第一行\n第二行\""},
      {"cr\rhere", "\"cr\rhere\""},
      {" leading", "\" leading\""},
      {"trailing ", "\"trailing \""},
      {"", ""},
  };
  for (const auto& c : cases) {
    TemplateRow r = TaskRow("1.1", "", "");
    r.note = c.note;
    std::string csv = RenderTemplateCsv({r});
    INFO(c.note);
    CHECK(csv == "\xEF\xBB\xBF" + kHeader + "\r\n" +
                     "任务,jj-ip,1.1,开展知识产权专项行动,kjj,牵头,2025-06-30,,,,," + c.rendered +
                     ",\r\n");
  }
}

TEST_CASE("Sheet: a filled template parses back to the same content", "[sheet]") {
  TemplateRow task = TaskRow("1.1", "进行中", "30");
  task.note = "已召开专题会议, 印发\"实施细则\"\n下一步：开展督查";
  task.evidence = "会议纪要.pdf; 照片/现场 1.jpg；细则.docx;";
  TemplateRow blocked = TaskRow("1.2", "受阻", "10");
  blocked.note = " 资金未到位 ";
  TemplateRow indicator = IndicatorRow("ind-1", "12.5", "2025-03-31");
  indicator.note = "季度统计";
  TemplateRow untouched = IndicatorRow("ind-2", "", "");  // nothing filled: skipped

  auto rows = RowsOf(RenderTemplateCsv({task, blocked, indicator, untouched}));
  REQUIRE(rows.size() == 3);

  CHECK(rows[0].line == 2);
  CHECK(rows[0].kind == SheetRowKind::kTask);
  CHECK(rows[0].plan == "jj-ip");
  CHECK(rows[0].id == "1.1");
  CHECK(rows[0].unit == "kjj");
  CHECK(rows[0].status == std::optional<std::string>("in_progress"));
  CHECK(rows[0].progress == std::optional<int>(30));
  CHECK_FALSE(rows[0].value);
  CHECK(rows[0].as_of.empty());
  CHECK(rows[0].note == task.note);
  CHECK(rows[0].evidence == std::vector<std::string>{"会议纪要.pdf", "照片/现场 1.jpg", "细则.docx"});

  CHECK(rows[1].line == 4);  // the note above spans lines 2 and 3
  CHECK(rows[1].status == std::optional<std::string>("blocked"));
  CHECK(rows[1].progress == std::optional<int>(10));
  CHECK(rows[1].note == " 资金未到位 ");
  CHECK(rows[1].evidence.empty());

  CHECK(rows[2].line == 5);
  CHECK(rows[2].kind == SheetRowKind::kIndicator);
  CHECK(rows[2].id == "ind-1");
  CHECK(rows[2].unit == "amr");
  CHECK_FALSE(rows[2].status);
  CHECK_FALSE(rows[2].progress);
  CHECK(rows[2].value == std::optional<double>(12.5));
  CHECK(rows[2].as_of == "2025-03-31");
  CHECK(rows[2].note == "季度统计");
}

TEST_CASE("Sheet: CRLF inside a quoted cell reads as a line break", "[sheet]") {
  auto rows = RowsOf("\xEF\xBB\xBF" + kHeader +
                     "\r\n任务,p,1,,u,,,进行中,5,,,\"一\r\n二\",\r\n任务,p,2,,u,,,,,,,三,\r\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].note == "一\n二");
  CHECK(rows[0].line == 2);
  CHECK(rows[1].line == 4);
}

TEST_CASE("Sheet: status words in Chinese and English", "[sheet]") {
  struct Case {
    std::string word, status;
  };
  const std::vector<Case> cases = {
      {"未开始", "not_started"}, {"进行中", "in_progress"}, {"受阻", "blocked"},
      {"已完成", "done"},        {"not_started", "not_started"}, {"in_progress", "in_progress"},
      {"blocked", "blocked"},    {"done", "done"},            {"Done", "done"},
      {"In progress", "in_progress"}, {" 已完成 ", "done"},
  };
  for (const auto& c : cases) {
    INFO(c.word);
    auto rows = RowsOf(Sheet({"任务,p,1,,u,,," + c.word + ",,,,,"}));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].status == std::optional<std::string>(c.status));
  }
}

TEST_CASE("Sheet: kind words, progress and dates as spreadsheets write them", "[sheet]") {
  auto rows = RowsOf(Sheet({
      "task,p,1,,u,,,,50%,,,,",
      "Indicator,p,2,,u,,,,,-3.25,2025/3/1,,",
      "任务,p,3,,u,,,,５０,,,,",
      "指标,p,4,,u,,,,,1e3,2025-12-31,,",
  }));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].kind == SheetRowKind::kTask);
  CHECK(rows[0].progress == std::optional<int>(50));
  CHECK(rows[1].kind == SheetRowKind::kIndicator);
  CHECK(rows[1].value == std::optional<double>(-3.25));
  CHECK(rows[1].as_of == "2025-03-01");  // Excel's rewrite of 2025-03-01
  CHECK(rows[2].progress == std::optional<int>(50));
  CHECK(rows[3].value == std::optional<double>(1000));
}

TEST_CASE("Sheet: blank rows and rows with nothing filled in are skipped", "[sheet]") {
  auto rows = RowsOf("\n" + kHeader + "\n\n,,,,,,,,,,,,\n任务,p,1,,u,,,,,,,,\n指标,p,2,,u,,,,,,,,\n"
                     "任务,p,3,,u,,,,,,,,a.pdf");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].line == 7);
  CHECK(rows[0].id == "3");
  CHECK(rows[0].evidence == std::vector<std::string>{"a.pdf"});
  CHECK(RowsOf(kHeader).empty());
  CHECK(RowsOf(kHeader + "\r\n").empty());
}

TEST_CASE("Sheet: headers may be the Chinese part or the English key, in any order", "[sheet]") {
  auto rows = RowsOf(
      "kind,plan,id,title,unit,role,due,progress,status,value,as_of,note,evidence\n"
      "任务,p,1,,u,,,40,进行中,,,,\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].progress == std::optional<int>(40));
  CHECK(rows[0].status == std::optional<std::string>("in_progress"));

  rows = RowsOf(
      "类型,方案,编号,名称,责任单位,角色,完成时限,状态,进度,数值,截至日期,进展情况（note）,佐证材料,\n"
      "任务,p,1,,u,,,,,,,好,,\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].note == "好");
}

TEST_CASE("Sheet: each bad cell is reported as NAME:LINE:COL with the whole message", "[sheet]") {
  struct Case {
    std::string row, message;
  };
  const std::vector<Case> cases = {
      {"项目,p,1,,u,,,进行中,,,,,",
       "sheet.csv:2:1: unknown kind '项目'; expected 任务 (task) or 指标 (indicator)"},
      {"tsak,p,1,,u,,,进行中,,,,,", "sheet.csv:2:1: unknown kind 'tsak', did you mean 'task'?"},
      {",p,1,,u,,,进行中,,,,,", "sheet.csv:2:1: kind is required: 任务 (task) or 指标 (indicator)"},
      {"任务,,1,,u,,,进行中,,,,,", "sheet.csv:2:2: plan is required"},
      {"任务,p,,,u,,,进行中,,,,,", "sheet.csv:2:3: id is required"},
      {"任务,p,1,,,,,进行中,,,,,", "sheet.csv:2:5: unit is required"},
      {"任务,p,1,,u,,,进行中,150,,,,",
       "sheet.csv:2:9: progress must be a whole number 0–100, got '150'"},
      {"任务,p,1,,u,,,进行中,abc,,,,",
       "sheet.csv:2:9: progress must be a whole number 0–100, got 'abc'"},
      {"任务,p,1,,u,,,进行中,-5,,,,",
       "sheet.csv:2:9: progress must be a whole number 0–100, got '-5'"},
      {"任务,p,1,,u,,,进行中,50.5,,,,",
       "sheet.csv:2:9: progress must be a whole number 0–100, got '50.5'"},
      {"任务,p,1,,u,,,进行中,99999999999,,,,",
       "sheet.csv:2:9: progress must be a whole number 0–100, got '99999999999'"},
      {"任务,p,1,,u,,,finished,,,,,",
       "sheet.csv:2:8: unknown status 'finished'; expected 未开始, 进行中, 受阻 or 已完成 "
       "(not_started, in_progress, blocked, done)"},
      {"任务,p,1,,u,,,已完,,,,,", "sheet.csv:2:8: unknown status '已完', did you mean '已完成'?"},
      {"任务,p,1,,u,,,closed,,,,,",
       "sheet.csv:2:8: status 'closed' is not for a unit to report: closing a task (办结) is the "
       "supervising office's decision; report 已完成 (done) instead"},
      {"任务,p,1,,u,,,已办结,,,,,",
       "sheet.csv:2:8: status '已办结' is not for a unit to report: closing a task (办结) is the "
       "supervising office's decision; report 已完成 (done) instead"},
      {"任务,p,1,,u,,,,,12,,,",
       "sheet.csv:2:10: value is for indicator rows (指标); leave it empty on a task row"},
      {"指标,p,1,,u,,,,10,,,,",
       "sheet.csv:2:9: progress is for task rows (任务); leave it empty on an indicator row"},
      {"指标,p,1,,u,,,进行中,,,,,",
       "sheet.csv:2:8: status is for task rows (任务); leave it empty on an indicator row"},
      {"指标,p,1,,u,,,,,abc,2025-03-31,,", "sheet.csv:2:10: value must be a number, got 'abc'"},
      {"指标,p,1,,u,,,,,nan,2025-03-31,,", "sheet.csv:2:10: value must be a number, got 'nan'"},
      {"指标,p,1,,u,,,,,\"1,234\",2025-03-31,,",
       "sheet.csv:2:10: value must be a number, got '1,234'"},
      {"指标,p,1,,u,,,,,12,2025-02-30,,", "sheet.csv:2:11: as_of '2025-02-30' is not a real date"},
      {"指标,p,1,,u,,,,,12,3月1日,,", "sheet.csv:2:11: as_of must be a date YYYY-MM-DD, got '3月1日'"},
      {"指标,p,1,,u,,,,,12,1850-01-01,,",
       "sheet.csv:2:11: as_of '1850-01-01' is outside the years 1900–2999"},
      {"指标,p,1,,u,,,,,12,,,",
       "sheet.csv:2:11: as_of is required with a value: the date the value was measured"},
      {"指标,p,1,,u,,,,,,2025-03-31,,",
       "sheet.csv:2:10: value is empty but as_of is given; fill in both or neither"},
      {"任务,p,1,,u,,,,,,,\"响\a铃\",",
       "sheet.csv:2:12: note contains a control character (U+0007); only line breaks and tabs "
       "are allowed"},
      {"任务,p,1,,u,,,,,,,\"ok\tok\",", ""},  // a tab is allowed
      {"任务,p,1,,u,,,,,,,,a.pdf;b\x1b.pdf",
       "sheet.csv:2:13: evidence contains a control character (U+001B)"},
      {"任务,p\x7f,1,,u,,,进行中,,,,,", "sheet.csv:2:2: plan contains a control character (U+007F)"},
      {"任务,p,1,,u,,,进行中,,,,,,",
       "sheet.csv:2:14: expected 13 cells as in the header, found 14 (a comma in a cell that is "
       "not quoted?)"},
      {"任务,p,1,,u,,,进行中,,,,", "sheet.csv:2:13: expected 13 cells as in the header, found 12"},
      {"任务,p,1,,u,,,进行中,,,,\"unterminated,",
       "sheet.csv:2:12: unterminated quote: the quoted cell starting here runs to the end of the "
       "file"},
      {"任务,p,1,,u,,,进行中,,,,say \"hi\",",
       "sheet.csv:2:12: stray quote in an unquoted cell; a cell containing \" must be quoted, "
       "with each \" doubled"},
      {"任务,p,1,,u,,,进行中,,,,\"say \"hi\"\",",
       "sheet.csv:2:12: unexpected text after the closing quote; a quote inside a quoted cell "
       "must be doubled (\"\")"},
      {"任务,p,1,,u,,,进行中,,,,\"bad\xff\",",
       "sheet.csv:2:12: cell is not valid UTF-8 (byte 0xFF); if the sheet was saved as GBK, save "
       "it again as CSV UTF-8"},
      {std::string("任务,p,1,,u,,,进行中,,,,a") + '\0' + "b,",
       "sheet.csv:2:12: cell contains a NUL byte; save the sheet as CSV UTF-8"},
      {"\xc8\xce\xce\xf1,p,1,,u,,,,,,,,",  // 任务 in GBK, title ignored but still checked
       "sheet.csv:2:1: cell is not valid UTF-8 (byte 0xC8); if the sheet was saved as GBK, save "
       "it again as CSV UTF-8"},
  };
  for (const auto& c : cases) {
    INFO(c.row);
    auto r = ParseFilledCsv(Sheet({c.row}), "sheet.csv");
    if (c.message.empty()) {
      CHECK(r.ok());
    } else {
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == Status::Code::kInvalidInput);
      CHECK(r.status().message() == c.message);
    }
  }
}

TEST_CASE("Sheet: a note is at most 2000 characters, counted as characters", "[sheet]") {
  std::string at_limit;
  for (int i = 0; i < 2000; ++i) at_limit += "字";
  auto rows = RowsOf(Sheet({"任务,p,1,,u,,,,,,," + at_limit + ","}));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].note == at_limit);
  CHECK(ErrorOf(Sheet({"任务,p,1,,u,,,,,,," + at_limit + "多,"})) ==
        "sheet.csv:2:12: note is too long: 2001 characters (limit 2000)");
}

TEST_CASE("Sheet: quoting errors point at the line and column where they happen", "[sheet]") {
  // The stray text follows a cell that opened on line 3 and closed on line 4.
  CHECK(ErrorOf(Sheet({"任务,p,1,,u,,,进行中,,,,ok,", "任务,p,2,,u,,,进行中,,,,\"一\n二\"x,"})) ==
        "sheet.csv:4:12: unexpected text after the closing quote; a quote inside a quoted cell "
        "must be doubled (\"\")");
  // An unterminated quote swallows the rest of the file and is reported where it opened.
  CHECK(ErrorOf(Sheet({"任务,p,1,,u,,,\"进行中,,,,,", "任务,p,2,,u,,,进行中,,,,,"})) ==
        "sheet.csv:2:8: unterminated quote: the quoted cell starting here runs to the end of the "
        "file");
}

TEST_CASE("Sheet: every problem in every row is reported together", "[sheet]") {
  CHECK(ErrorOf(Sheet({
            "任务,p,1,,u,,,进行中,150,,,,",
            "任务,p,2,,u,,,进行中,30,,,,",
            "项目,p,3,,u,,,进行中,,,,,",
            "指标,,4,,u,,,,,abc,2025-02-30,,",
            "任务,p,5,,u,,,closed,,,,,",
            "任务,p,6,,u,,,进行中,,,,,,",
        })) ==
        "sheet.csv:2:9: progress must be a whole number 0–100, got '150'\n"
        "sheet.csv:4:1: unknown kind '项目'; expected 任务 (task) or 指标 (indicator)\n"
        "sheet.csv:5:2: plan is required\n"
        "sheet.csv:5:10: value must be a number, got 'abc'\n"
        "sheet.csv:5:11: as_of '2025-02-30' is not a real date\n"
        "sheet.csv:6:8: status 'closed' is not for a unit to report: closing a task (办结) is the "
        "supervising office's decision; report 已完成 (done) instead\n"
        "sheet.csv:7:14: expected 13 cells as in the header, found 14 (a comma in a cell that is "
        "not quoted?)");
}

TEST_CASE("Sheet: a flood of problems is cut at 200 lines", "[sheet]") {
  std::vector<std::string> rows(250, "任务,p,1,,u,,,进行中,abc,,,,");
  std::string message = ErrorOf(Sheet(rows));
  CHECK(std::count(message.begin(), message.end(), '\n') == 200);
  CHECK(message.substr(message.rfind('\n') + 1) == "sheet.csv: 50 more problems not shown");
}

TEST_CASE("Sheet: a wrong or damaged header is reported before any row", "[sheet]") {
  CHECK(ErrorOf("任务,p,1,,u,,,进行中,150,,,,\n") ==
        "sheet.csv:1:1: the first row is not the sheet's header; expected " + kHeader);
  std::string typo = kHeader;
  typo.replace(typo.find("进度(progress)"), std::string("进度(progress)").size(), "进渡(progress)");
  CHECK(ErrorOf(typo + "\n任务,p,1,,u,,,进行中,150,,,,\n") ==
        "sheet.csv:1:9: unknown column '进渡(progress)', did you mean '进度(progress)'?");
  std::string missing = kHeader.substr(0, kHeader.rfind(','));
  CHECK(ErrorOf(missing + "\n") == "sheet.csv:1:1: missing column 佐证材料(evidence)");
  CHECK(ErrorOf(kHeader + ",备注\n") == "sheet.csv:1:14: unknown column '备注'");
  CHECK(ErrorOf(kHeader + ",note\n") ==
        "sheet.csv:1:14: duplicate column 'note'; column 12 is already 进展情况(note)");
  CHECK(ErrorOf("\xc0\xe0\xd0\xcd(kind)\n") ==
        "sheet.csv:1:1: the header row is not valid UTF-8 (byte 0xC0); if the sheet was saved as "
        "GBK, save it again as CSV UTF-8");
  CHECK(ErrorOf("\"" + kHeader + "\n") ==
        "sheet.csv:1:1: unterminated quote: the quoted cell starting here runs to the end of the "
        "file");
}

TEST_CASE("Sheet: text in a column without a header is refused", "[sheet]") {
  CHECK(RowsOf(kHeader + ",\n任务,p,1,,u,,,进行中,,,,,,\n").size() == 1);
  CHECK(ErrorOf(kHeader + ",\n任务,p,1,,u,,,进行中,,,,,,附言\n") ==
        "sheet.csv:2:14: this column has no header; leave it empty or move the text into "
        "进展情况(note)");
}

TEST_CASE("Sheet: a header repeated in the middle, as when two sheets are joined, is skipped",
          "[sheet]") {
  auto rows = RowsOf(Sheet({"任务,p,1,,u,,,进行中,,,,,", kHeader, "任务,p,2,,u,,,受阻,,,,,"}));
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].line == 4);
}

TEST_CASE("Sheet: whole-file problems: empty, too large, UTF-16", "[sheet]") {
  CHECK(ErrorOf("") == "sheet.csv: the sheet is empty; it needs at least the header row");
  CHECK(ErrorOf("\xEF\xBB\xBF\r\n\r\n") ==
        "sheet.csv: the sheet is empty; it needs at least the header row");
  std::string big = Sheet({}) + std::string(kMaxSheetBytes, '\n');
  CHECK(ErrorOf(big) == "sheet.csv: the sheet is too large (" + std::to_string(big.size()) +
                            " bytes; limit 8388608)");
  CHECK(ErrorOf(std::string("\xFF\xFE\x7b\x7c", 4)) ==
        "sheet.csv: the sheet is UTF-16 (Excel's \"Unicode text\"); save it as CSV UTF-8");
}

TEST_CASE("Sheet: random damage never crashes and gives rows or InvalidInput", "[sheet]") {
  TemplateRow t1 = TaskRow("1.1", "进行中", "30");
  t1.note = "已召开会议, \"好\"\n第二行";
  t1.evidence = "a.pdf;b.pdf";
  TemplateRow t2 = IndicatorRow("ind-1", "12.5", "2025-03-31");
  const std::string base = RenderTemplateCsv({t1, t2, TaskRow("1.2", "受阻", "0")});
  REQUIRE(ParseFilledCsv(base, "fuzz.csv").ok());

  std::mt19937 rng(20240426);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const std::string interesting = std::string("\",\r\n;\t\0\xff\xe4\xb8\xad", 12);
  auto check = [](const std::string& input) {
    auto r = ParseFilledCsv(input, "fuzz.csv");
    if (r.ok()) {
      for (const auto& row : r.value()) {
        CHECK(row.line >= 2);
        if (row.progress) CHECK((*row.progress >= 0 && *row.progress <= 100));
      }
    } else {
      CHECK(r.status().code() == Status::Code::kInvalidInput);
      CHECK(r.status().message().rfind("fuzz.csv:", 0) == 0);
    }
  };
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s = base;
    int edits = 1 + static_cast<int>(pick(4));
    for (int e = 0; e < edits && !s.empty(); ++e) {
      size_t at = pick(s.size());
      switch (pick(4)) {
        case 0: s[at] = interesting[pick(interesting.size())]; break;
        case 1: s.insert(at, 1, interesting[pick(interesting.size())]); break;
        case 2: s.erase(at, 1 + pick(8)); break;
        default: s[at] = static_cast<char>(pick(256)); break;
      }
    }
    check(s);
  }
  for (int iter = 0; iter < 1000; ++iter) {
    std::string s(pick(300), '\0');
    for (char& c : s) c = static_cast<char>(pick(256));
    if (iter % 2 == 0) s = kHeader + "\n" + s;  // get past the header sometimes
    check(s);
  }
}

TEST_CASE("Sheet: the xlsx template is written as a workbook", "[sheet]") {
  const std::string dir = duban::test::TempDir();
  std::string path = dir + "/填报表.xlsx";
  TemplateRow task = TaskRow("1.1", "进行中", "30");
  task.title = std::string(200, 'x');  // a width cap case
  Status s = WriteTemplateXlsx({task, TaskRow("1.2", "未开始", "0"),
                                IndicatorRow("ind-1", "12.5", "2025-03-31"),
                                IndicatorRow("ind-2", "", "")},
                               path);
  INFO(s.ToString());
  REQUIRE(s.ok());
  std::string bytes = ReadBytes(path);
  REQUIRE(bytes.size() > 100);
  CHECK(bytes.substr(0, 2) == "PK");
  CHECK(bytes.find("xl/worksheets/sheet1.xml") != std::string::npos);

  // No rows: still a workbook with its header.
  CHECK(WriteTemplateXlsx({}, dir + "/empty.xlsx").ok());
  CHECK(ReadBytes(dir + "/empty.xlsx").substr(0, 2) == "PK");
}

TEST_CASE("Sheet: an xlsx that cannot be written is an IoError", "[sheet]") {
  const std::string dir = duban::test::TempDir();
  std::string path = dir + "/no/such/dir/t.xlsx";
  Status s = WriteTemplateXlsx({TaskRow("1.1", "进行中", "30")}, path);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "cannot write " + path + ": No such file or directory");
  CHECK_FALSE(std::filesystem::exists(path));

  s = WriteTemplateXlsx({}, dir);
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "cannot write " + dir + ": Is a directory");
}

TEST_CASE("Sheet: an xlsx cell over Excel's 32,767 characters is refused before writing",
          "[sheet]") {
  const std::string dir = duban::test::TempDir();
  TemplateRow row = TaskRow("1.1", "进行中", "30");
  row.title = std::string(32768, 'x');
  Status s = WriteTemplateXlsx({TaskRow("1.0", "", ""), row}, dir + "/t.xlsx");
  CHECK(s.code() == Status::Code::kInvalidInput);
  CHECK(s.message() == "row 2 has a cell longer than 32767 characters");
  CHECK_FALSE(std::filesystem::exists(dir + "/t.xlsx"));
}

TEST_CASE("Sheet: writing an xlsx over an existing file replaces it", "[sheet]") {
  const std::string dir = duban::test::TempDir();
  std::string path = dir + "/t.xlsx";
  std::ofstream(path) << "old";
  REQUIRE(WriteTemplateXlsx({TaskRow("1.1", "进行中", "30")}, path).ok());
  CHECK(ReadBytes(path).substr(0, 2) == "PK");
}
