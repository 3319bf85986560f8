#include "engine/sheet.h"

#include "engine/xlsx_api.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "engine/date.h"
#include "engine/text.h"

namespace duban {
namespace {

// Columns in the order SheetHeaders() lists them.
enum Column : int {
  kKindCol,
  kPlanCol,
  kIdCol,
  kTitleCol,
  kUnitCol,
  kRoleCol,
  kDueCol,
  kStatusCol,
  kProgressCol,
  kValueCol,
  kAsOfCol,
  kNoteCol,
  kEvidenceCol,
  kColumnCount,
};

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Beyond this many problems the rest are counted, not listed: a wholly wrong file
// (another spreadsheet, a GBK export) would otherwise produce an unreadable wall.
constexpr size_t kMaxProblems = 200;

// The English key of a header: "进度(progress)" → "progress".
std::string_view EnglishKey(std::string_view header) {
  auto open = header.find('(');
  return header.substr(open + 1, header.size() - open - 2);
}

std::string_view ChinesePart(std::string_view header) {
  return header.substr(0, header.find('('));
}

struct Problem {
  int line = 0;  // 0: about the whole file
  int col = 0;
  std::string message;
};

// ---------------------------------------------------------------------------
// RFC 4180 tokenizer. It works on bytes: every structural character (quote, comma,
// CR, LF) is ASCII and never part of a multi-byte UTF-8 sequence, so garbage bytes
// cannot derail it; cells are checked for UTF-8 afterwards.

struct CsvRecord {
  int line = 0;  // physical line the record starts on
  std::vector<std::string> fields;
  std::vector<Problem> problems;  // quoting problems; the fields are then unreliable
};

bool IsLineBreak(char c) { return c == '\r' || c == '\n'; }

std::vector<CsvRecord> SplitCsv(std::string_view t) {
  std::vector<CsvRecord> records;
  const size_t n = t.size();
  size_t i = 0;
  int line = 1;
  // Consumes CRLF, LF or a lone CR at t[i].
  auto skip_line_break = [&] {
    if (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n') ++i;
    ++i;
    ++line;
  };
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    int col = 1;
    for (;;) {
      std::string field;
      if (i < n && t[i] == '"') {
        const int open_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          char c = t[i];
          if (c == '"') {
            if (i + 1 < n && t[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (IsLineBreak(c)) {  // a line break inside a cell is kept as "\n"
            field += '\n';
            skip_line_break();
            continue;
          }
          field += c;
          ++i;
        }
        if (!closed) {
          rec.problems.push_back({open_line, col,
                                  "unterminated quote: the quoted cell starting here runs to "
                                  "the end of the file"});
          rec.fields.push_back(std::move(field));
          records.push_back(std::move(rec));
          return records;
        }
        if (i < n && t[i] != ',' && !IsLineBreak(t[i])) {
          rec.problems.push_back({line, col,
                                  "unexpected text after the closing quote; a quote inside a "
                                  "quoted cell must be doubled (\"\")"});
          while (i < n && t[i] != ',' && !IsLineBreak(t[i])) field += t[i++];
        }
      } else {
        bool stray = false;
        while (i < n && t[i] != ',' && !IsLineBreak(t[i])) {
          if (t[i] == '"' && !stray) {
            stray = true;
            rec.problems.push_back({line, col,
                                    "stray quote in an unquoted cell; a cell containing \" "
                                    "must be quoted, with each \" doubled"});
          }
          field += t[i++];
        }
      }
      rec.fields.push_back(std::move(field));
      if (i >= n) break;
      if (t[i] == ',') {
        ++i;
        ++col;
        continue;
      }
      skip_line_break();
      break;
    }
    records.push_back(std::move(rec));
  }
  return records;
}

// ---------------------------------------------------------------------------
// Cell helpers.

// Strips spaces, tabs, line breaks, no-break and ideographic spaces at both ends.
std::string_view Trim(std::string_view s) {
  auto strip_front = [](std::string_view& v) {
    if (!v.empty() && (v[0] == ' ' || v[0] == '\t' || v[0] == '\r' || v[0] == '\n')) {
      v.remove_prefix(1);
      return true;
    }
    if (v.starts_with("\xE3\x80\x80")) { v.remove_prefix(3); return true; }  // U+3000
    if (v.starts_with("\xC2\xA0")) { v.remove_prefix(2); return true; }      // U+00A0
    return false;
  };
  auto strip_back = [](std::string_view& v) {
    if (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n')) {
      v.remove_suffix(1);
      return true;
    }
    if (v.ends_with("\xE3\x80\x80")) { v.remove_suffix(3); return true; }
    if (v.ends_with("\xC2\xA0")) { v.remove_suffix(2); return true; }
    return false;
  };
  while (strip_front(s)) {}
  while (strip_back(s)) {}
  return s;
}

// Full-width ASCII (as a Chinese input method types it: "５０％") to half-width, and
// ASCII letters to lower case, for matching keywords and reading numbers and dates.
std::string Fold(std::string_view s) {
  std::u32string cps = DecodeUtf8(s);
  for (char32_t& c : cps) {
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
    if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
  }
  return EncodeUtf8(cps);
}

// The English keyword spelling: lower case, with ' ' and '-' as '_' ("In progress").
std::string FoldKeyword(std::string_view s) {
  std::string out = Fold(s);
  for (char& c : out)
    if (c == ' ' || c == '-') c = '_';
  return out;
}

bool IsControl(char32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0); }

std::string CodePointName(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// The first control character in `s` other than those allowed, if any.
std::optional<char32_t> FindControl(std::string_view s, bool allow_newline_tab) {
  for (char32_t c : DecodeUtf8(s)) {
    if (allow_newline_tab && (c == U'\n' || c == U'\t')) continue;
    if (IsControl(c)) return c;
  }
  return std::nullopt;
}

// Accepts YYYY-MM-DD, and the Y/M/D or Y-M-D forms Excel writes back after it has
// recognised a date ("2025/3/1"), returning YYYY-MM-DD; nullopt for any other shape.
std::optional<std::string> NormalizeDateShape(std::string_view s) {
  int parts[3] = {0, 0, 0};
  int digits[3] = {0, 0, 0};
  int part = 0;
  char sep = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (++digits[part] > 4) return std::nullopt;
      parts[part] = parts[part] * 10 + (c - '0');
    } else if ((c == '-' || c == '/') && part < 2 && (sep == 0 || sep == c)) {
      sep = c;
      ++part;
    } else {
      return std::nullopt;
    }
  }
  if (part != 2 || digits[0] != 4 || digits[1] < 1 || digits[1] > 2 || digits[2] < 1 ||
      digits[2] > 2)
    return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
  return std::string(buf);
}

struct StatusWord {
  std::string_view zh, en;
};
constexpr StatusWord kStatusWords[] = {
    {"未开始", "not_started"}, {"进行中", "in_progress"}, {"受阻", "blocked"}, {"已完成", "done"}};
// Words for closure (办结/销号): the office's act, never a unit's report.
constexpr std::string_view kClosureWords[] = {"已办结", "办结", "已销号", "销号", "closed", "close"};

constexpr int kEditableColumns[] = {kStatusCol, kProgressCol, kValueCol,
                                    kAsOfCol,   kNoteCol,     kEvidenceCol};

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// ---------------------------------------------------------------------------
// Header.

struct HeaderMap {
  int line = 0;
  // For each header cell: its Column, or -1 for a cell with an empty header.
  std::vector<int> columns;
  // For each Column: the index of its cell.
  int index[kColumnCount];
};

// The Column `cell` names (whole header, Chinese part or English key), or -1.
int MatchHeader(std::string_view cell) {
  // Each header's accepted spellings, folded once.
  static const std::vector<std::array<std::string, 3>> kForms = [] {
    std::vector<std::array<std::string, 3>> forms;
    for (const std::string& h : SheetHeaders())
      forms.push_back({Fold(NormalizeName(h)), Fold(ChinesePart(h)), std::string(EnglishKey(h))});
    return forms;
  }();
  std::string key = Fold(NormalizeName(Trim(cell)));
  for (int c = 0; c < kColumnCount; ++c) {
    if (std::find(kForms[c].begin(), kForms[c].end(), key) != kForms[c].end()) return c;
  }
  return -1;
}

std::string UnknownColumnMessage(std::string_view cell, const std::vector<bool>& present,
                                 int* suggested) {
  std::vector<std::string> candidates;
  std::vector<int> candidate_column;
  const auto& headers = SheetHeaders();
  for (int c = 0; c < kColumnCount; ++c) {
    if (present[c]) continue;
    for (std::string_view form : {std::string_view(headers[c]), ChinesePart(headers[c]),
                                  EnglishKey(headers[c])}) {
      candidates.emplace_back(form);
      candidate_column.push_back(c);
    }
  }
  std::string m = "unknown column " + Quoted(cell);
  if (auto best = ClosestMatch(Fold(Trim(cell)), candidates)) {
    auto at = std::find(candidates.begin(), candidates.end(), *best) - candidates.begin();
    *suggested = candidate_column[at];
    m += ", did you mean " + Quoted(headers[*suggested]) + "?";
  }
  return m;
}

// Reads the header row into `map`; false (with problems) if it cannot be used.
bool ReadHeader(const CsvRecord& rec, HeaderMap* map, std::vector<Problem>* problems) {
  map->line = rec.line;
  std::fill(std::begin(map->index), std::end(map->index), -1);
  if (!rec.problems.empty()) {
    problems->insert(problems->end(), rec.problems.begin(), rec.problems.end());
    return false;
  }
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    if (auto bad = FindInvalidUtf8(rec.fields[i])) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "0x%02X",
                    static_cast<unsigned char>(rec.fields[i][*bad]));
      problems->push_back({rec.line, static_cast<int>(i) + 1,
                           std::string("the header row is not valid UTF-8 (byte ") + buf +
                               "); if the sheet was saved as GBK, save it again as CSV UTF-8"});
      return false;
    }
  }
  std::vector<bool> present(kColumnCount, false);
  std::vector<size_t> unknown;
  size_t problems_before = problems->size();
  map->columns.assign(rec.fields.size(), -1);
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    std::string_view cell = Trim(rec.fields[i]);
    if (cell.empty()) continue;
    int c = MatchHeader(cell);
    if (c < 0) {
      unknown.push_back(i);
    } else if (present[c]) {
      problems->push_back({rec.line, static_cast<int>(i) + 1,
                           "duplicate column " + Quoted(cell) + "; column " +
                               std::to_string(map->index[c] + 1) + " is already " +
                               SheetHeaders()[c]});
    } else {
      present[c] = true;
      map->columns[i] = c;
      map->index[c] = static_cast<int>(i);
    }
  }
  if (std::none_of(present.begin(), present.end(), [](bool p) { return p; })) {
    std::string expected;
    for (const auto& h : SheetHeaders()) expected += (expected.empty() ? "" : ",") + h;
    problems->resize(problems_before);
    problems->push_back({rec.line, 1, "the first row is not the sheet's header; expected " +
                                          expected});
    return false;
  }
  std::vector<bool> suggested(kColumnCount, false);
  for (size_t i : unknown) {
    int s = -1;
    problems->push_back({rec.line, static_cast<int>(i) + 1,
                         UnknownColumnMessage(Trim(rec.fields[i]), present, &s)});
    if (s >= 0) suggested[s] = true;
  }
  for (int c = 0; c < kColumnCount; ++c) {
    if (!present[c] && !suggested[c])
      problems->push_back({rec.line, 1, "missing column " + SheetHeaders()[c]});
  }
  return problems->size() == problems_before;
}

// ---------------------------------------------------------------------------
// Rows.

class RowReader {
 public:
  RowReader(const CsvRecord& rec, const HeaderMap& header, std::vector<Problem>* problems)
      : rec_(rec), header_(header), problems_(problems) {}

  // Appends the row to `out` unless it is blank, skipped or has problems.
  void Read(std::vector<FilledRow>* out);

 private:
  std::string_view Cell(int c) const { return Trim(rec_.fields[header_.index[c]]); }
  int Col(int c) const { return header_.index[c] + 1; }
  void Report(int c, std::string message) {
    problems_->push_back({rec_.line, Col(c), std::move(message)});
    ok_ = false;
  }
  bool IsRepeatedHeader() const;
  void CheckNoControl(int c);
  void ReadKind(FilledRow* row, bool* known);
  void ReadStatus(FilledRow* row);
  void ReadProgress(FilledRow* row);
  void ReadValue(FilledRow* row);
  void ReadAsOf(FilledRow* row);
  void ReadNote(FilledRow* row);
  void ReadEvidence(FilledRow* row);

  const CsvRecord& rec_;
  const HeaderMap& header_;
  std::vector<Problem>* problems_;
  bool ok_ = true;
};

bool RowReader::IsRepeatedHeader() const {
  if (MatchHeader(rec_.fields[header_.index[kKindCol]]) != kKindCol) return false;  // cheap test
  for (size_t i = 0; i < rec_.fields.size(); ++i) {
    int c = header_.columns[i];
    if (c >= 0 && MatchHeader(rec_.fields[i]) != c) return false;
  }
  return true;
}

void RowReader::CheckNoControl(int c) {
  if (auto cp = FindControl(Cell(c), false)) {
    Report(c, std::string(EnglishKey(SheetHeaders()[c])) + " contains a control character (" +
                  CodePointName(*cp) + ")");
  }
}

void RowReader::ReadKind(FilledRow* row, bool* known) {
  std::string_view cell = Cell(kKindCol);
  std::string word = FoldKeyword(cell);
  *known = true;
  if (word == "任务" || word == "task") {
    row->kind = SheetRowKind::kTask;
  } else if (word == "指标" || word == "indicator") {
    row->kind = SheetRowKind::kIndicator;
  } else {
    *known = false;
    if (cell.empty()) {
      Report(kKindCol, "kind is required: 任务 (task) or 指标 (indicator)");
    } else if (auto best = ClosestMatch(word, {"任务", "task", "指标", "indicator"})) {
      Report(kKindCol, "unknown kind " + Quoted(cell) + ", did you mean " + Quoted(*best) + "?");
    } else {
      Report(kKindCol,
             "unknown kind " + Quoted(cell) + "; expected 任务 (task) or 指标 (indicator)");
    }
  }
}

void RowReader::ReadStatus(FilledRow* row) {
  std::string_view cell = Cell(kStatusCol);
  if (cell.empty()) return;
  std::string word = FoldKeyword(cell);
  for (const auto& s : kStatusWords) {
    if (word == s.zh || word == s.en) {
      row->status = std::string(s.en);
      return;
    }
  }
  for (std::string_view w : kClosureWords) {
    if (word == w) {
      Report(kStatusCol, "status " + Quoted(cell) +
                             " is not for a unit to report: closing a task (办结) is the "
                             "supervising office's decision; report 已完成 (done) instead");
      return;
    }
  }
  std::vector<std::string> candidates;
  for (const auto& s : kStatusWords) {
    candidates.emplace_back(s.zh);
    candidates.emplace_back(s.en);
  }
  if (auto best = ClosestMatch(word, candidates)) {
    Report(kStatusCol, "unknown status " + Quoted(cell) + ", did you mean " + Quoted(*best) + "?");
  } else {
    Report(kStatusCol, "unknown status " + Quoted(cell) +
                           "; expected 未开始, 进行中, 受阻 or 已完成 "
                           "(not_started, in_progress, blocked, done)");
  }
}

void RowReader::ReadProgress(FilledRow* row) {
  std::string_view cell = Cell(kProgressCol);
  if (cell.empty()) return;
  std::string s = Fold(cell);
  std::string_view v = s;
  if (v.ends_with('%')) v.remove_suffix(1);
  int n = -1;
  bool digits = !v.empty() && v.size() <= 3 &&
                std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) std::from_chars(v.data(), v.data() + v.size(), n);
  if (!digits || n < 0 || n > 100) {
    Report(kProgressCol, "progress must be a whole number 0–100, got " + Quoted(cell));
    return;
  }
  row->progress = n;
}

void RowReader::ReadValue(FilledRow* row) {
  std::string_view cell = Cell(kValueCol);
  if (cell.empty()) return;
  std::string s = Fold(cell);
  std::string_view v = s;
  if (v.starts_with('+')) v.remove_prefix(1);
  double d = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !std::isfinite(d)) {
    Report(kValueCol, "value must be a number, got " + Quoted(cell));
    return;
  }
  row->value = d;
}

void RowReader::ReadAsOf(FilledRow* row) {
  std::string_view cell = Cell(kAsOfCol);
  if (cell.empty()) return;
  auto shaped = NormalizeDateShape(Fold(cell));
  if (!shaped) {
    Report(kAsOfCol, "as_of must be a date YYYY-MM-DD, got " + Quoted(cell));
    return;
  }
  int year = std::stoi(shaped->substr(0, 4));
  if (year < 1900 || year > 2999) {
    Report(kAsOfCol, "as_of " + Quoted(cell) + " is outside the years 1900–2999");
    return;
  }
  if (!ParseDate(*shaped)) {
    Report(kAsOfCol, "as_of " + Quoted(cell) + " is not a real date");
    return;
  }
  row->as_of = *shaped;
}

void RowReader::ReadNote(FilledRow* row) {
  const std::string& note = rec_.fields[header_.index[kNoteCol]];
  if (Trim(note).empty()) return;
  std::u32string cps = DecodeUtf8(note);
  if (cps.size() > kMaxNoteChars) {
    Report(kNoteCol, "note is too long: " + std::to_string(cps.size()) + " characters (limit " +
                         std::to_string(kMaxNoteChars) + ")");
  }
  if (auto cp = FindControl(note, true)) {
    Report(kNoteCol, "note contains a control character (" + CodePointName(*cp) +
                         "); only line breaks and tabs are allowed");
  }
  row->note = note;
}

void RowReader::ReadEvidence(FilledRow* row) {
  std::string_view cell = Cell(kEvidenceCol);
  if (cell.empty()) return;
  // Separators: ';', full-width '；' and line breaks (one file per line in a cell).
  std::string_view rest = cell;
  while (!rest.empty()) {
    size_t cut = rest.size(), skip = 0;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == ';' || rest[i] == '\n') { cut = i; skip = 1; break; }
      if (rest.substr(i).starts_with("\xEF\xBC\x9B")) { cut = i; skip = 3; break; }  // '；'
    }
    std::string_view item = Trim(rest.substr(0, cut));
    if (!item.empty()) {
      if (auto cp = FindControl(item, false)) {
        Report(kEvidenceCol,
               "evidence contains a control character (" + CodePointName(*cp) + ")");
        return;
      }
      row->evidence.emplace_back(item);
    }
    rest.remove_prefix(std::min(rest.size(), cut + skip));
  }
}

void RowReader::Read(std::vector<FilledRow>* out) {
  if (!rec_.problems.empty()) {
    problems_->insert(problems_->end(), rec_.problems.begin(), rec_.problems.end());
    return;
  }
  if (std::all_of(rec_.fields.begin(), rec_.fields.end(),
                  [](const std::string& f) { return Trim(f).empty(); }))
    return;  // a blank line, or a row Excel left with only commas
  const size_t want = header_.columns.size();
  if (rec_.fields.size() != want) {
    std::string m = "expected " + std::to_string(want) + " cells as in the header, found " +
                    std::to_string(rec_.fields.size());
    if (rec_.fields.size() > want) m += " (a comma in a cell that is not quoted?)";
    problems_->push_back({rec_.line, static_cast<int>(std::min(want, rec_.fields.size())) + 1, m});
    return;
  }
  bool valid_utf8 = true;
  for (size_t i = 0; i < rec_.fields.size(); ++i) {
    if (auto bad = FindInvalidUtf8(rec_.fields[i])) {
      unsigned byte = static_cast<unsigned char>(rec_.fields[i][*bad]);
      std::string m;
      if (byte == 0) {
        m = "cell contains a NUL byte; save the sheet as CSV UTF-8";
      } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%02X", byte);
        m = std::string("cell is not valid UTF-8 (byte ") + buf +
            "); if the sheet was saved as GBK, save it again as CSV UTF-8";
      }
      problems_->push_back({rec_.line, static_cast<int>(i) + 1, m});
      valid_utf8 = false;
    }
  }
  if (!valid_utf8 || IsRepeatedHeader()) return;  // a header pasted in with a second sheet

  for (size_t i = 0; i < rec_.fields.size(); ++i) {
    if (header_.columns[i] < 0 && !Trim(rec_.fields[i]).empty()) {
      problems_->push_back({rec_.line, static_cast<int>(i) + 1,
                            "this column has no header; leave it empty or move the text into " +
                                SheetHeaders()[kNoteCol]});
      ok_ = false;
    }
  }

  FilledRow row;
  row.line = rec_.line;
  // Skipped only when every editable cell, of either kind, is empty: a value typed on a
  // task row is reported rather than silently dropped.
  bool kind_known = false;
  if (std::all_of(std::begin(kEditableColumns), std::end(kEditableColumns),
                  [&](int c) { return Cell(c).empty(); }) &&
      ok_)
    return;
  ReadKind(&row, &kind_known);
  for (int c : {kPlanCol, kIdCol, kUnitCol}) {
    if (Cell(c).empty()) {
      Report(c, std::string(EnglishKey(SheetHeaders()[c])) + " is required");
    } else {
      CheckNoControl(c);
    }
  }
  row.plan = Cell(kPlanCol);
  row.id = Cell(kIdCol);
  row.unit = Cell(kUnitCol);

  if (kind_known && row.kind == SheetRowKind::kIndicator) {
    for (int c : {kStatusCol, kProgressCol}) {
      if (!Cell(c).empty())
        Report(c, std::string(EnglishKey(SheetHeaders()[c])) +
                      " is for task rows (任务); leave it empty on an indicator row");
    }
  } else {
    ReadStatus(&row);
    ReadProgress(&row);
  }
  if (kind_known && row.kind == SheetRowKind::kTask) {
    for (int c : {kValueCol, kAsOfCol}) {
      if (!Cell(c).empty())
        Report(c, std::string(EnglishKey(SheetHeaders()[c])) +
                      " is for indicator rows (指标); leave it empty on a task row");
    }
  } else {
    ReadValue(&row);
    ReadAsOf(&row);
    if (!Cell(kValueCol).empty() && Cell(kAsOfCol).empty())
      Report(kAsOfCol, "as_of is required with a value: the date the value was measured");
    if (Cell(kValueCol).empty() && !Cell(kAsOfCol).empty())
      Report(kValueCol, "value is empty but as_of is given; fill in both or neither");
  }
  ReadNote(&row);
  ReadEvidence(&row);
  if (ok_) out->push_back(std::move(row));
}

std::string FormatProblems(const std::vector<Problem>& problems, const std::string& name) {
  std::string out;
  size_t shown = std::min(problems.size(), kMaxProblems);
  for (size_t i = 0; i < shown; ++i) {
    const Problem& p = problems[i];
    if (!out.empty()) out += '\n';
    out += name;
    if (p.line > 0) out += ":" + std::to_string(p.line) + ":" + std::to_string(p.col);
    out += ": " + p.message;
  }
  if (problems.size() > shown)
    out += "\n" + name + ": " + std::to_string(problems.size() - shown) + " more problems not shown";
  return out;
}

// ---------------------------------------------------------------------------
// Writing.

std::string_view KindWord(SheetRowKind k) { return k == SheetRowKind::kTask ? "任务" : "指标"; }

// The row's cells in header order.
std::vector<std::string_view> Cells(const TemplateRow& r) {
  return {KindWord(r.kind), r.plan,     r.id,    r.title, r.unit, r.role,    r.due,
          r.status,         r.progress, r.value, r.as_of, r.note, r.evidence};
}

// The widest line of `s` in display columns.
int WidestLine(std::string_view s) {
  int widest = 0;
  while (true) {
    size_t nl = s.find('\n');
    widest = std::max(widest, DisplayWidth(s.substr(0, nl)));
    if (nl == std::string_view::npos) return widest;
    s.remove_prefix(nl + 1);
  }
}

// A finite number written exactly as the cell text, so the workbook holds a number
// (no "number stored as text" marks) that Excel writes back unchanged.
std::optional<double> PlainNumber(std::string_view s) {
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(d))
    return std::nullopt;
  return d;
}

bool IsEditable(SheetRowKind kind, int c) {
  switch (c) {
    case kNoteCol:
    case kEvidenceCol:
      return true;
    case kStatusCol:
    case kProgressCol:
      return kind == SheetRowKind::kTask;
    case kValueCol:
    case kAsOfCol:
      return kind == SheetRowKind::kIndicator;
    default:
      return false;
  }
}

}  // namespace

const std::vector<std::string>& SheetHeaders() {
  static const std::vector<std::string> kHeaders = {
      "类型(kind)",   "方案(plan)",     "编号(id)",     "名称(title)",    "责任单位(unit)",
      "角色(role)",   "完成时限(due)",  "状态(status)", "进度(progress)", "数值(value)",
      "截至日期(as_of)", "进展情况(note)", "佐证材料(evidence)"};
  return kHeaders;
}

std::string RenderTemplateCsv(const std::vector<TemplateRow>& rows) {
  std::string out(kBom);
  std::vector<std::string_view> header(SheetHeaders().begin(), SheetHeaders().end());
  AppendCsvRecord(&out, header);
  for (const TemplateRow& r : rows) AppendCsvRecord(&out, Cells(r));
  return out;
}

Result<std::vector<FilledRow>> ParseFilledCsv(std::string_view text, const std::string& name) {
  if (text.size() > kMaxSheetBytes) {
    return Status::InvalidInput(name + ": the sheet is too large (" + std::to_string(text.size()) +
                                " bytes; limit " + std::to_string(kMaxSheetBytes) + ")");
  }
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    return Status::InvalidInput(name + ": the sheet is UTF-16 (Excel's \"Unicode text\"); "
                                       "save it as CSV UTF-8");
  }
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  std::vector<CsvRecord> records = SplitCsv(text);
  size_t first = 0;
  while (first < records.size() && records[first].problems.empty() &&
         std::all_of(records[first].fields.begin(), records[first].fields.end(),
                     [](const std::string& f) { return Trim(f).empty(); }))
    ++first;
  if (first == records.size())
    return Status::InvalidInput(name + ": the sheet is empty; it needs at least the header row");

  std::vector<Problem> problems;
  HeaderMap header;
  if (!ReadHeader(records[first], &header, &problems))
    return Status::InvalidInput(FormatProblems(problems, name));

  std::vector<FilledRow> rows;
  for (size_t i = first + 1; i < records.size(); ++i) {
    RowReader(records[i], header, &problems).Read(&rows);
  }
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return a.line != b.line ? a.line < b.line : a.col < b.col;
  });
  if (!problems.empty()) return Status::InvalidInput(FormatProblems(problems, name));
  return rows;
}

Status WriteTemplateXlsx(const std::vector<TemplateRow>& rows, const std::string& path) {
  constexpr size_t kMaxRows = 1048575;  // Excel's limit, less the header row
  constexpr size_t kMaxCellChars = 32767;
  if (rows.size() > kMaxRows) {
    return Status::InvalidInput("too many rows for a workbook: " + std::to_string(rows.size()) +
                                " (limit " + std::to_string(kMaxRows) + ")");
  }
  // libxlsxwriter keeps cells to 32,767 characters and prints its own errors to stderr,
  // so what it would refuse is refused here first, with a message of our own.
  for (size_t r = 0; r < rows.size(); ++r) {
    for (std::string_view cell : Cells(rows[r])) {
      if (cell.size() > kMaxCellChars && DecodeUtf8(cell).size() > kMaxCellChars)
        return Status::InvalidInput("row " + std::to_string(r + 1) + " has a cell longer than " +
                                    std::to_string(kMaxCellChars) + " characters");
    }
  }
  bool existed = false;
  auto opened = xl::OpenWorkbook(path, &existed);
  if (!opened.ok()) return opened.status();
  lxw_workbook* wb = *opened;
  lxw_worksheet* ws = xl::workbook_add_worksheet(wb, "填报表");

  constexpr lxw_color_t kHeaderFill = 0xDDEBF7;  // light blue
  constexpr lxw_color_t kEditFill = 0xFFF2CC;    // light yellow
  auto make_format = [&](bool bold, lxw_color_t fill, bool text, bool wrap) {
    lxw_format* f = xl::workbook_add_format(wb);
    if (bold) xl::format_set_bold(f);
    if (fill != 0) {
      xl::format_set_pattern(f, LXW_PATTERN_SOLID);
      xl::format_set_bg_color(f, fill);
    }
    if (text) xl::format_set_num_format(f, "@");  // keeps typed dates and ids as written
    if (wrap) xl::format_set_text_wrap(f);
    xl::format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    xl::format_set_border(f, LXW_BORDER_THIN);
    return f;
  };
  lxw_format* header_format = make_format(true, kHeaderFill, false, true);
  lxw_format* plain = make_format(false, 0, true, true);
  lxw_format* edit_text = make_format(false, kEditFill, true, true);
  lxw_format* edit_number = make_format(false, kEditFill, false, false);

  lxw_error first_error = LXW_NO_ERROR;
  auto check = [&](lxw_error e) {
    if (e != LXW_NO_ERROR && first_error == LXW_NO_ERROR) first_error = e;
  };

  const auto& headers = SheetHeaders();
  std::vector<int> widths(kColumnCount, 0);
  for (int c = 0; c < kColumnCount; ++c) {
    check(xl::worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), headers[c].c_str(),
                                 header_format));
    widths[c] = WidestLine(headers[c]);
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const TemplateRow& row = rows[r];
    const auto cells = Cells(row);
    const lxw_row_t xr = static_cast<lxw_row_t>(r + 1);
    for (int c = 0; c < kColumnCount; ++c) {
      const std::string text(cells[c]);
      const auto xc = static_cast<lxw_col_t>(c);
      widths[c] = std::max(widths[c], WidestLine(text));
      bool editable = IsEditable(row.kind, c);
      auto number = (c == kProgressCol || c == kValueCol) ? PlainNumber(text) : std::nullopt;
      if (number) {
        check(xl::worksheet_write_number(ws, xr, xc, *number, editable ? edit_number : plain));
      } else if (text.empty()) {
        check(xl::worksheet_write_blank(ws, xr, xc, editable ? edit_text : plain));
      } else {
        check(xl::worksheet_write_string(ws, xr, xc, text.c_str(), editable ? edit_text : plain));
      }
    }
  }
  for (int c = 0; c < kColumnCount; ++c) {
    double width = c == kNoteCol ? 40 : std::clamp(widths[c] + 2, 8, 60);
    check(xl::worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width,
                               nullptr));
  }
  xl::worksheet_freeze_panes(ws, 1, 0);
  check(xl::worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(rows.size()), kColumnCount - 1));

  // Drop-down status words and a 0–100 check on progress, over each run of task rows.
  char s0[] = "未开始", s1[] = "进行中", s2[] = "受阻", s3[] = "已完成";
  char* status_list[] = {s0, s1, s2, s3, nullptr};
  char progress_title[] = "进度(progress)";
  char progress_message[] = "请填写 0 到 100 之间的整数";
  lxw_data_validation status_rule{};
  status_rule.validate = LXW_VALIDATION_TYPE_LIST;
  status_rule.value_list = status_list;
  lxw_data_validation progress_rule{};
  progress_rule.validate = LXW_VALIDATION_TYPE_INTEGER;
  progress_rule.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
  progress_rule.minimum_number = 0;
  progress_rule.maximum_number = 100;
  progress_rule.error_title = progress_title;
  progress_rule.error_message = progress_message;
  for (size_t r = 0; r < rows.size();) {
    if (rows[r].kind != SheetRowKind::kTask) {
      ++r;
      continue;
    }
    size_t end = r;
    while (end + 1 < rows.size() && rows[end + 1].kind == SheetRowKind::kTask) ++end;
    auto first = static_cast<lxw_row_t>(r + 1), last = static_cast<lxw_row_t>(end + 1);
    check(xl::worksheet_data_validation_range(ws, first, kStatusCol, last, kStatusCol, &status_rule));
    check(xl::worksheet_data_validation_range(ws, first, kProgressCol, last, kProgressCol,
                                          &progress_rule));
    r = end + 1;
  }

  return xl::CloseWorkbook(wb, first_error, path, existed);
}

}  // namespace duban
