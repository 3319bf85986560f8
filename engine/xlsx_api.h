// libxlsxwriter, opened when the first workbook is written. Linking it at start would map
// libxlsxwriter, minizip, zlib and libcrypto into every duban process, and relocating them
// costs more than a one-task update does. The header still fixes every type and signature.
#pragma once

#include <xlsxwriter.h>

#include <string>

#include "engine/status.h"

namespace duban::xl {

#define DUBAN_XLSX_FUNCTIONS(X)                                                           \
  X(workbook_new) X(workbook_add_worksheet) X(workbook_add_format)                        \
  X(workbook_set_properties) X(workbook_close) X(lxw_strerror) X(format_set_bold)         \
  X(format_set_text_wrap) X(format_set_align) X(format_set_pattern) X(format_set_bg_color) \
  X(format_set_num_format) X(format_set_border) X(format_set_font_size)                  \
  X(worksheet_write_string) X(worksheet_write_number) X(worksheet_write_blank)            \
  X(worksheet_set_column) X(worksheet_set_row) X(worksheet_freeze_panes)                  \
  X(worksheet_autofilter) X(worksheet_data_validation_range) X(worksheet_merge_range)     \
  X(worksheet_set_landscape) X(worksheet_set_paper) X(worksheet_fit_to_pages)             \
  X(worksheet_repeat_rows)

struct Api {
#define DUBAN_XLSX_POINTER(name) decltype(&::name) name = nullptr;
  DUBAN_XLSX_FUNCTIONS(DUBAN_XLSX_POINTER)
#undef DUBAN_XLSX_POINTER
};

// Opens the library once per process; an error says which package provides it.
Status Load();

// The loaded functions. Call only after Load() succeeded.
const Api& Loaded();

// Same names as the library's own, in this namespace: xl::workbook_new(...).
#define DUBAN_XLSX_FORWARD(name)                                          \
  template <class... Args>                                                \
  inline auto name(Args... args) { return Loaded().name(args...); }
DUBAN_XLSX_FUNCTIONS(DUBAN_XLSX_FORWARD)
#undef DUBAN_XLSX_FORWARD

/// Opens the library, checks that `path` can be written without truncating it (so that
/// libxlsxwriter has nothing to print) and starts a workbook there. *existed says whether
/// a file was there before: CloseWorkbook removes only a file this created.
Result<lxw_workbook*> OpenWorkbook(const std::string& path, bool* existed);

/// Writes and frees the workbook. The first error met while building it (`first_error`)
/// or writing it fails the call, and a file this created is removed.
Status CloseWorkbook(lxw_workbook* wb, lxw_error first_error, const std::string& path, bool existed);

}  // namespace duban::xl
