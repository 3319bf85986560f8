// The two spreadsheets offices keep: the responsibility table (任务分工表) and the
// ledger (台账), as Markdown, CSV and xlsx over their models (engine/reports.h).
#pragma once

#include <string>

#include "engine/reports.h"
#include "engine/status.h"

namespace duban {

/// Markdown table: 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限, `|` escaped, line
/// breaks in cells as <br>.
std::string RenderMatrixMarkdown(const MatrixModel& m);
/// CSV, UTF-8 with a BOM, CRLF, RFC 4180 quoting; same columns plus 任务内容.
std::string RenderMatrixCsv(const MatrixModel& m);
/// xlsx (libxlsxwriter): a title row with the plan's title, a frozen header, column
/// widths that fit Chinese text, wrapped cells, print set up for A4 landscape with the
/// header row repeated on every page. IoError with a clear message on failure.
Status WriteMatrixXlsx(const MatrixModel& m, const std::string& path);

/// CSV and xlsx of every assignment: 方案 部分 编号 任务 责任单位 角色 状态 灯号 原因 进度
/// 完成时限 最近报送 最近进展 佐证材料; the xlsx colours the light cell, freezes the header,
/// has an autofilter and wraps the text columns.
std::string RenderLedgerCsv(const LedgerModel& m);
Status WriteLedgerXlsx(const LedgerModel& m, const std::string& path);

}  // namespace duban
