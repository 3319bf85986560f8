#include "engine/table_render.h"

#include "engine/xlsx_api.h"

#include <algorithm>
#include <ctime>
#include <string_view>
#include <vector>

#include "engine/date.h"
#include "engine/text.h"

namespace duban {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Written as each workbook's creation time when the model has no date of its own:
// libxlsxwriter would otherwise stamp the current time, and the same model must give
// the same bytes. 2000-01-01T00:00:00Z.
constexpr std::time_t kFixedCreated = 946684800;

const char* RoleLabel(Role r) { return r == Role::kLead ? "牵头" : "配合"; }

// ----- text formats ----------------------------------------------------------------

std::string MarkdownCell(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '|') {
      out += "\\|";
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;  // CRLF is one break
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

void AppendMarkdownRow(std::string* out, const std::vector<std::string_view>& cells) {
  *out += "|";
  for (std::string_view c : cells) *out += " " + MarkdownCell(c) + " |";
  *out += "\n";
}

// RFC 4180: quoted when the cell holds a comma, quote or line break (or starts or ends
// with a blank, which spreadsheets would trim); quotes doubled.
// ----- columns -----------------------------------------------------------------------

const std::vector<std::string_view> kMatrixHeaders = {
    "序号", "部分", "重点任务", "任务内容", "牵头单位", "配合单位", "完成时限"};

std::vector<std::string_view> MatrixCells(const MatrixRow& r) {
  return {r.number, r.section, r.task, r.text, r.lead, r.cooperate, r.due};
}

const std::vector<std::string_view> kLedgerHeaders = {
    "方案", "部分", "编号", "任务",     "责任单位", "角色",     "状态",
    "灯号", "原因", "进度", "完成时限", "最近报送", "最近进展", "佐证材料"};
constexpr int kLedgerLightCol = 7;
constexpr int kLedgerProgressCol = 9;

std::string_view UnitLabel(const LedgerRow& r) {
  return r.unit_name.empty() ? r.unit : r.unit_name;
}

// Cells in kLedgerHeaders order, viewing `r` and `progress` (the progress cell's text),
// which must outlive them.
std::vector<std::string_view> LedgerCells(const LedgerRow& r, const std::string& progress) {
  return {r.plan,  r.section, r.task,   r.title, UnitLabel(r),  RoleLabel(r.role), r.status,
          r.light, r.reasons, progress, r.due,   r.last_report, r.last_note,       r.evidence};
}

std::string ProgressText(int progress) { return std::to_string(progress) + "%"; }

// ----- xlsx --------------------------------------------------------------------------

// The widest line of `s` in display columns (a CJK character counts two, as in Excel).
int WidestLine(std::string_view s) {
  int widest = 0;
  for (;;) {
    size_t nl = s.find('\n');
    widest = std::max(widest, DisplayWidth(s.substr(0, nl)));
    if (nl == std::string_view::npos) return widest;
    s.remove_prefix(nl + 1);
  }
}

// libxlsxwriter keeps cells to 32,767 characters and prints its own error to stderr,
// so an over-long cell is refused here first.
Status CheckCellLength(std::string_view cell, size_t row) {
  constexpr size_t kMaxCellChars = 32767;
  if (cell.size() > kMaxCellChars && DecodeUtf8(cell).size() > kMaxCellChars)
    return Status::InvalidInput("row " + std::to_string(row) + " has a cell longer than " +
                                std::to_string(kMaxCellChars) + " characters");
  return Status::Ok();
}

struct CellStyle {
  bool bold = false, wrap = true, center = false;
  lxw_color_t fill = 0;
  const char* num_format = nullptr;
};

lxw_format* AddFormat(lxw_workbook* wb, const CellStyle& s) {
  lxw_format* f = xl::workbook_add_format(wb);
  if (s.bold) xl::format_set_bold(f);
  if (s.wrap) xl::format_set_text_wrap(f);
  if (s.center) xl::format_set_align(f, LXW_ALIGN_CENTER);
  if (s.fill != 0) {
    xl::format_set_pattern(f, LXW_PATTERN_SOLID);
    xl::format_set_bg_color(f, s.fill);
  }
  if (s.num_format != nullptr) xl::format_set_num_format(f, s.num_format);
  xl::format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  xl::format_set_border(f, LXW_BORDER_THIN);
  return f;
}

constexpr lxw_color_t kHeaderFill = 0xDDEBF7;  // light blue, as the fill-in template

// Width in Excel units for a column whose widest line takes `widest` display columns.
double ColumnWidth(int widest, int min_width, int cap) {
  return std::clamp(widest + 2, min_width, cap);
}

// A4 landscape, one page wide, `header_row` repeated atop every page.
void SetUpPrint(lxw_worksheet* ws, lxw_row_t header_row, lxw_error* first_error) {
  xl::worksheet_set_landscape(ws);
  xl::worksheet_set_paper(ws, 9);  // A4
  xl::worksheet_fit_to_pages(ws, 1, 0);
  lxw_error e = xl::worksheet_repeat_rows(ws, header_row, header_row);
  if (e != LXW_NO_ERROR && *first_error == LXW_NO_ERROR) *first_error = e;
}

}  // namespace

std::string RenderMatrixMarkdown(const MatrixModel& m) {
  std::string out = "# " + (m.plan_title.empty() ? m.plan : m.plan_title) + " 任务分工表\n\n";
  AppendMarkdownRow(&out, {"序号", "重点任务", "牵头单位", "配合单位", "完成时限"});
  out += "| --- | --- | --- | --- | --- |\n";
  for (const MatrixRow& r : m.rows)
    AppendMarkdownRow(&out, {r.number, r.task, r.lead, r.cooperate, r.due});
  return out;
}

std::string RenderMatrixCsv(const MatrixModel& m) {
  std::string out(kBom);
  AppendCsvRecord(&out, kMatrixHeaders);
  for (const MatrixRow& r : m.rows) AppendCsvRecord(&out, MatrixCells(r));
  return out;
}

Status WriteMatrixXlsx(const MatrixModel& m, const std::string& path) {
  const std::string title = (m.plan_title.empty() ? m.plan : m.plan_title) + " 任务分工表";
  if (Status s = CheckCellLength(title, 1); !s.ok()) return s;
  for (size_t r = 0; r < m.rows.size(); ++r) {
    for (std::string_view cell : MatrixCells(m.rows[r]))
      if (Status s = CheckCellLength(cell, r + 1); !s.ok()) return s;
  }
  bool existed = false;
  auto opened = xl::OpenWorkbook(path, &existed);
  if (!opened.ok()) return opened.status();
  lxw_workbook* wb = *opened;
  lxw_error first_error = LXW_NO_ERROR;
  auto check = [&](lxw_error e) {
    if (e != LXW_NO_ERROR && first_error == LXW_NO_ERROR) first_error = e;
  };
  lxw_doc_properties props{};
  props.title = const_cast<char*>(title.c_str());
  props.created = kFixedCreated;
  check(xl::workbook_set_properties(wb, &props));
  lxw_worksheet* ws = xl::workbook_add_worksheet(wb, "任务分工表");

  lxw_format* title_format = xl::workbook_add_format(wb);
  xl::format_set_bold(title_format);
  xl::format_set_font_size(title_format, 16);
  xl::format_set_align(title_format, LXW_ALIGN_CENTER);
  xl::format_set_align(title_format, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* header = AddFormat(wb, {.bold = true, .center = true, .fill = kHeaderFill});
  lxw_format* body = AddFormat(wb, {});
  lxw_format* centered = AddFormat(wb, {.center = true});

  const lxw_col_t last_col = static_cast<lxw_col_t>(kMatrixHeaders.size() - 1);
  check(xl::worksheet_merge_range(ws, 0, 0, 0, last_col, title.c_str(), title_format));
  check(xl::worksheet_set_row(ws, 0, 30, nullptr));
  std::vector<int> widths(kMatrixHeaders.size(), 0);
  for (size_t c = 0; c < kMatrixHeaders.size(); ++c) {
    check(xl::worksheet_write_string(ws, 1, static_cast<lxw_col_t>(c),
                                 std::string(kMatrixHeaders[c]).c_str(), header));
    widths[c] = WidestLine(kMatrixHeaders[c]);
  }
  for (size_t r = 0; r < m.rows.size(); ++r) {
    const auto cells = MatrixCells(m.rows[r]);
    for (size_t c = 0; c < cells.size(); ++c) {
      const bool is_centered = c == 0 || c == cells.size() - 1;  // 序号, 完成时限
      check(xl::worksheet_write_string(ws, static_cast<lxw_row_t>(r + 2), static_cast<lxw_col_t>(c),
                                   std::string(cells[c]).c_str(), is_centered ? centered : body));
      widths[c] = std::max(widths[c], WidestLine(cells[c]));
    }
  }
  // Caps per column: 序号 narrow, 任务内容 wide; longer text wraps.
  constexpr int kMin[] = {6, 10, 16, 30, 10, 10, 12};
  constexpr int kCap[] = {10, 24, 30, 60, 30, 30, 14};
  for (size_t c = 0; c < widths.size(); ++c) {
    auto col = static_cast<lxw_col_t>(c);
    check(xl::worksheet_set_column(ws, col, col, ColumnWidth(widths[c], kMin[c], kCap[c]), nullptr));
  }
  xl::worksheet_freeze_panes(ws, 2, 0);
  SetUpPrint(ws, 1, &first_error);
  return xl::CloseWorkbook(wb, first_error, path, existed);
}

std::string RenderLedgerCsv(const LedgerModel& m) {
  std::string out(kBom);
  AppendCsvRecord(&out, kLedgerHeaders);
  for (const LedgerRow& r : m.rows) AppendCsvRecord(&out, LedgerCells(r, ProgressText(r.progress)));
  return out;
}

Status WriteLedgerXlsx(const LedgerModel& m, const std::string& path) {
  for (size_t r = 0; r < m.rows.size(); ++r) {
    const std::string percent = ProgressText(m.rows[r].progress);
    for (std::string_view cell : LedgerCells(m.rows[r], percent))
      if (Status s = CheckCellLength(cell, r + 1); !s.ok()) return s;
  }
  bool existed = false;
  auto opened = xl::OpenWorkbook(path, &existed);
  if (!opened.ok()) return opened.status();
  lxw_workbook* wb = *opened;
  lxw_error first_error = LXW_NO_ERROR;
  auto check = [&](lxw_error e) {
    if (e != LXW_NO_ERROR && first_error == LXW_NO_ERROR) first_error = e;
  };
  const std::string title = (m.plan_title.empty() ? m.plan : m.plan_title) + " 台账";
  lxw_doc_properties props{};
  props.title = const_cast<char*>(title.c_str());
  // The ledger's as-of day (UTC midnight) as its creation time, so that it is reproducible.
  props.created =
      m.as_of.days() > 0 ? static_cast<std::time_t>(m.as_of.days()) * 86400 : kFixedCreated;
  check(xl::workbook_set_properties(wb, &props));
  lxw_worksheet* ws = xl::workbook_add_worksheet(wb, "台账");

  lxw_format* header = AddFormat(wb, {.bold = true, .center = true, .fill = kHeaderFill});
  lxw_format* body = AddFormat(wb, {});
  lxw_format* centered = AddFormat(wb, {.center = true});
  lxw_format* progress = AddFormat(wb, {.wrap = false, .center = true, .num_format = "0\"%\""});
  struct LightFormat {
    std::string_view label;
    lxw_format* format;
  };
  const LightFormat lights[] = {{"红灯", AddFormat(wb, {.center = true, .fill = 0xF8CBAD})},
                                {"黄灯", AddFormat(wb, {.center = true, .fill = 0xFFE699})},
                                {"绿灯", AddFormat(wb, {.center = true, .fill = 0xC6EFCE})}};
  // Short codes and dates are centred; the rest is text that wraps.
  constexpr bool kCentered[] = {false, false, true, false, false, true,  true,
                                true,  false, true, true,  true,  false, false};
  constexpr int kMin[] = {8, 10, 6, 20, 10, 6, 8, 6, 16, 6, 12, 12, 20, 20};
  constexpr int kCap[] = {16, 24, 10, 40, 30, 6, 10, 8, 40, 8, 12, 12, 50, 50};

  std::vector<int> widths(kLedgerHeaders.size(), 0);
  for (size_t c = 0; c < kLedgerHeaders.size(); ++c) {
    check(xl::worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c),
                                 std::string(kLedgerHeaders[c]).c_str(), header));
    widths[c] = WidestLine(kLedgerHeaders[c]);
  }
  for (size_t r = 0; r < m.rows.size(); ++r) {
    const LedgerRow& row = m.rows[r];
    const std::string percent = ProgressText(row.progress);
    const auto cells = LedgerCells(row, percent);
    const auto xr = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < cells.size(); ++c) {
      const auto xc = static_cast<lxw_col_t>(c);
      widths[c] = std::max(widths[c], WidestLine(cells[c]));
      if (c == kLedgerProgressCol) {
        check(xl::worksheet_write_number(ws, xr, xc, row.progress, progress));
        continue;
      }
      lxw_format* f = kCentered[c] ? centered : body;
      if (c == kLedgerLightCol) {
        for (const LightFormat& l : lights)
          if (l.label == row.light) f = l.format;
      }
      check(xl::worksheet_write_string(ws, xr, xc, std::string(cells[c]).c_str(), f));
    }
  }
  for (size_t c = 0; c < widths.size(); ++c) {
    auto col = static_cast<lxw_col_t>(c);
    check(xl::worksheet_set_column(ws, col, col, ColumnWidth(widths[c], kMin[c], kCap[c]), nullptr));
  }
  xl::worksheet_freeze_panes(ws, 1, 0);
  check(xl::worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(m.rows.size()),
                             static_cast<lxw_col_t>(kLedgerHeaders.size() - 1)));
  SetUpPrint(ws, 0, &first_error);
  return xl::CloseWorkbook(wb, first_error, path, existed);
}

}  // namespace duban
