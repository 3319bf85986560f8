// The fill-in sheet a bureau receives (duban template) and sends back (duban update
// --from): one row per open assignment or owned indicator, current state prefilled.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace duban {

enum class SheetRowKind { kTask, kIndicator };

/// One row of a template, as written out.
struct TemplateRow {
  SheetRowKind kind = SheetRowKind::kTask;
  std::string plan;      // plan id
  std::string id;        // task id or indicator id
  std::string title;     // task title or indicator name
  std::string unit;      // unit id
  std::string role;      // 牵头 / 配合 for tasks; empty for indicators
  std::string due;       // task due date or indicator target date, YYYY-MM-DD
  std::string status;    // tasks: 未开始 / 进行中 / 受阻 / 已完成 (prefilled)
  std::string progress;  // tasks: 0–100 (prefilled)
  std::string value;     // indicators: latest actual (prefilled, may be empty)
  std::string as_of;     // indicators: date of that value
  std::string note;      // 进展情况: left empty for the clerk
  std::string evidence;  // 佐证材料: file paths separated by ';' (left empty)
};

/// One filled row read back, before it is checked against the store. `line` is the
/// 1-based line (CSV) or row (xlsx) it came from, for error messages.
struct FilledRow {
  int line = 0;
  SheetRowKind kind = SheetRowKind::kTask;
  std::string plan, id, unit;
  std::optional<std::string> status;  // canonical English: not_started, in_progress, blocked, done
  std::optional<int> progress;
  std::optional<double> value;
  std::string as_of;  // YYYY-MM-DD, validated
  std::string note;
  std::vector<std::string> evidence;  // paths as written
};

/// The column headers, in order. Each header is Chinese with the English key in
/// brackets, e.g. "进度(progress)"; on reading, either the whole header, the Chinese
/// part or the English key is accepted.
const std::vector<std::string>& SheetHeaders();

/// CSV: UTF-8 with a BOM (Excel opens Chinese text correctly), RFC 4180 quoting, CRLF.
std::string RenderTemplateCsv(const std::vector<TemplateRow>& rows);

/// Writes an .xlsx workbook (libxlsxwriter) to `path`: frozen header, column widths that
/// fit Chinese text, wrapped note cells, editable columns highlighted.
Status WriteTemplateXlsx(const std::vector<TemplateRow>& rows, const std::string& path);

/// Parses a filled CSV sheet (with or without BOM; CRLF or LF). Returns every row or,
/// if any row is bad, an InvalidInput status listing every problem as
/// "NAME:LINE:COL: message" lines (NAME is `name`), so nothing is applied.
/// Checks: header present and known; quoting; field count; kind; status words (Chinese
/// or English); progress an integer 0–100; value a number; dates real YYYY-MM-DD; note
/// valid UTF-8 without control characters (except newline and tab) and at most
/// kMaxNoteChars characters. Rows whose editable cells are all empty are skipped.
Result<std::vector<FilledRow>> ParseFilledCsv(std::string_view text, const std::string& name);

inline constexpr size_t kMaxNoteChars = 2000;
inline constexpr size_t kMaxSheetBytes = 8u << 20;

}  // namespace duban
