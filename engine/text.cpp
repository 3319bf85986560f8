#include "engine/text.h"

#include <algorithm>
#include <cstdio>

namespace duban {

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c == 0) return i;
    if (c < 0x80) { ++i; continue; }
    int len;
    char32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return i;
    if (i + len > n) return i;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::nullopt;
}

std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > n) { out.push_back(0xFFFD); ++i; continue; }
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    bool bad = false;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) { bad = true; break; }
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (bad) { out.push_back(0xFFFD); ++i; continue; }
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

int CodePointWidth(char32_t c) {
  if (c == 0) return 0;
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || c == 0xFE0F) return 0;
  // East Asian Wide (W) and Fullwidth (F) ranges.
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
      (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
    return 2;
  // Quotation marks and the ellipsis are ambiguous width; terminals in a Chinese
  // locale draw “”‘’… at two columns, but most draw them at one. We take one.
  return 1;
}

int DisplayWidth(std::string_view s) {
  int w = 0;
  for (char32_t c : DecodeUtf8(s)) w += CodePointWidth(c);
  return w;
}

std::string PadRight(std::string_view s, int width) {
  std::string out(s);
  int w = DisplayWidth(s);
  if (w < width) out.append(static_cast<size_t>(width - w), ' ');
  return out;
}

std::string TruncateToWidth(std::string_view s, int width) {
  if (DisplayWidth(s) <= width) return std::string(s);
  std::u32string cps = DecodeUtf8(s), out;
  int w = 0;
  for (char32_t c : cps) {
    int cw = CodePointWidth(c);
    if (w + cw > width - 1) break;
    out.push_back(c);
    w += cw;
  }
  out.push_back(U'…');
  return EncodeUtf8(out);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent transposition ("titel").
  std::u32string x = DecodeUtf8(a), y = DecodeUtf8(b);
  const size_t n = x.size(), m = y.size();
  std::vector<size_t> d((n + 1) * (m + 1));
  auto at = [&](size_t i, size_t j) -> size_t& { return d[i * (m + 1) + j]; };
  for (size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
    }
  }
  return at(n, m);
}

std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  size_t len = DecodeUtf8(word).size();
  size_t limit = std::max<size_t>(1, len / 3);
  std::optional<std::string> best;
  size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    // Cheap length filter before the quadratic distance.
    size_t clen = DecodeUtf8(c).size();
    if ((clen > len ? clen - len : len - clen) > limit) continue;
    size_t d = EditDistance(word, c);
    if (d < best_d) { best_d = d; best = c; }
  }
  return best;
}

std::string NormalizeName(std::string_view s) {
  std::u32string out;
  for (char32_t c : DecodeUtf8(s)) {
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;  // full-width ASCII
    switch (c) {
      case U'〔': case U'【': case U'[': case U'〖': c = U'('; break;
      case U'〕': case U'】': case U']': case U'〗': c = U')'; break;
      case U'、': c = U','; break;
      default: break;
    }
    if (c == U' ' || c == U'\t' || c == 0x3000 || c == U'\n' || c == U'\r') continue;
    out.push_back(c);
  }
  return EncodeUtf8(out);
}

std::string AlignColumns(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
                         std::string_view indent) {
  std::vector<int> w(head.size(), 0);
  for (size_t c = 0; c < head.size(); ++c) w[c] = DisplayWidth(head[c]);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size() && c < w.size(); ++c) w[c] = std::max(w[c], DisplayWidth(r[c]));
  auto line = [&](const std::vector<std::string>& r) {
    std::string s(indent);
    for (size_t c = 0; c < r.size(); ++c) s += c + 1 < r.size() ? PadRight(r[c], w[c]) + "  " : r[c];
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out = line(head);
  for (const auto& r : rows) out += line(r);
  return out;
}

std::string FormatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

void AppendCsvRecord(std::string* out, const std::vector<std::string_view>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    std::string_view s = cells[i];
    // Quoted when it holds a separator, a quote or a line break, or edge spaces a
    // spreadsheet would trim.
    bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                 (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t'));
    if (!quote) {
      out->append(s);
      continue;
    }
    out->push_back('"');
    for (char c : s) {
      if (c == '"') out->push_back('"');
      out->push_back(c);
    }
    out->push_back('"');
  }
  out->append("\r\n");
}

bool IsSlug(std::string_view s) {
  if (s.empty()) return false;
  auto ok_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok_first(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return ok_first(c) || c == '-' || c == '_'; });
}

}  // namespace duban
