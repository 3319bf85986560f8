#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/date.h"
#include "engine/table_render.h"
#include "tests/test_util.h"

using namespace duban;

namespace {

// Reading the workbooks back needs two Debian packages: unzip, and python3-openpyxl for
// /usr/bin/python3 (the system interpreter that package installs into).
constexpr const char* kPython = "/usr/bin/python3";

MatrixRow Matrix(std::string number, std::string task, std::string text, std::string cooperate,
                 std::string due) {
  return {std::move(number), "一、强化知识产权创造",       std::move(task),
          std::move(text),   "市市场监管局（知识产权局）", std::move(cooperate),
          std::move(due)};
}

// Two rows: a task whose cells hold `|`, a comma, quotes and line breaks; a plain one.
MatrixModel SmallMatrix() {
  MatrixModel m;
  m.plan = "jj-ip";
  m.plan_title = "九江市知识产权强市建设行动方案";
  m.rows = {
      Matrix("1.1", "培育高价值专利|专利池", "开展\"高价值专利\"培育,形成专利池\n每年发布一次",
             "市科技局、市工信局\n各县（市、区）政府", "2025-12-31"),
      Matrix("1.2", "建设知识产权保护中心", "建成并运行", "", "常态化")};
  return m;
}

// Twenty rows, the first of them as in SmallMatrix.
MatrixModel BigMatrix() {
  MatrixModel m = SmallMatrix();
  m.rows.resize(1);
  for (int i = 2; i <= 20; ++i) {
    std::string n = std::to_string(i);
    m.rows.push_back(Matrix("1." + n, "重点任务第" + n + "项",
                            "任务内容第" + n + "项：加强知识产权运用", "市科技局",
                            "2025-" + std::string(i < 10 ? "0" : "") + n + "-28"));
  }
  return m;
}

LedgerRow Ledger(std::string task, std::string unit, std::string unit_name, Role role,
                 std::string status, std::string light, int progress) {
  LedgerRow r;
  r.plan = "jj-ip";
  r.section = "一、强化知识产权创造";
  r.task = std::move(task);
  r.title = "培育高价值专利";
  r.unit = std::move(unit);
  r.unit_name = std::move(unit_name);
  r.role = role;
  r.status = std::move(status);
  r.light = std::move(light);
  r.progress = progress;
  r.due = "2025-06-30";
  return r;
}

LedgerModel SmallLedger() {
  LedgerModel m;
  m.plan = "jj-ip";
  m.plan_title = "九江市知识产权强市建设行动方案";
  m.as_of = *ParseDate("2025-07-15");
  LedgerRow late = Ledger("1.1", "jj-amr", "市市场监管局", Role::kLead, "进行中", "红灯", 30);
  late.reasons = "逾期15天；连续2期未报送";
  late.last_report = "2025-06-01";
  late.last_note = "已召开推进会,印发\"实施细则\"";
  late.evidence = "调研报告.pdf (20480 bytes, sha256:ab12)\n现场照片.jpg (1024 bytes, sha256:cd34)";
  LedgerRow done = Ledger("1.1", "jj-sti", "", Role::kCooperate, "已完成", "绿灯", 100);
  m.rows = {late, done};
  return m;
}

// Twenty rows cycling through the three lights, the first as in SmallLedger.
LedgerModel BigLedger() {
  LedgerModel m = SmallLedger();
  m.rows.resize(1);
  const char* lights[] = {"红灯", "黄灯", "绿灯"};
  for (int i = 2; i <= 20; ++i) {
    LedgerRow r =
        Ledger("2." + std::to_string(i), "unit" + std::to_string(i), "责任单位" + std::to_string(i),
               i % 2 == 0 ? Role::kLead : Role::kCooperate, "进行中", lights[(i - 1) % 3], 5 * i);
    r.last_note = "第" + std::to_string(i) + "次报送：按计划推进";
    m.rows.push_back(r);
  }
  return m;
}

using duban::test::ReadBytes;

// Runs a shell command and returns its standard output; fails the test on a non-zero exit.
std::string Run(const std::string& command) {
  std::FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int rc = pclose(p);
  INFO(command);
  REQUIRE(rc == 0);
  return out;
}

// A member of the zip archive at `path`, read with unzip(1).
std::string Unzipped(const std::string& path, const std::string& member) {
  if (std::system("command -v unzip >/dev/null 2>&1") != 0)
    FAIL("unzip is missing: install the Debian package unzip");
  return Run("unzip -p '" + path + "' '" + member + "'");
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

// The frozen pane below `rows` header rows, as libxlsxwriter writes it.
std::string FrozenPane(int rows) {
  return "<pane ySplit=\"" + std::to_string(rows) + "\" topLeftCell=\"A" +
         std::to_string(rows + 1) + "\" activePane=\"bottomLeft\" state=\"frozen\"/>";
}

std::string Created(const std::string& stamp) {
  return "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" + stamp + "</dcterms:created>";
}

// Opens the workbook with openpyxl and prints what a reader sees, one fact a line.
std::string OpenpyxlDump(const std::string& dir, const std::string& xlsx) {
  if (std::system((std::string(kPython) + " -c 'import openpyxl' >/dev/null 2>&1").c_str()) != 0)
    FAIL("openpyxl is missing: install the Debian package python3-openpyxl");
  const std::string script = dir + "/dump.py";
  std::ofstream(script) << R"(import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
print("sheets:", wb.sheetnames)
print("size:", ws.max_row, "x", ws.max_column)
print("freeze:", ws.freeze_panes)
print("merged:", [str(r) for r in ws.merged_cells.ranges])
print("filter:", ws.auto_filter.ref)
print("print:", ws.page_setup.orientation, ws.page_setup.paperSize,
      ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage,
      ws.print_title_rows)
print("widths:", [ws.column_dimensions[c].width for c in "ABCDEFGHIJKLMN"[:ws.max_column]])
for row in ws.iter_rows(max_row=5):
    print(" | ".join("%r%s%s%s" % (c.value, "!" if c.font.b else "", "~" if c.alignment.wrap_text else "",
                                   "" if c.fill.fill_type is None else "#" + c.fill.fgColor.rgb)
                     for c in row))
formats = sorted({c.number_format for row in ws.iter_rows(min_row=2) for c in row})
print("formats:", formats)
)";
  return Run("PYTHONIOENCODING=utf-8 " + std::string(kPython) + " '" + script + "' '" + xlsx + "'");
}

// Captures what is written to the process's stderr while it lives.
class StderrCapture {
 public:
  explicit StderrCapture(const std::string& file) : file_(file) {
    std::fflush(stderr);
    saved_ = dup(2);
    std::FILE* f = std::fopen(file.c_str(), "w");
    dup2(fileno(f), 2);
    std::fclose(f);
  }
  std::string Release() {
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
    return ReadBytes(file_);
  }
  ~StderrCapture() {
    if (saved_ >= 0) (void)Release();
  }

 private:
  std::string file_;
  int saved_ = -1;
};

}  // namespace

TEST_CASE("Tables: the matrix Markdown escapes pipes and breaks lines with <br>", "[tables]") {
  CHECK(RenderMatrixMarkdown(SmallMatrix()) ==
        "# 九江市知识产权强市建设行动方案 任务分工表\n"
        "\n"
        "| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1.1 | 培育高价值专利\\|专利池 | 市市场监管局（知识产权局） | "
        "市科技局、市工信局<br>各县（市、区）政府 | 2025-12-31 |\n"
        "| 1.2 | 建设知识产权保护中心 | 市市场监管局（知识产权局） |  | 常态化 |\n");

  MatrixModel empty;
  empty.plan = "jj-ip";
  empty.rows = {Matrix("1", "a\r\nb", "", "c\rd|", "")};
  CHECK(RenderMatrixMarkdown(empty) ==
        "# jj-ip 任务分工表\n"
        "\n"
        "| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1 | a<br>b | 市市场监管局（知识产权局） | c<br>d\\| |  |\n");
}

TEST_CASE("Tables: the matrix CSV has a BOM, CRLF and RFC 4180 quoting", "[tables]") {
  CHECK(RenderMatrixCsv(SmallMatrix()) ==
        "\xEF\xBB\xBF"
        "序号,部分,重点任务,任务内容,牵头单位,配合单位,完成时限\r\n"
        "1.1,一、强化知识产权创造,培育高价值专利|专利池,"
        "\"开展\"\"高价值专利\"\"培育,形成专利池\n每年发布一次\","
        "市市场监管局（知识产权局）,\"市科技局、市工信局\n各县（市、区）政府\",2025-12-31\r\n"
        "1.2,一、强化知识产权创造,建设知识产权保护中心,建成并运行,市市场监管局（知识产权局）,,"
        "常态化\r\n");
  CHECK(RenderMatrixCsv(MatrixModel{}) ==
        "\xEF\xBB\xBF序号,部分,重点任务,任务内容,牵头单位,配合单位,完成时限\r\n");
}

TEST_CASE("Tables: the ledger CSV names roles in Chinese and progress as a percentage",
          "[tables]") {
  CHECK(RenderLedgerCsv(SmallLedger()) ==
        "\xEF\xBB\xBF"
        "方案,部分,编号,任务,责任单位,角色,状态,灯号,原因,进度,完成时限,最近报送,最近进展,"
        "佐证材料\r\n"
        "jj-ip,一、强化知识产权创造,1.1,培育高价值专利,市市场监管局,牵头,进行中,红灯,"
        "逾期15天；连续2期未报送,30%,2025-06-30,2025-06-01,\"已召开推进会,印发\"\"实施细则\"\"\","
        "\"调研报告.pdf (20480 bytes, sha256:ab12)\n现场照片.jpg (1024 bytes, sha256:cd34)\"\r\n"
        "jj-ip,一、强化知识产权创造,1.1,培育高价值专利,jj-sti,配合,已完成,绿灯,,100%,2025-06-30,,,"
        "\r\n");
}

TEST_CASE("Tables: the matrix xlsx has a merged title, a frozen header and A4 landscape print",
          "[tables]") {
  const std::string dir = duban::test::TempDir();
  const std::string path = dir + "/分工表.xlsx";
  Status s = WriteMatrixXlsx(BigMatrix(), path);
  INFO(s.ToString());
  REQUIRE(s.ok());

  const std::string sheet = Unzipped(path, "xl/worksheets/sheet1.xml");
  CHECK(Count(sheet, "<row ") == 22);  // title, header, 20 tasks
  CHECK(Count(sheet, FrozenPane(2)) == 1);
  CHECK(Count(sheet, "<mergeCell ref=\"A1:G1\"/>") == 1);
  CHECK(Count(sheet, "<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>") ==
        1);
  CHECK(Count(sheet, "<autoFilter") == 0);
  const std::string strings = Unzipped(path, "xl/sharedStrings.xml");
  for (const char* text : {"九江市知识产权强市建设行动方案 任务分工表", "序号", "任务内容",
                           "完成时限", "培育高价值专利|专利池", "市市场监管局（知识产权局）",
                           "重点任务第20项", "开展\"高价值专利\"培育,形成专利池\n每年发布一次"}) {
    INFO(text);
    CHECK(Count(strings, "<t>" + std::string(text) + "</t>") == 1);
  }
  CHECK(Count(Unzipped(path, "xl/workbook.xml"),
              "<definedName name=\"_xlnm.Print_Titles\" "
              "localSheetId=\"0\">'任务分工表'!$2:$2</definedName>") == 1);

  const std::string dump = OpenpyxlDump(dir, path);
  CHECK(
      dump ==
      "sheets: ['任务分工表']\n"
      "size: 22 x 7\n"
      "freeze: A3\n"
      "merged: ['A1:G1']\n"
      "filter: None\n"
      "print: landscape 9 None 0 True $2:$2\n"  // fitToWidth None: absent, so the default 1
      "widths: [6.7109375, 22.7109375, 23.7109375, 34.7109375, 28.7109375, 20.7109375, "
      "12.7109375]\n"
      "'九江市知识产权强市建设行动方案 任务分工表'! | None | None | None | None | None | None\n"
      "'序号'!~#FFDDEBF7 | '部分'!~#FFDDEBF7 | '重点任务'!~#FFDDEBF7 | '任务内容'!~#FFDDEBF7 | "
      "'牵头单位'!~#FFDDEBF7 | '配合单位'!~#FFDDEBF7 | '完成时限'!~#FFDDEBF7\n"
      "'1.1'~ | '一、强化知识产权创造'~ | '培育高价值专利|专利池'~ | "
      "'开展\"高价值专利\"培育,形成专利池\\n每年发布一次'~ | '市市场监管局（知识产权局）'~ | "
      "'市科技局、市工信局\\n各县（市、区）政府'~ | '2025-12-31'~\n"
      "'1.2'~ | '一、强化知识产权创造'~ | '重点任务第2项'~ | '任务内容第2项：加强知识产权运用'~ | "
      "'市市场监管局（知识产权局）'~ | '市科技局'~ | '2025-02-28'~\n"
      "'1.3'~ | '一、强化知识产权创造'~ | '重点任务第3项'~ | '任务内容第3项：加强知识产权运用'~ | "
      "'市市场监管局（知识产权局）'~ | '市科技局'~ | '2025-03-28'~\n"
      "formats: ['General']\n");
}

TEST_CASE("Tables: the ledger xlsx colours the lights and filters a frozen header", "[tables]") {
  const std::string dir = duban::test::TempDir();
  const std::string path = dir + "/台账.xlsx";
  Status s = WriteLedgerXlsx(BigLedger(), path);
  INFO(s.ToString());
  REQUIRE(s.ok());

  const std::string sheet = Unzipped(path, "xl/worksheets/sheet1.xml");
  CHECK(Count(sheet, "<row ") == 21);  // header, 20 assignments
  CHECK(Count(sheet, FrozenPane(1)) == 1);
  CHECK(Count(sheet, "<autoFilter ref=\"A1:N21\"/>") == 1);
  const std::string strings = Unzipped(path, "xl/sharedStrings.xml");
  for (const char* text : {"方案", "佐证材料", "红灯", "黄灯", "绿灯", "牵头", "配合",
                           "市市场监管局", "逾期15天；连续2期未报送", "第20次报送：按计划推进"}) {
    INFO(text);
    CHECK(Count(strings, "<t>" + std::string(text) + "</t>") == 1);
  }
  const std::string styles = Unzipped(path, "xl/styles.xml");
  for (const char* fill : {"FFF8CBAD", "FFFFE699", "FFC6EFCE"}) {
    INFO(fill);
    CHECK(Count(styles, "<fgColor rgb=\"" + std::string(fill) + "\"/>") == 1);
  }
  CHECK(Count(styles, "formatCode=\"0&quot;%&quot;\"") == 1);

  const std::string dump = OpenpyxlDump(dir, path);
  CHECK(
      dump ==
      "sheets: ['台账']\n"
      "size: 21 x 14\n"
      "freeze: A2\n"
      "merged: []\n"
      "filter: A1:N21\n"
      "print: landscape 9 None 0 True $1:$1\n"
      "widths: [8.7109375, 22.7109375, 6.7109375, 20.7109375, 14.7109375, 6.7109375, 8.7109375, "
      "6.7109375, 25.7109375, 6.7109375, 12.7109375, 12.7109375, 29.7109375, 41.7109375]\n"
      "'方案'!~#FFDDEBF7 | '部分'!~#FFDDEBF7 | '编号'!~#FFDDEBF7 | '任务'!~#FFDDEBF7 | "
      "'责任单位'!~#FFDDEBF7 | '角色'!~#FFDDEBF7 | '状态'!~#FFDDEBF7 | '灯号'!~#FFDDEBF7 | "
      "'原因'!~#FFDDEBF7 | '进度'!~#FFDDEBF7 | '完成时限'!~#FFDDEBF7 | '最近报送'!~#FFDDEBF7 | "
      "'最近进展'!~#FFDDEBF7 | '佐证材料'!~#FFDDEBF7\n"
      "'jj-ip'~ | '一、强化知识产权创造'~ | '1.1'~ | '培育高价值专利'~ | '市市场监管局'~ | '牵头'~ "
      "| "
      "'进行中'~ | '红灯'~#FFF8CBAD | '逾期15天；连续2期未报送'~ | 30 | '2025-06-30'~ | "
      "'2025-06-01'~ | '已召开推进会,印发\"实施细则\"'~ | "
      "'调研报告.pdf (20480 bytes, sha256:ab12)\\n现场照片.jpg (1024 bytes, sha256:cd34)'~\n"
      "'jj-ip'~ | '一、强化知识产权创造'~ | '2.2'~ | '培育高价值专利'~ | '责任单位2'~ | '牵头'~ | "
      "'进行中'~ | '黄灯'~#FFFFE699 | None~ | 10 | '2025-06-30'~ | None~ | "
      "'第2次报送：按计划推进'~ | None~\n"
      "'jj-ip'~ | '一、强化知识产权创造'~ | '2.3'~ | '培育高价值专利'~ | '责任单位3'~ | '配合'~ | "
      "'进行中'~ | '绿灯'~#FFC6EFCE | None~ | 15 | '2025-06-30'~ | None~ | "
      "'第3次报送：按计划推进'~ | None~\n"
      "'jj-ip'~ | '一、强化知识产权创造'~ | '2.4'~ | '培育高价值专利'~ | '责任单位4'~ | '牵头'~ | "
      "'进行中'~ | '红灯'~#FFF8CBAD | None~ | 20 | '2025-06-30'~ | None~ | "
      "'第4次报送：按计划推进'~ | None~\n"
      "formats: ['0\"%\"', 'General']\n");
}

TEST_CASE("Tables: the same model gives the same workbook bytes", "[tables]") {
  const std::string dir = duban::test::TempDir();
  const std::string a = dir + "/a.xlsx", b = dir + "/b.xlsx";
  REQUIRE(WriteLedgerXlsx(BigLedger(), a).ok());
  REQUIRE(WriteLedgerXlsx(BigLedger(), b).ok());
  CHECK(ReadBytes(a) == ReadBytes(b));
  // The creation time is the as-of day, not the clock.
  CHECK(Count(Unzipped(a, "docProps/core.xml"), Created("2025-07-15T00:00:00Z")) == 1);

  REQUIRE(WriteMatrixXlsx(BigMatrix(), a).ok());
  REQUIRE(WriteMatrixXlsx(BigMatrix(), b).ok());
  CHECK(ReadBytes(a) == ReadBytes(b));
  CHECK(Count(Unzipped(a, "docProps/core.xml"), Created("2000-01-01T00:00:00Z")) == 1);
}

TEST_CASE("Tables: an unwritable path is an IoError and nothing is printed", "[tables]") {
  const std::string dir = duban::test::TempDir();
  const std::string missing = dir + "/no-such-dir/表.xlsx";
  StderrCapture capture(dir + "/stderr.txt");
  Status matrix = WriteMatrixXlsx(BigMatrix(), missing);
  Status ledger = WriteLedgerXlsx(BigLedger(), missing);
  Status directory = WriteLedgerXlsx(BigLedger(), dir);
  CHECK(capture.Release() == "");

  CHECK(matrix.code() == Status::Code::kIoError);
  CHECK(matrix.message() == "cannot write " + missing + ": No such file or directory");
  CHECK(ledger.code() == Status::Code::kIoError);
  CHECK(ledger.message() == "cannot write " + missing + ": No such file or directory");
  CHECK(directory.code() == Status::Code::kIoError);
  CHECK(directory.message() == "cannot write " + dir + ": Is a directory");
}

TEST_CASE("Tables: a cell too long for Excel is refused before anything is written", "[tables]") {
  const std::string dir = duban::test::TempDir();
  const std::string path = dir + "/表.xlsx";
  MatrixModel matrix = BigMatrix();
  std::string long_text;
  for (int i = 0; i < 32768; ++i) long_text += "长";
  matrix.rows[2].text = long_text;
  LedgerModel ledger = BigLedger();
  ledger.rows[1].last_note = long_text;

  StderrCapture capture(dir + "/stderr.txt");
  Status m = WriteMatrixXlsx(matrix, path);
  Status l = WriteLedgerXlsx(ledger, path);
  CHECK(capture.Release() == "");
  CHECK(m.code() == Status::Code::kInvalidInput);
  CHECK(m.message() == "row 3 has a cell longer than 32767 characters");
  CHECK(l.code() == Status::Code::kInvalidInput);
  CHECK(l.message() == "row 2 has a cell longer than 32767 characters");
  CHECK_FALSE(std::filesystem::exists(path));

  long_text.pop_back();
  long_text.pop_back();
  long_text.pop_back();  // 32,767 characters: the most a cell holds
  matrix.rows[2].text = long_text;
  CHECK(WriteMatrixXlsx(matrix, path).ok());
}
