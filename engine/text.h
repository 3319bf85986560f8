// Text utilities for Chinese output: UTF-8 checks, display width, name matching.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duban {

/// Returns the byte offset of the first byte that is not part of valid UTF-8
/// (overlong forms, surrogates and NUL included), or nullopt if `s` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

/// Decodes valid UTF-8 into code points (invalid bytes become U+FFFD).
std::u32string DecodeUtf8(std::string_view s);
std::string EncodeUtf8(std::u32string_view s);

/// Columns a code point takes in a terminal: 2 for East Asian wide and full-width
/// characters, 0 for combining marks and controls, 1 otherwise.
int CodePointWidth(char32_t c);
/// Columns `s` takes in a terminal.
int DisplayWidth(std::string_view s);
/// Pads `s` with spaces on the right to `width` columns (never truncates).
std::string PadRight(std::string_view s, int width);
/// Cuts `s` to at most `width` columns, ending with "…" when cut.
std::string TruncateToWidth(std::string_view s, int width);

/// Edit distance over code points (insert, delete, substitute, swap two neighbours).
size_t EditDistance(std::string_view a, std::string_view b);
/// The candidate closest to `word` if it is close enough to be a likely typo.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

/// A unit name in a canonical spelling for matching: full-width ASCII becomes
/// half-width, every bracket form (（）〔〕【】[]) becomes (), spaces are dropped.
/// "市市场监管局〔知识产权局〕" and "市市场监管局(知识产权局)" normalise alike.
std::string NormalizeName(std::string_view s);

/// Columns aligned by display width: a header row and rows, each line starting with
/// `indent`, two spaces between columns, the last column not padded.
std::string AlignColumns(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
                         std::string_view indent = "");

/// A number as people read it in a table: up to 4 significant digits.
std::string FormatNumber(double v);

/// Appends one CSV record (RFC 4180 quoting, CRLF).
void AppendCsvRecord(std::string* out, const std::vector<std::string_view>& cells);

/// True for an ASCII slug: [a-z0-9][a-z0-9_-]*.
bool IsSlug(std::string_view s);

}  // namespace duban
