// Drafting a plan file from the text of an issued work plan. Hand-written scanning over
// code points throughout: no regular expressions, so the work stays bounded on any input.
#include "engine/importer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "engine/date.h"
#include "engine/text.h"

namespace duban {
namespace {

using namespace std::literals;
using U = std::u32string;
using UV = std::u32string_view;

std::string S(UV u) { return EncodeUtf8(u); }
U W(std::string_view s) { return DecodeUtf8(s); }

bool Has(UV s, UV w) { return s.find(w) != UV::npos; }
bool StartsWith(UV s, UV w) { return s.substr(0, w.size()) == w; }
bool EndsWith(UV s, UV w) { return s.size() >= w.size() && s.substr(s.size() - w.size()) == w; }
bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool IsSpace(char32_t c) { return c == U' ' || c == U'\t' || c == U'\r' || c == 0xA0 || c == 0x3000 || c == 0xFEFF; }
bool IsCnNumeral(char32_t c) { return U"一二三四五六七八九十百零〇"sv.find(c) != UV::npos; }
bool IsOpen(char32_t c) { return c == U'(' || c == U'[' || c == U'【' || c == U'〔'; }
bool IsClose(char32_t c) { return c == U')' || c == U']' || c == U'】' || c == U'〕'; }
bool IsListSep(char32_t c) { return c == U'、' || c == U',' || c == U';'; }

U Trim(UV s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return U(s.substr(b, e - b));
}
U TrimPunct(UV s) {
  auto punct = [](char32_t c) { return IsSpace(c) || U"。.,;:、 "sv.find(c) != UV::npos; };
  size_t b = 0, e = s.size();
  while (e > b && punct(s[e - 1])) --e;
  while (b < e && punct(s[b])) ++b;
  return U(s.substr(b, e - b));
}

// Full-width ASCII becomes half-width; odd spaces become plain spaces.
U Canonical(UV in) {
  U out;
  out.reserve(in.size());
  for (char32_t c : in) {
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
    if (c == 0x3000 || c == 0xA0) c = U' ';
    if (c == 0xFEFF) continue;
    if (c == U'－' || c == U'–' || c == U'~' || c == U'～') c = U'-';
    out.push_back(c);
  }
  return out;
}

std::optional<long> ParseInt(UV s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  long v = 0;
  for (char32_t c : s) {
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + (c - U'0');
  }
  return v;
}

int CnNumber(UV s) {
  int total = 0, cur = 0;
  const UV digits = U"零一二三四五六七八九";
  for (char32_t c : s) {
    size_t d = digits.find(c);
    if (c == U'〇') d = 0;
    if (d != UV::npos) cur = static_cast<int>(d);
    else if (c == U'十') { total += (cur == 0 ? 1 : cur) * 10; cur = 0; }
    else if (c == U'百') { total += (cur == 0 ? 1 : cur) * 100; cur = 0; }
  }
  return total + cur;
}

// --- numbering -----------------------------------------------------------------------

struct Marker {
  int level = 0;  // 1 一、 2 (一) 3 1. 4 (1) ①; 0 none
  int number = 0;
  U rest;
};

Marker ReadMarker(UV line) {
  Marker m;
  size_t i = 0;
  if (i < line.size() && IsCnNumeral(line[i])) {
    size_t j = i;
    while (j < line.size() && j - i < 4 && IsCnNumeral(line[j])) ++j;
    if (j < line.size() && line[j] == U'、') {
      m = {1, CnNumber(line.substr(i, j - i)), Trim(line.substr(j + 1))};
      return m;
    }
  }
  if (i < line.size() && (line[i] == U'(')) {
    size_t j = i + 1;
    bool cn = j < line.size() && IsCnNumeral(line[j]);
    bool dg = j < line.size() && IsDigit(line[j]);
    while (j < line.size() && j - i <= 4 && ((cn && IsCnNumeral(line[j])) || (dg && IsDigit(line[j])))) ++j;
    if ((cn || dg) && j < line.size() && line[j] == U')') {
      UV num = line.substr(i + 1, j - i - 1);
      m = {cn ? 2 : 4, cn ? CnNumber(num) : static_cast<int>(ParseInt(num).value_or(0)),
           Trim(line.substr(j + 1))};
      return m;
    }
  }
  if (i < line.size() && IsDigit(line[i])) {
    size_t j = i;
    while (j < line.size() && j - i < 3 && IsDigit(line[j])) ++j;
    if (j < line.size() && (line[j] == U'.' || line[j] == U'、' || line[j] == U'．') &&
        !(j + 1 < line.size() && IsDigit(line[j + 1]))) {
      m = {3, static_cast<int>(ParseInt(line.substr(i, j - i)).value_or(0)), Trim(line.substr(j + 1))};
      return m;
    }
  }
  if (i < line.size() && line[i] >= 0x2460 && line[i] <= 0x2473) {
    m = {4, static_cast<int>(line[i] - 0x2460 + 1), Trim(line.substr(i + 1))};
  }
  return m;
}

// --- the document tree ---------------------------------------------------------------

struct Item {
  int level = 0;
  int number = 0;
  U title;
  U text;
  int parent = -1;
  std::vector<int> children;
  // Filled for table rows, which carry their units in columns.
  bool from_table = false;
  U lead_text, coop_text, due_text;
};

void SplitHeading(UV rest, U& title, U& text) {
  size_t p = rest.find(U'。');
  if (p != UV::npos && p <= 80) {
    title = TrimPunct(rest.substr(0, p));
    text = Trim(rest.substr(p + 1));
  } else if (p == UV::npos && rest.size() <= 50) {
    title = TrimPunct(rest);
    text.clear();
  } else {
    size_t c = rest.find_first_of(U",;");
    if (c == UV::npos || c > 50) c = std::min<size_t>(rest.size(), 30);
    title = TrimPunct(rest.substr(0, c));
    text = U(rest);
  }
}

bool IsTaskPart(UV heading) {
  for (UV k : {U"任务"sv, U"主要行动"sv, U"推进工程"sv, U"重点工作"sv, U"行动计划"sv, U"重点工程"sv,
               U"主要举措"sv, U"工作措施"sv, U"具体措施"sv})
    if (Has(heading, k)) return true;
  return false;
}

// --- units -----------------------------------------------------------------------------

struct UnitOut {
  std::string id;
  U name;
  std::vector<U> aliases;
  std::string kind;
  bool registry = false;
  bool is_office = false;
  std::vector<std::string> members;  // a group's, as the document lists them
  U members_source;
};

std::string KindOf(UV n) {
  if (EndsWith(n, U"法院") || EndsWith(n, U"检察院")) return "judicial";
  if (EndsWith(n, U"大学") || EndsWith(n, U"学院")) return "university";
  if (EndsWith(n, U"人民政府") || EndsWith(n, U"管委会") || EndsWith(n, U"办事处")) return "government";
  if (EndsWith(n, U"协会") || EndsWith(n, U"贸促会") || EndsWith(n, U"科协")) return "association";
  if (EndsWith(n, U"办公室")) return "office";
  if (EndsWith(n, U"成员单位") || EndsWith(n, U"领导小组") || EndsWith(n, U"专班")) return "other";
  return "department";
}

// Whether a unit name carries its own place (佛山市…, 南海区…); the 市 of 市场 is not one.
bool NamesPlace(UV base) {
  for (size_t i = 0; i < base.size(); ++i) {
    if (base[i] == U'市' && i + 1 < base.size() && base[i + 1] == U'场') continue;
    if (base[i] == U'市' || base[i] == U'区' || base[i] == U'县') return true;
  }
  return false;
}

// Splits at depth 0 on 、,; and expands shared prefixes (市发展改革局、教育局 → 市教育局)
// and shared suffixes (南海、顺德、高明区人民政府 → 南海区人民政府 …).
std::vector<U> SplitUnits(UV list) {
  std::vector<std::pair<U, char32_t>> raw;  // item, separator before it
  U cur;
  int depth = 0;
  char32_t sep_before = 0, next_sep = 0;
  for (char32_t c : list) {
    if (IsOpen(c)) ++depth;
    if (IsClose(c) && depth > 0) --depth;
    if (depth == 0 && IsListSep(c)) {
      raw.push_back({Trim(cur), sep_before});
      sep_before = c;
      next_sep = c;
      cur.clear();
      continue;
    }
    cur.push_back(c);
  }
  (void)next_sep;
  raw.push_back({Trim(cur), sep_before});
  std::vector<U> out;
  U prefix;
  for (size_t i = 0; i < raw.size(); ++i) {
    U item = raw[i].first;
    if (StartsWith(item, U"和") || StartsWith(item, U"及")) item.erase(0, 1);
    if (EndsWith(item, U"等")) item.pop_back();
    if (item.empty()) continue;
    char32_t f = item[0];
    bool leveled = (f == U'市' || f == U'区' || f == U'县' || f == U'省' || f == U'各') && !StartsWith(item, U"市场");
    if (raw[i].second != U'、') prefix.clear();
    if (leveled && raw[i].second != U'、') prefix = U(1, f);
    else if (leveled) prefix = U(1, f);
    U base = item.substr(0, item.find_first_of(U"(["));
    bool dept = EndsWith(base, U"局") || EndsWith(base, U"委") || EndsWith(base, U"办") || EndsWith(base, U"厅");
    if (!leveled && !prefix.empty() && raw[i].second == U'、' && dept && !NamesPlace(base) && !Has(base, U"总局"))
      item = prefix + item;
    out.push_back(item);
  }
  // Shared suffix: short bare place names before an item like 高明区人民政府.
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i].size() > 3) continue;
    size_t j = i + 1;
    while (j < out.size() && out[j].size() <= 3) ++j;
    if (j >= out.size()) break;
    const U& full = out[j];
    size_t p = full.find_first_of(U"区县市镇");
    if (p == U::npos || p == 0 || !EndsWith(full, U"政府")) continue;
    U suffix = full.substr(p);
    for (size_t k = i; k < j; ++k) {
      char32_t last = out[k].back();
      if (U"局委府院会办部关"sv.find(last) == UV::npos) out[k] += suffix;
    }
    i = j;
  }
  return out;
}

struct RuleOut {
  std::string role;
  U unit;
  int from = 0, to = 0;
  U source;
};

// Parses "以下3—25项均需各区人民政府配合,不再列出".
std::optional<RuleOut> ReadScopeRule(UV s, UV unit_hint) {
  size_t p = s.find(U"以下");
  if (p == UV::npos) return std::nullopt;
  size_t i = p + 2;
  size_t a = i;
  while (i < s.size() && IsDigit(s[i]) && i - a < 4) ++i;
  auto from = ParseInt(s.substr(a, i - a));
  if (!from || i >= s.size() || U"-—至到"sv.find(s[i]) == UV::npos) return std::nullopt;
  while (i < s.size() && U"-—至到"sv.find(s[i]) != UV::npos) ++i;
  size_t b = i;
  while (i < s.size() && IsDigit(s[i]) && i - b < 4) ++i;
  auto to = ParseInt(s.substr(b, i - b));
  if (!to || i >= s.size() || s[i] != U'项') return std::nullopt;
  RuleOut r;
  r.from = static_cast<int>(*from);
  r.to = static_cast<int>(*to);
  r.role = Has(s, U"牵头") ? "lead" : "cooperate";
  size_t need = s.find(U"需", i);
  size_t end = s.find(r.role == "lead" ? U"牵头" : U"配合", i);
  if (need != UV::npos && end != UV::npos && end > need + 1) r.unit = Trim(s.substr(need + 1, end - need - 1));
  if (!unit_hint.empty()) r.unit = U(unit_hint);
  r.source = U(s);
  return r;
}

struct Responsibility {
  std::vector<U> lead, coop;
  U source;
  bool convention = false;  // first listed taken as lead
  std::vector<RuleOut> rules;
};

// Removes parentheticals holding scope rules from unit items, recording the rules.
void TakeRules(std::vector<U>& items, Responsibility& r) {
  for (U& it : items) {
    size_t p = it.find(U"以下");
    if (p == U::npos) continue;
    size_t open = it.rfind(U'(', p);
    size_t close = it.find(U')', p);
    if (open == U::npos || close == U::npos) continue;
    U base = Trim(it.substr(0, open));
    if (auto rule = ReadScopeRule(UV(it).substr(open + 1, close - open - 1), base)) r.rules.push_back(*rule);
    it = base + it.substr(close + 1);
  }
}

Responsibility ParseClause(UV clause) {
  Responsibility r;
  U c = Trim(clause);
  for (UV label : {U"责任单位"sv, U"责任部门"sv, U"牵头单位"sv, U"负责单位"sv}) {
    if (StartsWith(c, label)) {
      c = Trim(UV(c).substr(label.size()));
      if (!c.empty() && (c[0] == U':' || c[0] == U'：')) c = Trim(UV(c).substr(1));
      break;
    }
  }
  // Find 牵头 at depth 0.
  size_t lead_at = U::npos;
  int depth = 0;
  for (size_t i = 0; i + 1 < c.size(); ++i) {
    if (IsOpen(c[i])) ++depth;
    if (IsClose(c[i]) && depth > 0) --depth;
    if (depth == 0 && c[i] == U'牵' && c[i + 1] == U'头') { lead_at = i; break; }
  }
  if (lead_at != U::npos) {
    r.lead = SplitUnits(UV(c).substr(0, lead_at));
    U rest = TrimPunct(UV(c).substr(lead_at + 2));
    if (EndsWith(rest, U"配合")) rest.resize(rest.size() - 2);
    if (StartsWith(rest, U"单位")) rest = TrimPunct(UV(rest).substr(2));
    if (!rest.empty()) r.coop = SplitUnits(rest);
  } else if (EndsWith(c, U"负责")) {
    r.lead = SplitUnits(UV(c).substr(0, c.size() - 2));
  } else if (EndsWith(c, U"配合")) {
    r.coop = SplitUnits(UV(c).substr(0, c.size() - 2));
  } else {
    auto all = SplitUnits(c);
    if (!all.empty()) {
      r.lead.push_back(all[0]);
      r.coop.assign(all.begin() + 1, all.end());
      r.convention = all.size() > 1;
    }
  }
  TakeRules(r.lead, r);
  TakeRules(r.coop, r);
  auto clean = [](std::vector<U>& v) {
    std::vector<U> out;
    for (U& u : v) {
      U t = TrimPunct(u);
      if (t.size() >= 2 && t.size() <= 40) out.push_back(t);
    }
    v = out;
  };
  clean(r.lead);
  clean(r.coop);
  return r;
}

// Whether a name reads as a unit (市科技局, 九江海关, 中国人民银行九江市分行), not as words
// of a sentence (各地要, 部门).
bool LooksLikeUnit(UV name) {
  if (name.size() < 3 || name.size() > 40) return false;
  for (UV end : {U"局"sv, U"委"sv, U"办"sv, U"部"sv, U"院"sv, U"会"sv, U"府"sv, U"厅"sv, U"署"sv, U"中心"sv,
                 U"公司"sv, U"银行"sv, U"分行"sv, U"海关"sv, U"集团"sv, U"联"sv, U"协"sv, U"校"sv, U"大学"sv,
                 U"所"sv, U"站"sv, U"社"sv, U"馆"sv, U"队"sv, U"处"sv, U"室"sv, U"团"sv})
    if (EndsWith(name, end)) return true;
  // 市市场监管局(市知识产权局): the name before the bracket.
  size_t open = name.find_first_of(U"([〔");
  return open != UV::npos && open > 0 && LooksLikeUnit(name.substr(0, open));
}

// The last sentence of a task, when it names units outside any bracket:
// "市科技局、市市场监管局牵头,市财政局配合。", "由市教育局负责。", "责任单位:市商务局、市财政局。"
std::optional<Responsibility> TrailingResponsibility(U& text) {
  size_t e = text.size();
  while (e > 0 && (text[e - 1] == U'。' || IsSpace(text[e - 1]))) --e;
  size_t b = e;
  while (b > 0 && text[b - 1] != U'。' && text[b - 1] != U'\n' && e - b <= 150) --b;
  if (b == e || e - b > 150 || (b > 0 && text[b - 1] != U'。' && text[b - 1] != U'\n')) return std::nullopt;
  U sentence = Trim(UV(text).substr(b, e - b));
  U clause = sentence;
  if (StartsWith(clause, U"由")) clause.erase(0, 1);
  bool labelled = false;
  for (UV label : {U"责任单位"sv, U"责任部门"sv, U"牵头单位"sv, U"负责单位"sv})
    labelled = labelled || StartsWith(clause, label);
  bool worded = Has(clause, U"牵头") || EndsWith(clause, U"负责");
  if (!labelled && !worded) return std::nullopt;
  Responsibility r = ParseClause(clause);
  if (r.lead.empty()) return std::nullopt;
  for (const auto* list : {&r.lead, &r.coop})
    for (const U& u : *list)
      if (!LooksLikeUnit(u)) return std::nullopt;
  r.source = sentence;
  text = Trim(UV(text).substr(0, b));
  return r;
}

// Finds the responsibility clause in a task's text: the last bracket group at depth 0
// that names units, or 牵头单位:/配合单位: lines. Removes it from `text`.
std::optional<Responsibility> ExtractResponsibility(U& text) {
  struct Group { size_t open, close; };
  std::vector<Group> groups;
  std::vector<size_t> stack;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsOpen(text[i])) stack.push_back(i);
    else if (IsClose(text[i]) && !stack.empty()) {
      size_t o = stack.back();
      stack.pop_back();
      if (stack.empty()) groups.push_back({o, i});
    }
    if (stack.size() > 64) stack.clear();  // unbalanced text: give up on nesting
  }
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
    UV inner = UV(text).substr(it->open + 1, it->close - it->open - 1);
    bool names = StartsWith(inner, U"责任单位") || StartsWith(inner, U"责任部门") ||
                 StartsWith(inner, U"牵头单位") || Has(inner, U"牵头") || EndsWith(inner, U"负责") ||
                 EndsWith(inner, U"配合");
    if (!names || inner.size() > 400) continue;
    Responsibility r = ParseClause(inner);
    if (r.lead.empty() && r.coop.empty()) continue;
    r.source = text.substr(it->open, it->close - it->open + 1);
    text = Trim(U(UV(text).substr(0, it->open)) + U(UV(text).substr(it->close + 1)));
    return r;
  }
  // 牵头单位:X / 配合单位:Y written as lines or sentences.
  size_t lp = text.find(U"牵头单位:");
  if (lp != U::npos) {
    Responsibility r;
    auto value_at = [&](size_t at, size_t label) {
      size_t b = at + label;
      size_t e = b;
      while (e < text.size() && text[e] != U'\n' && text[e] != U'。' && !(text[e] == U'配' && e + 1 < text.size() && text[e + 1] == U'合' && e + 2 < text.size() && text[e + 2] == U'单')) ++e;
      return std::make_pair(Trim(UV(text).substr(b, e - b)), e);
    };
    auto [lv, le] = value_at(lp, 5);
    r.lead = SplitUnits(TrimPunct(lv));
    size_t end = le;
    size_t cp = text.find(U"配合单位:");
    if (cp != U::npos) {
      auto [cv, ce] = value_at(cp, 5);
      r.coop = SplitUnits(TrimPunct(cv));
      end = std::max(end, ce);
    }
    size_t start = cp != U::npos ? std::min(lp, cp) : lp;
    r.source = text.substr(start, end - start);
    text = Trim(U(UV(text).substr(0, start)) + U(UV(text).substr(std::min(end, text.size()))));
    return r;
  }
  return TrailingResponsibility(text);
}

// --- dates and numbers -------------------------------------------------------------------

// Reads the digits just before position `end` (exclusive).
std::optional<long> DigitsBefore(UV s, size_t end, size_t max_len, size_t* start) {
  size_t b = end;
  while (b > 0 && IsDigit(s[b - 1]) && end - b < max_len) --b;
  if (b == end) return std::nullopt;
  if (start) *start = b;
  return ParseInt(s.substr(b, end - b));
}

// The latest deadline written in the text: 2023年底前, 2024年6月底前, 6月底完成.
std::optional<std::pair<Date, U>> FindDeadline(UV s, int default_year) {
  std::optional<std::pair<Date, U>> best;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != U'年' && s[i] != U'月') continue;
    UV after = s.substr(i + 1);
    bool di = StartsWith(after, U"底前") || StartsWith(after, U"底完成") || StartsWith(after, U"前完成") ||
              StartsWith(after, U"底之前") || (s[i] == U'月' && StartsWith(after, U"前"));
    if (!di) continue;
    size_t b = i;
    int year = default_year, month = 12;
    if (s[i] == U'月') {
      auto m = DigitsBefore(s, i, 2, &b);
      if (!m || *m < 1 || *m > 12) continue;
      month = static_cast<int>(*m);
      if (b > 0 && s[b - 1] == U'年') {
        size_t yb;
        if (auto y = DigitsBefore(s, b - 1, 4, &yb); y && *y >= 1990 && *y <= 2100) { year = static_cast<int>(*y); b = yb; }
      }
    } else {
      auto y = DigitsBefore(s, i, 4, &b);
      if (!y || *y < 1990 || *y > 2100) continue;
      year = static_cast<int>(*y);
    }
    auto d = Date::FromCivil(year, month, DaysInMonth(year, month));
    if (!d) continue;
    size_t e = std::min(s.size(), i + 4);
    if (!best || *d > best->first) best = std::make_pair(*d, U(s.substr(b, e - b)));
  }
  return best;
}

const UV kMeasures[] = {U"万户", U"户", U"万件", U"件次", U"亿元", U"万元", U"人次", U"家次", U"万人", U"件", U"家",
                        U"元", U"%", U"个百分点", U"个", U"项", U"所", U"人", U"场", U"次", U"名", U"套", U"条",
                        U"处", U"期", U"座", U"倍"};
// The only measures read after a Chinese numeral (首个, 两家): counts of things built.
const UV kCountMeasures[] = {U"个", U"家", U"项", U"所", U"处", U"座"};
// Words after a counted measure that make it a figure of speech (八个方面), not a target.
const UV kNotCounted[] = {U"方面", U"领域", U"环节", U"层面", U"层次", U"阶段", U"维度", U"重点", U"关键", U"市场",
                          U"一批"};
// Verbs that open a target about things to build or hold ("培育…3家", "举办…10期"): the
// indicator names what is counted, and counts it over the period.
const UV kActionVerbs[] = {U"培育建设", U"培育", U"建设", U"建成", U"建立", U"打造", U"创建", U"新建", U"引导",
                           U"推动", U"举办", U"组织", U"开展", U"深入", U"支持", U"扶持", U"认定", U"设立"};
// Verbs that start the predicate after a counted subject ("80%以上的科技型企业建立…").
const UV kPredicateVerbs[] = {U"建立", U"贯彻", U"开展", U"实现", U"拥有", U"设立", U"通过", U"完成", U"参加",
                              U"参与", U"获得", U"落实", U"执行", U"采用", U"应用", U"使用", U"接受", U"纳入"};

struct IndicatorOut {
  std::string id;
  U name, measure;
  std::string kind = "at_least";
  bool compound = false;
  double value = 0;
  std::optional<double> baseline;
  int baseline_year = 0;
  int year = 0;
  U source;
  int task = -1;
  std::string owner, owner_task;  // a unit id and the task it leads; empty: the office
  bool short_name = false;         // a few characters after an earlier clause: may continue it
};

std::optional<double> ParseNumber(UV s, size_t& i) {
  size_t b = i;
  while (i < s.size() && (IsDigit(s[i]) || (s[i] == U'.' && i + 1 < s.size() && IsDigit(s[i + 1]))) && i - b < 15) ++i;
  if (i == b) return std::nullopt;
  std::string a = S(s.substr(b, i - b));
  char* end = nullptr;
  double v = std::strtod(a.c_str(), &end);
  return v;
}

// A number with its measure: digits (11.58件) or, before a counting measure, a Chinese
// numeral or 首 (首个 = 1, 两家 = 2). `end` is just past the measure.
struct Quantity {
  double value = 0;
  size_t begin = 0, end = 0;
  UV measure;
};

UV MeasureAt(UV s) {
  for (UV m : kMeasures)
    if (StartsWith(s, m)) return m;
  return {};
}

std::optional<Quantity> DigitQuantityAt(UV s, size_t i) {
  if (!IsDigit(s[i]) || (i > 0 && (IsDigit(s[i - 1]) || s[i - 1] == U'.'))) return std::nullopt;
  if (i > 0 && (s[i - 1] == U'第' || s[i - 1] == U'“' || s[i - 1] == U'"')) return std::nullopt;
  size_t j = i;
  auto v = ParseNumber(s, j);
  if (!v) return std::nullopt;
  UV after = s.substr(j);
  for (UV no : {U"年"sv, U"月"sv, U"日"sv, U"·"sv, U"+"sv, U"-"sv})
    if (StartsWith(after, no)) return std::nullopt;
  UV m = MeasureAt(after);
  if (m.empty()) return std::nullopt;
  return Quantity{*v, i, j + m.size(), m};
}

// Whether `before` ends with a verb that takes a count of things ("建立我区首个", "打造两个"):
// a Chinese numeral elsewhere is mostly a figure of speech ("横琴、前海两个合作区").
bool EndsWithCountingVerb(UV before) {
  U b = TrimPunct(before.substr(before.size() > 16 ? before.size() - 16 : 0));
  for (bool changed = true; changed;) {
    changed = false;
    for (UV place : {U"我区"sv, U"我市"sv, U"我县"sv, U"全市"sv, U"全区"sv, U"全县"sv, U"全省"sv, U"全国"sv, U"本市"sv})
      if (EndsWith(b, place)) { b.resize(b.size() - place.size()); changed = true; }
  }
  for (UV v : kActionVerbs)
    if (EndsWith(b, v)) return true;
  for (UV v : {U"新增"sv, U"引进"sv, U"达到"sv, U"突破"sv, U"超过"sv, U"不少于"sv})
    if (EndsWith(b, v)) return true;
  return false;
}

std::optional<Quantity> ChineseQuantityAt(UV s, size_t i) {
  if (i > 0 && (IsCnNumeral(s[i - 1]) || s[i - 1] == U'两' || s[i - 1] == U'第')) return std::nullopt;
  size_t j = i;
  double value = 0;
  if (s[i] == U'首') {
    value = 1;
    j = i + 1;
  } else {
    if (s[i] != U'两' && (!IsCnNumeral(s[i]) || s[i] == U'百' || s[i] == U'零' || s[i] == U'〇')) return std::nullopt;
    while (j < s.size() && j - i < 4 && (IsCnNumeral(s[j]) || s[j] == U'两')) ++j;
    U digits(s.substr(i, j - i));
    for (char32_t& c : digits)
      if (c == U'两') c = U'二';
    value = CnNumber(digits);
    if (value < 2) return std::nullopt;  // 一个, 一项: mostly a figure of speech
  }
  UV after = s.substr(j);
  UV m;
  for (UV c : kCountMeasures)
    if (StartsWith(after, c)) m = c;
  if (m.empty() || !EndsWithCountingVerb(s.substr(0, i))) return std::nullopt;
  for (UV no : kNotCounted)
    if (StartsWith(after.substr(m.size()), no)) return std::nullopt;
  return Quantity{value, i, j + m.size(), m};
}

std::optional<Quantity> QuantityAt(UV s, size_t i) {
  if (auto q = DigitQuantityAt(s, i)) return q;
  return ChineseQuantityAt(s, i);
}

// Strips what surrounds a name in a target clause: 力争, 全市, 到2026年底 before it;
// 达到, 超过, 的 after it. Works on a view, so the cost stays linear.
U StripAffixes(UV name) {
  for (bool changed = true; changed && !name.empty();) {
    changed = false;
    for (UV p : {U"力争"sv, U"全市"sv, U"全区"sv, U"全县"sv, U"我市"sv, U"我区"sv, U"我县"sv, U"本市"sv,
                 U"本区"sv, U"其中"sv, U"实现"sv, U"确保"sv, U"使"sv}) {
      if (StartsWith(name, p)) { name.remove_prefix(p.size()); changed = true; }
    }
    // 在集聚区内…: where, not what.
    if (StartsWith(name, U"在") && name.size() > 5 && name.substr(1, 8).find_first_of(U"内中") != UV::npos) {
      name.remove_prefix(1);
      changed = true;
    }
    if ((StartsWith(name, U"到") || StartsWith(name, U"至")) && name.size() > 5 && IsDigit(name[1])) {
      size_t y = name.find(U'年');
      if (y != UV::npos && y < 7) {
        name.remove_prefix(y + 1);
        if (StartsWith(name, U"年底") || StartsWith(name, U"底")) name.remove_prefix(name[0] == U'底' ? 1 : 2);
        changed = true;
      }
    }
    for (UV p : {U"累计达到"sv, U"增长达到"sv, U"达到"sv, U"累计达"sv, U"超过"sv, U"突破"sv, U"不少于"sv,
                 U"不低于"sv, U"提高到"sv, U"提升至"sv, U"增长"sv, U"保持在"sv, U"稳定在"sv, U"达"sv,
                 U"超"sv, U"为"sv, U"在"sv, U"的"sv, U"有"sv}) {
      if (EndsWith(name, p) && name.size() > p.size()) { name.remove_suffix(p.size()); changed = true; }
    }
  }
  return TrimPunct(name);
}

// Drops the verbs and place words that open a name ("建立我区首个…"); `dropped` tells
// whether a verb went.
U DropActionVerbs(U name, bool& dropped) {
  for (bool changed = true; changed && !name.empty();) {
    changed = false;
    size_t b = 0;
    for (bool more = true; more;) {
      more = false;
      for (UV v : kActionVerbs) {
        if (StartsWith(UV(name).substr(b), v)) {
          b += v.size();
          dropped = changed = more = true;
        }
      }
    }
    U stripped = StripAffixes(UV(name).substr(b));
    if (stripped != name) { name = std::move(stripped); changed = true; }
  }
  // Where an activity is held stays, the verb goes: 中小学校开展知识产权培训 → 中小学校知识产权培训.
  for (UV v : {U"开展"sv, U"举办"sv, U"组织"sv}) {
    size_t p = name.find(v);
    if (p != U::npos && p >= 2 && p + v.size() + 2 <= name.size()) {
      name.erase(p, v.size());
      dropped = true;
      break;
    }
  }
  return name;
}

// Names a target whose number comes first: "科技型企业建立知识产权管理机构和制度" after
// "80%以上的" becomes "建立知识产权管理机构和制度的科技型企业(占比)".
U SubjectFirstName(U rest, bool share) {
  for (UV p : {U"以上的"sv, U"以上"sv, U"左右"sv, U"的"sv})
    if (StartsWith(rest, p)) rest.erase(0, p.size());
  rest = TrimPunct(rest);
  size_t best = U::npos;
  for (UV v : kPredicateVerbs) {
    size_t p = rest.find(v);
    if (p != U::npos && p >= 2 && p + v.size() < rest.size()) best = std::min(best, p);
  }
  if (best == U::npos) return rest;
  return rest.substr(best) + U"的" + rest.substr(0, best) + (share ? U"占比" : U"");
}

enum class Growth { kNone, kAverage, kYearly, kOverPeriod };

// Growth written before a percentage: 年均增长10%, 每年递增10%, 申请增长30%.
Growth GrowthOf(UV before, UV measure) {
  if (measure != U"%") return Growth::kNone;
  for (UV w : {U"年均增长"sv, U"年均递增"sv, U"年平均增长"sv})
    if (Has(before, w)) return Growth::kAverage;
  for (UV w : {U"每年递增"sv, U"每年增长"sv, U"年增长"sv, U"年递增"sv, U"逐年递增"sv})
    if (Has(before, w)) return Growth::kYearly;
  for (UV w : {U"增长"sv, U"递增"sv, U"增速"sv})
    if (Has(before, w)) return Growth::kOverPeriod;
  return Growth::kNone;
}

U GrowthName(U name, Growth g) {
  for (bool changed = true; changed;) {
    changed = false;
    for (UV w : {U"增长率"sv, U"增长"sv, U"递增"sv, U"增速"sv, U"年均"sv, U"平均"sv, U"每年"sv, U"逐年"sv, U"年"sv}) {
      if (EndsWith(name, w) && name.size() > w.size() + 1) {
        name.resize(name.size() - w.size());
        changed = true;
      }
    }
  }
  if (g == Growth::kAverage) return name + U"年均增长率";
  if (g == Growth::kYearly) return name + U"年增长率";
  return name + U"增长率";
}

// Reads one target from a clause such as "每万人口有效发明专利拥有量达11.58件".
std::optional<IndicatorOut> ReadTarget(UV clause) {
  for (size_t i = 0; i < clause.size(); ++i) {
    auto q = QuantityAt(clause, i);
    if (!q) continue;
    // A name is at most 60 characters: a longer run before the number is a sentence.
    if (q->measure == U"倍" || i > 200) return std::nullopt;
    IndicatorOut ind;
    ind.value = q->value;
    ind.measure = U(q->measure);
    UV before_raw = clause.substr(0, i);
    U before = StripAffixes(U(before_raw));
    bool counted_action = before == U"新增" || before == U"培训" || before == U"引进";
    bool action = false;
    if (!counted_action) before = DropActionVerbs(before, action);
    U rest = U(clause.substr(q->end));
    if (before.size() >= 2 && !counted_action) ind.name = before;
    else ind.name = before + SubjectFirstName(rest, q->measure == U"%");
    Growth growth = GrowthOf(before_raw, q->measure);
    if (growth != Growth::kNone) ind.name = GrowthName(ind.name, growth);
    if (growth == Growth::kAverage || growth == Growth::kYearly) {
      ind.kind = "annual_growth";
    } else if (q->measure == U"%") {
      ind.kind = "ratio";
    } else if (action || Has(clause, U"新增") || Has(clause, U"累计") || Has(clause, U"培训") ||
               Has(clause, U"引进")) {
      ind.kind = "cumulative";
    } else if (Has(rest, U"以下") || Has(clause, U"不超过") || Has(clause, U"低于")) {
      ind.kind = "at_most";
    }
    if (ind.kind == "ratio" && ind.value > 100) ind.kind = "at_least";
    if (Has(clause, U"翻番") || Has(clause, U"倍增")) ind.compound = true;
    if (ind.name.size() < 2 || ind.name.size() > 60) return std::nullopt;
    ind.source = TrimPunct(clause);
    return ind;
  }
  return std::nullopt;
}

// "到2026年底实现…" sets the target year of what follows.
int YearContext(UV s, int fallback) {
  int year = fallback;
  for (size_t i = 0; i + 5 < s.size(); ++i) {
    if ((s[i] == U'到' || s[i] == U'至') && IsDigit(s[i + 1])) {
      size_t j = i + 1;
      auto y = ParseInt(s.substr(j, 4));
      if (y && *y >= 1990 && *y <= 2100 && s[j + 4] == U'年') year = static_cast<int>(*y);
    }
  }
  return year;
}

// The year of a "2015年" at `i`, or 0.
int YearAt(UV s, size_t i, size_t* end) {
  size_t j = i;
  auto v = ParseNumber(s, j);
  if (!v || j >= s.size() || s[j] != U'年' || *v < 1990 || *v > 2100 || j - i != 4) return 0;
  *end = j + 1;
  return static_cast<int>(*v);
}

// Where a comparison with a base starts: 较2015年, 比上年, 在2023年底的…基础上, 由…的.
size_t ComparisonStart(UV s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (U"较比在由从"sv.find(s[i]) == UV::npos) continue;
    char32_t n = s[i + 1];
    if (IsDigit(n) || n == U'上' || n == U'现' || n == U'目' || n == U'去') return i;
  }
  return UV::npos;
}

// 翻番 and 倍增 with the base written but not the target:
// "每万人口发明专利拥有量在2023年底的5.79件基础上实现倍增" → 11.58件.
std::optional<IndicatorOut> ReadDoubling(UV clause) {
  double factor = Has(clause, U"翻两番") ? 4 : 2;
  size_t c = ComparisonStart(clause);
  if (c == UV::npos || c > 200) return std::nullopt;
  bool dropped = false;
  U name = DropActionVerbs(StripAffixes(U(clause.substr(0, c))), dropped);
  std::optional<Quantity> base;
  int base_year = 0;
  for (size_t i = c; i < clause.size(); ++i) {
    size_t ye = 0;
    if (int y = YearAt(clause, i, &ye)) { base_year = y; i = ye - 1; continue; }
    auto q = DigitQuantityAt(clause, i);
    if (!q) continue;
    if (base || q->measure == U"倍") return std::nullopt;  // two numbers: not this form
    base = q;
    i = q->end - 1;
  }
  if (!base || name.size() < 2 || name.size() > 60) return std::nullopt;
  IndicatorOut ind;
  ind.name = name;
  ind.measure = U(base->measure);
  ind.value = base->value * factor;
  ind.baseline = base->value;
  ind.baseline_year = base_year;
  ind.compound = true;
  ind.kind = base->measure == U"%" && ind.value <= 100 ? "ratio" : "at_least";
  ind.source = TrimPunct(clause);
  return ind;
}

// Splits a list of names: "每万人发明专利拥有量和发明专利授权量" → two.
std::vector<U> SplitNames(UV list) {
  std::vector<U> out;
  U cur;
  for (size_t i = 0; i < list.size(); ++i) {
    bool sep = list[i] == U'、' || list[i] == U'和' || list[i] == U'及' || list[i] == U'与';
    if (StartsWith(list.substr(i), U"以及")) { sep = true; ++i; }
    if (!sep) { cur.push_back(list[i]); continue; }
    out.push_back(StripAffixes(cur));
    cur.clear();
  }
  out.push_back(StripAffixes(cur));
  // Levels share the noun written once: 国家级、省级众创空间 → 国家级众创空间, 省级众创空间.
  const U& last = out.back();
  size_t level = last.rfind(U'级');
  if (level != U::npos && level + 1 < last.size()) {
    for (size_t k = 0; k + 1 < out.size(); ++k)
      if (EndsWith(out[k], U"级")) out[k] += last.substr(level + 1);
  }
  return out;
}

// "A和B较2015年翻番,分别达到9件以上、857件以上": one target per name, in order. The
// names come before 分别 in the clause, or else from the clause before it.
std::vector<IndicatorOut> ReadRespective(UV clause, UV previous) {
  size_t p = clause.find(U"分别");
  if (p == UV::npos || p > 200 || previous.size() > 400) return {};
  U subject = TrimPunct(clause.substr(0, p));
  U source = TrimPunct(clause);
  if (StripAffixes(subject).empty()) {
    subject = TrimPunct(previous);
    source = subject + U"," + source;
  }
  if (size_t c = ComparisonStart(subject); c != U::npos) subject.resize(c);
  if (subject.empty() || subject.size() > 200) return {};
  std::vector<U> names = SplitNames(subject);
  std::vector<Quantity> values;
  UV tail = clause.substr(p);
  for (size_t i = 0; i < tail.size() && values.size() <= names.size(); ++i) {
    if (auto q = DigitQuantityAt(tail, i)) {
      values.push_back(*q);
      i = q->end - 1;
    }
  }
  if (values.size() < 2 || values.size() != names.size()) return {};
  std::vector<IndicatorOut> out;
  for (size_t k = 0; k < names.size(); ++k) {
    if (names[k].size() < 2 || names[k].size() > 60 || values[k].measure == U"倍") return {};
    IndicatorOut ind;
    ind.name = names[k];
    ind.value = values[k].value;
    ind.measure = U(values[k].measure);
    if (ind.measure == U"%" && ind.value <= 100) ind.kind = "ratio";
    ind.compound = Has(source, U"翻番") || Has(source, U"倍增");
    ind.source = source;
    out.push_back(ind);
  }
  return out;
}

bool HasDoubling(UV s) { return Has(s, U"倍增") || Has(s, U"翻番") || Has(s, U"翻一番") || Has(s, U"翻两番"); }

// Baselines written after the targets they belong to ("…在2023年年底的5.79件、1.53件、
// 29件基础上实现倍增") go to the targets read so far in the sentence, in order.
void ReadBaselines(UV clause, std::vector<IndicatorOut>& out, size_t first) {
  std::vector<double> values;
  int by = 0;
  for (size_t i = 0; i < clause.size(); ++i) {
    if (!IsDigit(clause[i])) continue;
    size_t j = i;
    auto v = ParseNumber(clause, j);
    if (v && j < clause.size() && clause[j] == U'年' && *v >= 1990 && *v <= 2100) by = static_cast<int>(*v);
    else if (v) values.push_back(*v);
    i = j;
  }
  size_t n = out.size() - first;
  if (!values.empty() && values.size() <= n) {
    for (size_t k = 0; k < values.size(); ++k) {
      IndicatorOut& ind = out[out.size() - values.size() + k];
      ind.baseline = values[k];
      ind.baseline_year = by;
    }
  }
  if (HasDoubling(clause))
    for (size_t k = first; k < out.size(); ++k) out[k].compound = true;
}

// Targets in one paragraph; `year` is the target year in force before it.
void ReadTargets(UV para, int& year, int task, std::vector<IndicatorOut>& out) {
  year = YearContext(para, year);
  size_t cb = 0;
  auto add = [&](IndicatorOut ind) {
    ind.year = year;
    ind.task = task;
    ind.short_name = cb > 0 && ind.name.size() <= 4;
    out.push_back(std::move(ind));
  };
  size_t sb = 0;
  while (sb < para.size()) {
    size_t se = para.find_first_of(U"。;", sb);
    if (se == UV::npos) se = para.size();
    UV sentence = para.substr(sb, se - sb);
    size_t first = out.size();
    cb = 0;
    UV previous;
    while (cb <= sentence.size()) {
      size_t ce = sentence.find(U',', cb);
      if (ce == UV::npos) ce = sentence.size();
      UV clause = sentence.substr(cb, ce - cb);
      std::vector<IndicatorOut> several = ReadRespective(clause, previous);
      std::optional<IndicatorOut> doubled;
      if (several.empty() && HasDoubling(clause) && out.size() == first) doubled = ReadDoubling(clause);
      if (!several.empty()) {
        for (auto& ind : several) add(std::move(ind));
      } else if (doubled) {
        add(std::move(*doubled));
      } else if (Has(clause, U"基础上")) {
        ReadBaselines(clause, out, first);
      } else if (auto ind = ReadTarget(clause)) {
        add(std::move(*ind));
      }
      previous = clause;
      if (ce >= sentence.size()) break;
      cb = ce + 1;
    }
    sb = se + 1;
  }
}

// --- YAML writing -----------------------------------------------------------------------

std::string Q(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') { out += '\\'; out += static_cast<char>(c); }
    else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}
std::string Q(UV s) { return Q(S(s)); }

std::string Comment(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

std::string NumberText(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string SlugFrom(std::string_view name) {
  size_t slash = name.find_last_of('/');
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  size_t dot = name.find('.');
  if (dot != std::string_view::npos) name = name.substr(0, dot);
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (ok) out += c;
    else if (!out.empty() && out.back() != '-') out += '-';
    if (out.size() >= 40) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty() || !(out[0] >= 'a' && out[0] <= 'z')) out = "plan" + (out.empty() ? "" : "-" + out);
  return out;
}

// --- the importer -----------------------------------------------------------------------

class Importer {
 public:
  Importer(std::string_view name, const Plan* registry) : name_(name), registry_(registry) {}

  Result<ImportResult> Run(UV text) {
    SplitLines(text);
    ReadMetadata();
    if (!ReadTable() && !ReadTree()) return Status::InvalidInput(std::string(name_) + ": no numbered tasks found");
    FindOffice();
    ReadMemberLists();
    AssignUnits();
    ReadIndicators();
    return Emit();
  }

 private:
  void SplitLines(UV text) {
    size_t b = 0;
    while (b <= text.size()) {
      size_t e = text.find(U'\n', b);
      if (e == UV::npos) e = text.size();
      U line = Trim(text.substr(b, e - b));
      if (!line.empty()) lines_.push_back(line);
      if (e >= text.size()) break;
      b = e + 1;
    }
  }

  // 主送机关: the line after the notice's title that names whom it is sent to and ends
  // with ':' ("各县(市、区)人民政府,市政府各部门:").
  void ReadAddressees() {
    for (size_t i = 0; i < lines_.size() && i < 40; ++i) {
      const U& l = lines_[i];
      if (l.size() < 4 || l.size() > 200 || l.back() != U':' || Has(l, U"。")) continue;
      for (const U& u : SplitUnits(UV(l).substr(0, l.size() - 1))) {
        U name = TrimPunct(u);
        if (name.size() >= 2 && name.size() <= 40) addressees_.push_back(name);
      }
      return;
    }
  }

  void ReadMetadata() {
    ReadAddressees();
    for (const U& l : lines_) {
      if (title_.empty()) {
        size_t p = l.find(U"关于印发");
        size_t q = l.find(U"的通知");
        if (p != U::npos && q != U::npos && q > p + 4) {
          title_ = Trim(UV(l).substr(p + 4, q - p - 4));
          U iss = U(UV(l).substr(0, p));
          size_t cut = iss.find_last_of(U"> :");
          if (cut != U::npos) iss = iss.substr(cut + 1);
          issuer_ = Trim(iss);
        } else if (p == U::npos && StartsWith(l, U"关于") && q != U::npos && q > 2) {
          title_ = Trim(UV(l).substr(2, q - 2));
        }
      }
      if (doc_number_.empty()) FindDocNumber(l);
      if (!issued_) {
        if (auto d = StandaloneDate(l)) issued_ = d;
        size_t c = l.find(U"成文日期:");
        if (c != U::npos) {
          U rest = Trim(UV(l).substr(c + 5));
          if (rest.size() >= 10) issued_ = ParseDate(S(UV(rest).substr(0, 10)));
        }
      }
      if (lines_ready_ > 4000) break;
    }
    if (!title_.empty()) {
      if (title_.front() == U'《' && title_.back() == U'》') title_ = title_.substr(1, title_.size() - 2);
    }
    if (title_.empty()) {
      for (const U& l : lines_) {
        size_t a = l.find(U'《');
        size_t b = l.find(U'》');
        if (a != U::npos && b != U::npos && b > a + 1 && (Has(l, U"方案") || Has(l, U"计划"))) {
          title_ = l.substr(a + 1, b - a - 1);
          break;
        }
      }
    }
    if (title_.empty() && !lines_.empty()) title_ = lines_[0].substr(0, 60);
    // Period: (2024-2026年) in the title.
    int y1 = 0, y2 = 0;
    for (size_t i = 0; i + 9 < title_.size() + 1 && i + 4 <= title_.size(); ++i) {
      auto a = ParseInt(UV(title_).substr(i, 4));
      if (!a || (i > 0 && IsDigit(title_[i - 1]))) continue;
      size_t j = i + 4;
      if (j >= title_.size() || U"-—至到"sv.find(title_[j]) == UV::npos) continue;
      while (j < title_.size() && U"-—至到"sv.find(title_[j]) != UV::npos) ++j;
      if (j + 4 > title_.size()) continue;
      auto b = ParseInt(UV(title_).substr(j, 4));
      if (b && *a >= 1990 && *b >= *a && *b <= 2100) { y1 = static_cast<int>(*a); y2 = static_cast<int>(*b); break; }
    }
    if (issued_ && (issued_->year() < 1990 || issued_->year() > 2100)) issued_.reset();
    if (y1 == 0) {
      y1 = issued_ ? issued_->year() : 2024;
      y2 = YearContext(JoinAll(), y1);
      if (y2 < y1) y2 = y1;
      if (y2 == y1) { y2 = y1 + 2; period_guessed_ = true; }
    }
    start_ = (issued_ && issued_->year() == y1) ? *issued_ : *Date::FromCivil(y1, 1, 1);
    end_ = *Date::FromCivil(y2, 12, 31);
    if (issued_ && *issued_ > end_) issued_.reset();
  }

  U JoinAll() const {
    U all;
    for (const U& l : lines_) { all += l; all += U'\n'; if (all.size() > 200000) break; }
    return all;
  }

  void FindDocNumber(UV l) {
    size_t p = l.find(U'〔');
    if (p == UV::npos) return;
    size_t q = l.find(U'〕', p);
    if (q == UV::npos || q != p + 5 || !ParseInt(l.substr(p + 1, 4))) return;
    size_t i = q + 1;
    while (i < l.size() && IsSpace(l[i])) ++i;
    size_t nb = i;
    while (i < l.size() && IsDigit(l[i]) && i - nb < 5) ++i;
    if (i == nb || i >= l.size() || l[i] != U'号') return;
    size_t b = p;
    while (b > 0 && p - b < 8 && l[b - 1] >= 0x4E00 && l[b - 1] <= 0x9FFF) --b;
    if (b == p) return;
    doc_number_ = U(l.substr(b, q + 1 - b)) + U(l.substr(nb, i - nb)) + U"号";
  }

  static std::optional<Date> StandaloneDate(UV l) {
    size_t y = l.find(U'年'), m = l.find(U'月'), d = l.find(U'日');
    if (y != 4 || m == UV::npos || d == UV::npos || d + 1 != l.size() || l.size() > 11) return std::nullopt;
    auto yy = ParseInt(l.substr(0, 4));
    auto mm = ParseInt(l.substr(y + 1, m - y - 1));
    auto dd = ParseInt(l.substr(m + 1, d - m - 1));
    if (!yy || !mm || !dd) return std::nullopt;
    return Date::FromCivil(static_cast<int>(*yy), static_cast<int>(*mm), static_cast<int>(*dd));
  }

  // A table pasted as text: a header with 工作任务 and 牵头单位, cells split by tabs,
  // '|' or runs of two or more spaces.
  static std::vector<U> Cells(UV l) {
    std::vector<U> out;
    U cur;
    for (size_t i = 0; i < l.size(); ++i) {
      bool sep = l[i] == U'\t' || l[i] == U'|' || (l[i] == U' ' && i + 1 < l.size() && l[i + 1] == U' ');
      if (sep) {
        while (i + 1 < l.size() && (l[i + 1] == U' ' || l[i + 1] == U'\t')) ++i;
        out.push_back(Trim(cur));
        cur.clear();
      } else cur.push_back(l[i]);
    }
    out.push_back(Trim(cur));
    std::vector<U> nonempty;
    for (auto& c : out) if (!c.empty()) nonempty.push_back(c);
    return nonempty;
  }

  bool ReadTable() {
    for (size_t h = 0; h < lines_.size(); ++h) {
      if (!Has(lines_[h], U"牵头单位") || !(Has(lines_[h], U"任务") || Has(lines_[h], U"事项"))) continue;
      auto head = Cells(lines_[h]);
      if (head.size() < 3) continue;
      int ct = -1, cl = -1, cc = -1, cd = -1, cn = -1;
      for (size_t i = 0; i < head.size(); ++i) {
        const U& c = head[i];
        int k = static_cast<int>(i);
        if (Has(c, U"序号")) cn = k;
        else if (Has(c, U"牵头")) cl = k;
        else if (Has(c, U"配合") || Has(c, U"协同")) cc = k;
        else if (Has(c, U"时限") || Has(c, U"时间")) cd = k;
        else if (Has(c, U"任务") || Has(c, U"事项") || Has(c, U"内容")) ct = k;
      }
      if (ct < 0 || cl < 0) continue;
      for (size_t r = h + 1; r < lines_.size(); ++r) {
        auto cells = Cells(lines_[r]);
        if (cells.size() != head.size()) continue;
        Item it;
        it.level = 3;
        it.from_table = true;
        it.number = cn >= 0 ? static_cast<int>(ParseInt(cells[cn]).value_or(0)) : 0;
        SplitHeading(cells[ct], it.title, it.text);
        if (it.text.empty()) it.text = cells[ct];
        it.lead_text = cells[cl];
        if (cc >= 0 && cells[cc] != U"-" && cells[cc] != U"/" && cells[cc] != U"无") it.coop_text = cells[cc];
        if (cd >= 0) it.due_text = cells[cd];
        if (it.title.empty()) continue;
        roots_.push_back(static_cast<int>(items_.size()));
        items_.push_back(it);
      }
      if (!roots_.empty()) {
        notes_.push_back("read the task list as a table (header: " + S(lines_[h]) + ")");
        return true;
      }
    }
    return false;
  }

  bool ReadTree() {
    // Task parts: 一、 headings whose words name tasks; each runs to the next 一、 heading.
    std::vector<std::pair<size_t, size_t>> parts;
    std::vector<U> part_titles;
    for (size_t i = 0; i < lines_.size(); ++i) {
      Marker m = ReadMarker(lines_[i]);
      if (m.level != 1) continue;
      if (!parts.empty() && parts.back().second == lines_.size()) parts.back().second = i;
      if (IsTaskPart(m.rest)) {
        parts.push_back({i + 1, lines_.size()});
        part_titles.push_back(TrimPunct(m.rest));
      } else {
        skipped_parts_.push_back(S(TrimPunct(m.rest)));
      }
    }
    if (parts.empty()) {
      notes_.push_back("no task part (重点任务, 主要任务, 任务分工 …) found: reading every numbered item");
      parts.push_back({0, lines_.size()});
      part_titles.push_back(U"任务");
    }
    std::vector<std::vector<int>> part_roots(parts.size());
    for (size_t p = 0; p < parts.size(); ++p) {
      std::vector<int> stack;
      int current = -1;
      for (size_t i = parts[p].first; i < parts[p].second; ++i) {
        Marker m = ReadMarker(lines_[i]);
        if (m.level >= 2 && m.level <= 3 && !m.rest.empty()) {
          Item it;
          it.level = m.level;
          it.number = m.number;
          SplitHeading(m.rest, it.title, it.text);
          while (!stack.empty() && items_[stack.back()].level >= it.level) stack.pop_back();
          int id = static_cast<int>(items_.size());
          it.parent = stack.empty() ? -1 : stack.back();
          items_.push_back(it);
          if (it.parent >= 0) items_[it.parent].children.push_back(id);
          else part_roots[p].push_back(id);
          stack.push_back(id);
          current = id;
        } else if (current >= 0) {
          U& t = items_[current].text;
          if (!t.empty()) t += (m.level == 4 ? U"\n" : U"");
          t += lines_[i];
        }
        if (items_.size() > 20000) break;
      }
    }
    // Several task parts: a part whose items are all tasks becomes a section itself.
    for (size_t p = 0; p < parts.size(); ++p) {
      bool all_leaves = std::all_of(part_roots[p].begin(), part_roots[p].end(),
                                    [&](int r) { return items_[r].children.empty(); });
      if (parts.size() > 1 && all_leaves && !part_roots[p].empty()) {
        Item sec;
        sec.level = 1;
        sec.title = part_titles[p];
        int id = static_cast<int>(items_.size());
        sec.children = part_roots[p];
        items_.push_back(sec);
        for (int c : items_[id].children) items_[c].parent = id;
        roots_.push_back(id);
      } else {
        roots_.insert(roots_.end(), part_roots[p].begin(), part_roots[p].end());
      }
    }
    // Sections without tasks are tasks themselves (a heading that only introduces text).
    return !roots_.empty();
  }

  void FindOffice() {
    U all = JoinAll();
    if (registry_ && !registry_->office.id.empty()) {
      office_id_ = registry_->office.id;
    }
    if (registry_) {
      for (const Unit& u : registry_->units)
        if (u.kind == UnitKind::kOffice && office_id_.empty()) office_id_ = u.id;
    }
    for (UV g : {U"工作专班"sv, U"领导小组"sv, U"联席会议"sv}) {
      size_t p = all.find(g);
      while (p != U::npos && office_name_.empty()) {
        size_t b = p;
        while (b > 0 && p - b < 40 && all[b - 1] >= 0x4E00 && all[b - 1] <= 0x9FFF) --b;
        U name = all.substr(b, p + g.size() - b);
        for (UV cut : {U"成立"sv, U"组建"sv, U"设立"sv, U"发挥"sv, U"依托"sv}) {
          size_t c = name.rfind(cut);
          if (c != U::npos) name = name.substr(c + cut.size());
        }
        if (name.size() > g.size() + 1) office_name_ = name + U"办公室";
        p = all.find(g, p + g.size());
      }
      if (!office_name_.empty()) break;
    }
    if (office_name_.empty()) office_name_ = U"方案牵头办公室";
    if (!office_id_.empty()) {
      if (const Unit* u = registry_->FindUnit(office_id_)) {
        AddRegistryUnit(*u);
        units_[office_id_].is_office = true;
      }
      return;
    }
    office_id_ = "office";
    UnitOut u;
    u.id = office_id_;
    u.name = office_name_;
    u.kind = "office";
    u.is_office = true;
    units_[u.id] = u;
    order_.push_back(u.id);
    by_norm_[NormalizeName(S(office_name_))] = u.id;
  }

  // Member lists, usually under 保障措施: "成立X工作专班,A、B、C等相关部门为专班成员单位"
  // or "成员单位包括:A、B、C". Each makes X工作专班成员单位 a group of A, B, C.
  void ReadMemberLists() {
    for (const U& line : lines_) {
      if (line.size() > 20000) continue;
      for (size_t p = line.find(U"成员单位"); p != U::npos; p = line.find(U"成员单位", p + 4)) {
        U group, list;
        if (!MemberListBefore(line, p, group, list) && !MemberListAfter(line, p, group, list)) continue;
        AddGroup(group, list);
        if (units_.size() > 10000) return;
      }
    }
  }

  // "A、B等相关部门为专班成员单位": the list ends at 为, the group is named before it.
  static bool MemberListBefore(UV line, size_t p, U& group, U& list) {
    size_t w = p;
    while (w > 0 && p - w < 20 && line[w - 1] != U'为' && U",。;:、()"sv.find(line[w - 1]) == UV::npos) --w;
    if (w == 0 || line[w - 1] != U'为') return false;
    U short_name = U(line.substr(w, p - w));
    size_t b = w - 1;
    int depth = 0;
    while (b > 0 && w - b < 600) {
      char32_t c = line[b - 1];
      if (IsClose(c)) ++depth;
      if (IsOpen(c) && depth > 0) --depth;
      if (depth == 0 && U",。;:"sv.find(c) != UV::npos) break;
      --b;
    }
    list = TrimPunct(line.substr(b, w - 1 - b));
    for (UV tail : {U"等相关部门"sv, U"等有关部门"sv, U"等相关单位"sv, U"等有关单位"sv, U"等部门"sv, U"等单位"sv, U"等"sv})
      if (EndsWith(list, tail)) { list.resize(list.size() - tail.size()); break; }
    // The body set up just before ("成立X工作专班,") names the group in full.
    group = short_name + U"成员单位";
    size_t set_up = line.rfind(U"成立", b);
    if (set_up != UV::npos && b - set_up < 80) {
      U body = TrimPunct(line.substr(set_up + 2, b - set_up - 2));
      if (!short_name.empty() && EndsWith(body, short_name) && body.size() <= 40) group = body + U"成员单位";
    }
    return short_name.size() <= 20 && !list.empty();
  }

  // "领导小组成员单位包括:A、B、C。"
  static bool MemberListAfter(UV line, size_t p, U& group, U& list) {
    size_t i = p + 4;
    bool introduced = false;
    for (UV w : {U"包括"sv, U"为"sv, U"有"sv}) {
      if (StartsWith(line.substr(i), w)) { i += w.size(); introduced = true; break; }
    }
    if (i < line.size() && line[i] == U':') { ++i; introduced = true; }
    if (!introduced) return false;
    size_t e = line.find_first_of(U"。;", i);
    if (e == UV::npos) e = line.size();
    list = TrimPunct(line.substr(i, e - i));
    if (EndsWith(list, U"等")) list.pop_back();
    size_t b = p;
    while (b > 0 && p - b < 40 && U",。;:、()"sv.find(line[b - 1]) == UV::npos) --b;
    group = U(line.substr(b, p + 4 - b));
    return group.size() > 4 && !list.empty();
  }

  void AddGroup(const U& group, const U& list) {
    if (!listed_groups_.insert(group).second) return;  // the first list of a group holds
    std::vector<U> names = SplitUnits(list);
    if (names.size() < 2 || names.size() > 200) return;
    std::string gid = UnitId(group);
    UnitOut* g = &units_[gid];
    if (g->registry || !g->members.empty()) return;
    std::vector<std::string> members;
    for (const U& n : names) {
      U name = TrimPunct(n);
      if (name.size() < 2 || name.size() > 40) continue;
      std::string id = UnitId(name);
      if (id != gid && std::find(members.begin(), members.end(), id) == members.end()) members.push_back(id);
    }
    if (members.size() < 2) return;
    g = &units_[gid];  // UnitId may have grown the map
    g->kind = "group";
    g->members = members;
    g->members_source = U"as listed, " + list;
  }

  // 各区人民政府, 各县(市、区)人民政府 stand for the local governments of those levels: the
  // ones the document names (南海区人民政府 …) become the group's members, for the office
  // to complete. With fewer than two named, the name stays a single unit.
  void GroupLocalGovernments() {
    for (const std::string& gid : order_) {
      UnitOut& g = units_[gid];
      if (g.registry || !g.members.empty() || !StartsWith(g.name, U"各") || !EndsWith(g.name, U"人民政府")) continue;
      U levels;
      for (char32_t c : UV(g.name).substr(1, g.name.size() - 5))
        if (U"省市县区镇乡"sv.find(c) != UV::npos) levels.push_back(c);
      if (levels.empty()) continue;
      std::vector<std::string> members;
      for (const std::string& id : order_) {
        const UnitOut& u = units_[id];
        if (id == gid || StartsWith(u.name, U"各") || !EndsWith(u.name, U"人民政府") || u.name.size() < 6) continue;
        if (levels.find(u.name[u.name.size() - 5]) == U::npos) continue;
        members.push_back(id);
      }
      if (members.size() < 2) continue;
      g.kind = "group";
      g.members = members;
      g.members_source = U"the local governments of that level named in the document; add any it leaves out";
    }
  }

  void AddRegistryUnit(const Unit& u) {
    if (units_.count(u.id)) return;
    if (units_.size() > 10000) return;
    UnitOut o;
    o.id = u.id;
    o.name = W(u.name);
    for (const auto& a : u.aliases) o.aliases.push_back(W(a));
    o.kind = ToString(u.kind);
    o.registry = true;
    units_[u.id] = o;
    order_.push_back(u.id);
    for (const Ref& m : u.members)
      if (const Unit* mu = registry_->FindUnit(m.id.empty() ? m.text : m.id)) AddRegistryUnit(*mu);
  }

  // Returns the id of a unit named `name`, inventing one (u01, u02 …) if it is new.
  std::string UnitId(const U& name) {
    std::string norm = NormalizeName(S(name));
    auto it = by_norm_.find(norm);
    if (it != by_norm_.end()) {
      UnitOut& u = units_[it->second];
      if (!u.registry && u.name != name &&
          std::find(u.aliases.begin(), u.aliases.end(), name) == u.aliases.end())
        u.aliases.push_back(name);
      return it->second;
    }
    if (registry_) {
      if (auto r = registry_->ResolveUnit(S(name)); r.ok()) {
        if (const Unit* u = registry_->FindUnit(*r)) AddRegistryUnit(*u);
        by_norm_[norm] = *r;
        return *r;
      }
      unmatched_.insert(S(name));
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "u%02d", ++invented_);
    UnitOut u;
    u.id = buf;
    u.name = name;
    u.kind = KindOf(name);
    units_[u.id] = u;
    order_.push_back(u.id);
    by_norm_[norm] = u.id;
    return u.id;
  }

  struct TaskOut {
    int item = -1;
    std::string id;
    std::vector<std::string> lead, coop;
    U source;
    bool office_decision = false;
    std::vector<std::string> comments;
    std::optional<Date> due;
    std::vector<std::string> indicators;
  };

  void AssignUnits() {
    // Ids: numbers that run on across sections (Foshan 1–29) are kept as task ids.
    bool running = false;
    int sections = 0;
    for (int r : roots_) {
      if (items_[r].children.empty()) continue;
      ++sections;
      const Item& first = items_[items_[r].children.front()];
      if (sections > 1 && first.level == 3 && first.number > 1) running = true;
    }
    std::set<std::string> used;
    int leaf_no = 0;
    std::function<void(int, const std::string&, int)> walk = [&](int idx, const std::string& path, int depth) {
      const Item& it = items_[idx];
      TaskOut t;
      t.item = idx;
      t.id = path;
      if (it.children.empty() && running && it.number > 0 && !used.count(std::to_string(it.number)))
        t.id = std::to_string(it.number);
      else if (!it.children.empty() && running)
        t.id = "s" + path;
      if (used.count(t.id)) t.id = path + "-" + std::to_string(tasks_.size());
      used.insert(t.id);
      size_t me = tasks_.size();
      tasks_.push_back(t);
      if (it.children.empty() || depth >= 6) {
        ++leaf_no;
        leaf_ids_.push_back(t.id);
        FillLeaf(me);
        return;
      }
      int k = 0;
      for (int c : it.children) walk(c, path + "." + std::to_string(++k), depth + 1);
    };
    int k = 0;
    for (int r : roots_) walk(r, std::to_string(++k), 0);
    (void)leaf_no;
    if (!leaf_ids_.empty() && no_unit_.size() == leaf_ids_.size()) AddresseeCooperates();
    GroupLocalGovernments();
    // Scope rules name tasks by their place in the document.
    for (auto& r : rules_) {
      if (r.from < 1 || r.to < r.from || static_cast<size_t>(r.to) > leaf_ids_.size()) {
        notes_.push_back("rule '" + S(r.source) + "' names tasks beyond the " +
                         std::to_string(leaf_ids_.size()) + " found: left out");
        r.from = 0;
      }
    }
  }

  // A document that names no unit for any task is carried out by the government it is
  // addressed to (各县(市、区)人民政府, 泉山区人民政府): the first such addressee
  // cooperates on every task, for the office to confirm.
  void AddresseeCooperates() {
    auto government = std::find_if(addressees_.begin(), addressees_.end(),
                                   [](const U& a) { return EndsWith(a, U"政府"); });
    if (government == addressees_.end()) return;
    std::string id = UnitId(*government);
    for (TaskOut& t : tasks_) {
      if (!items_[t.item].children.empty() || !t.office_decision) continue;
      t.coop.push_back(id);
      t.comments.push_back("cooperate: " + S(*government) + ", to whom the plan is addressed");
    }
  }

  void FillLeaf(size_t ti) {
    TaskOut& t = tasks_[ti];
    Item& it = items_[t.item];
    std::optional<Responsibility> resp;
    if (it.from_table) {
      Responsibility r;
      r.lead = SplitUnits(it.lead_text);
      if (!it.coop_text.empty()) r.coop = SplitUnits(it.coop_text);
      r.source = it.lead_text + (it.coop_text.empty() ? U"" : U";" + it.coop_text);
      resp = r;
    } else {
      resp = ExtractResponsibility(it.text);
      if (!resp) {
        U title = it.title;
        resp = ExtractResponsibility(title);
        if (resp) it.title = TrimPunct(title);
      }
    }
    if (resp) {
      for (const U& n : resp->lead) {
        std::string id = UnitId(n);
        if (std::find(t.lead.begin(), t.lead.end(), id) == t.lead.end()) t.lead.push_back(id);
      }
      for (const U& n : resp->coop) {
        std::string id = UnitId(n);
        if (std::find(t.lead.begin(), t.lead.end(), id) == t.lead.end() &&
            std::find(t.coop.begin(), t.coop.end(), id) == t.coop.end())
          t.coop.push_back(id);
      }
      t.source = resp->source;
      if (resp->convention) t.comments.push_back("lead: the first unit listed, by the document's convention");
      for (auto& r : resp->rules) {
        if (r.unit.empty()) continue;
        rules_.push_back(r);
      }
    }
    if (t.lead.empty()) {
      t.lead.push_back(office_id_);
      t.office_decision = true;
      t.comments.push_back("no lead unit written: the office leads until it decides");
      no_unit_.push_back(S(it.title));
    }
    int default_year = start_.year();
    U dtext = it.from_table ? it.due_text : it.text;
    if (auto d = FindDeadline(dtext, default_year)) {
      if (d->first >= start_ && d->first <= end_) {
        t.due = d->first;
        t.comments.push_back("due from '" + S(d->second) + "'");
      } else {
        t.comments.push_back("deadline '" + S(d->second) + "' lies outside the plan period: not used");
      }
    }
  }

  void ReadIndicators() {
    ReadTargetParts();
    int n = 0;
    for (auto& ind : indicators_) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "i%02d", ++n);
      ind.id = buf;
      if (ind.task >= 0) tasks_[ind.task].indicators.push_back(ind.id);
    }
    ChooseOwners();
  }

  // Targets part: every line outside the task tree up to the first task part heading; then
  // the targets written inside tasks.
  void ReadTargetParts() {
    int year = end_.year();
    for (size_t i = 0; i < lines_.size(); ++i) {
      Marker m = ReadMarker(lines_[i]);
      if (m.level == 1 && IsTaskPart(m.rest)) break;
      if (Has(lines_[i], U"关于印发") || lines_[i].size() > 5000) continue;
      ReadTargets(lines_[i], year, -1, indicators_);
      if (indicators_.size() > 2000) return;
    }
    for (size_t ti = 0; ti < tasks_.size(); ++ti) {
      const Item& it = items_[tasks_[ti].item];
      if (!it.children.empty()) continue;
      int y = end_.year();
      ReadTargets(it.text, y, static_cast<int>(ti), indicators_);
      if (indicators_.size() > 2000) return;
    }
  }

  // An indicator's owner is the lead of its task: the one it is written in, or for the
  // targets part the task whose words it shares most (weighted by how rare each pair of
  // characters is among the tasks). A task the office leads gives no owner.
  void ChooseOwners() {
    std::vector<size_t> leaves;
    std::map<uint64_t, std::vector<size_t>> postings;  // character pair → leaves holding it
    for (size_t ti = 0; ti < tasks_.size() && leaves.size() < 5000; ++ti) {
      if (!items_[tasks_[ti].item].children.empty()) continue;
      const Item& it = items_[tasks_[ti].item];
      for (uint64_t k : CharPairs(it.title + it.text)) postings[k].push_back(leaves.size());
      leaves.push_back(ti);
    }
    std::vector<double> score(leaves.size());
    const std::string main_lead = MainLead(leaves);
    for (auto& ind : indicators_) {
      int task = ind.task;
      if (task < 0) {
        std::fill(score.begin(), score.end(), 0.0);
        for (uint64_t pr : CharPairs(ind.name)) {
          auto p = postings.find(pr);
          if (p == postings.end()) continue;
          double idf = std::log(double(leaves.size() + 1) / p->second.size());
          for (size_t k : p->second) score[k] += idf;
        }
        double best = 0;
        for (size_t k = 0; k < leaves.size(); ++k)
          if (score[k] > best + 1e-9) { best = score[k]; task = static_cast<int>(leaves[k]); }
        if (best < 3) task = -1;  // a word or two in common says nothing
      }
      if (task >= 0 && !tasks_[task].office_decision && !tasks_[task].lead.empty()) {
        ind.owner = tasks_[task].lead.front();
        ind.owner_task = tasks_[task].id;
      } else if (ind.task < 0) {
        ind.owner = main_lead;
      }
    }
  }

  // The unit that leads at least half of the tasks, if one does.
  std::string MainLead(const std::vector<size_t>& leaves) const {
    std::map<std::string, size_t> count;
    for (size_t ti : leaves)
      if (!tasks_[ti].office_decision && !tasks_[ti].lead.empty()) ++count[tasks_[ti].lead.front()];
    for (const auto& [id, n] : count)
      if (2 * n >= leaves.size()) return id;
    return "";
  }

  static std::set<uint64_t> CharPairs(UV s) {
    std::set<uint64_t> out;
    for (size_t i = 0; i + 1 < s.size() && i < 20000; ++i)
      if (s[i] >= 0x4E00 && s[i + 1] >= 0x4E00) out.insert((uint64_t(s[i]) << 32) | s[i + 1]);
    return out;
  }

  Result<ImportResult> Emit() {
    std::string y;
    y += "# Drafted by duban import from " + Comment(name_) + ". Check every line marked '# ?'.\n";
    if (!skipped_parts_.empty()) {
      y += "# Left out of the task tree:";
      for (auto& s : skipped_parts_) y += " " + Comment(s) + ";";
      y += "\n";
    }
    y += "plan:\n";
    y += "  id: " + SlugFrom(name_) + "\n";
    y += "  title: " + Q(title_) + "\n";
    if (!issuer_.empty()) y += "  issuer: " + Q(issuer_) + "\n";
    else y += "  # ? issuer not found\n";
    if (!doc_number_.empty()) y += "  doc_number: " + Q(doc_number_) + "\n";
    if (issued_) y += "  issued: " + issued_->ToString() + "\n";
    else y += "  # ? issued date not found\n";
    y += "  period: {start: " + start_.ToString() + ", end: " + end_.ToString() + "}";
    y += period_guessed_ ? "  # ? no period in the title: guessed\n" : "\n";
    y += "  office: " + office_id_ + "  # ? the supervising office, inferred\n";

    y += "\nunits:\n";
    for (const auto& id : order_) {
      const UnitOut& u = units_.at(id);
      if (u.registry && registry_) {
        const Unit* ru = registry_->FindUnit(id);
        y += "  - id: " + id + "  # from the units file\n";
        y += "    name: " + Q(u.name) + "\n";
        if (!u.aliases.empty()) {
          y += "    aliases: [";
          for (size_t i = 0; i < u.aliases.size(); ++i) y += (i ? ", " : "") + Q(u.aliases[i]);
          y += "]\n";
        }
        y += "    kind: " + u.kind + "\n";
        if (ru && ru->is_group()) {
          y += "    members: [";
          bool first = true;
          for (const Ref& m : ru->members) {
            std::string mid = m.id.empty() ? m.text : m.id;
            if (!units_.count(mid)) continue;
            y += (first ? "" : ", ") + mid;
            first = false;
          }
          y += "]\n";
        }
        continue;
      }
      y += "  - id: " + id + "\n";
      y += "    name: " + Q(u.name) + "\n";
      if (!u.aliases.empty()) {
        y += "    aliases: [";
        for (size_t i = 0; i < u.aliases.size(); ++i) y += (i ? ", " : "") + Q(u.aliases[i]);
        y += "]\n";
      }
      y += "    kind: " + u.kind + (u.is_office ? "  # ? inferred from the text\n" : "\n");
      if (!u.members.empty()) {
        y += "    # ? members: " + Comment(S(u.members_source)) + "\n";
        y += "    members: [";
        for (size_t i = 0; i < u.members.size(); ++i) y += (i ? ", " : "") + u.members[i];
        y += "]\n";
      }
    }

    if (!indicators_.empty()) {
      y += "\nindicators:\n";
      for (const auto& ind : indicators_) {
        int year = ind.year;
        bool clamped = false;
        if (year < start_.year() || year > end_.year()) { year = end_.year(); clamped = true; }
        y += "  - id: " + ind.id + "\n";
        y += "    name: " + Q(ind.name) + (ind.short_name ? "  # ? a short name: it may continue the clause before it\n" : "\n");
        y += "    measure: " + Q(ind.measure) + "\n";
        y += "    kind: " + ind.kind + "\n";
        if (ind.compound || ind.kind == "annual_growth") y += "    trajectory: compound\n";
        if (ind.baseline) {
          int by = ind.baseline_year > 0 ? ind.baseline_year : start_.year() - 1;
          y += "    baseline: {value: " + NumberText(*ind.baseline) + ", date: " + std::to_string(by) + "-12-31}\n";
        }
        y += "    target: {value: " + NumberText(ind.value) + ", date: " + std::to_string(year) + "-12-31}";
        y += clamped ? "  # ? target year outside the period: moved to its end\n" : "\n";
        if (ind.owner.empty()) y += "    owner: " + office_id_ + "  # ? owner not written in the document\n";
        else if (ind.owner_task.empty()) y += "    owner: " + ind.owner + "  # ? the unit that leads most tasks\n";
        else if (ind.task >= 0) y += "    owner: " + ind.owner + "  # ? the lead of task " + ind.owner_task + ", where it is written\n";
        else y += "    owner: " + ind.owner + "  # ? the lead of task " + ind.owner_task + ", which speaks of the same thing\n";
        y += "    source: " + Q(ind.source) + "\n";
      }
    }

    if (!rules_.empty()) {
      bool any = false;
      for (const auto& r : rules_) {
        if (r.from == 0) continue;
        if (!any) y += "\nrules:\n";
        any = true;
        y += "  - " + r.role + ": [" + UnitId(r.unit) + "]\n";
        y += "    tasks: {from: " + Q(leaf_ids_[r.from - 1]) + ", to: " + Q(leaf_ids_[r.to - 1]) + "}\n";
        y += "    source: " + Q(r.source) + "\n";
      }
    }

    y += "\ntasks:\n";
    for (size_t ti = 0; ti < tasks_.size(); ++ti) {
      const TaskOut& t = tasks_[ti];
      const Item& it = items_[t.item];
      int depth = 0;
      for (int p = it.parent; p >= 0 && depth < 64; p = items_[p].parent) ++depth;
      std::string ind(2 + depth * 4, ' ');
      for (const auto& c : t.comments) y += ind + "# ? " + Comment(c) + "\n";
      y += ind + "- id: " + Q(t.id) + "\n";
      std::string in2 = ind + "  ";
      U title = it.title.empty() ? U"(无标题)" : it.title;
      y += in2 + "title: " + Q(title) + "\n";
      if (!it.children.empty()) {
        if (!it.text.empty()) y += in2 + "text: " + Q(it.text) + "\n";
        y += in2 + "tasks:\n";
        continue;
      }
      if (!it.text.empty()) y += in2 + "text: " + Q(it.text) + "\n";
      auto list = [&](const std::vector<std::string>& v) {
        std::string s = "[";
        for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
        return s + "]";
      };
      y += in2 + "lead: " + list(t.lead) + "\n";
      if (!t.coop.empty()) y += in2 + "cooperate: " + list(t.coop) + "\n";
      if (!t.source.empty()) y += in2 + "source: " + Q(t.source) + "\n";
      if (t.office_decision) y += in2 + "office_decision: true\n";
      if (t.due) y += in2 + "due: " + t.due->ToString() + "\n";
      if (!t.indicators.empty()) y += in2 + "indicators: " + list(t.indicators) + "\n";
    }

    ImportResult res;
    res.yaml = std::move(y);
    res.notes = notes_;
    res.notes.push_back(std::to_string(leaf_ids_.size()) + " tasks, " + std::to_string(units_.size()) +
                        " units, " + std::to_string(indicators_.size()) + " indicators");
    if (!skipped_parts_.empty()) {
      std::string s = "not placed in the task tree:";
      for (auto& p : skipped_parts_) s += " " + p + ";";
      res.notes.push_back(s);
    }
    if (!no_unit_.empty())
      res.notes.push_back(std::to_string(no_unit_.size()) +
                          " tasks name no unit: the office leads them (office_decision: true)");
    for (const auto& n : unmatched_) res.notes.push_back("unit not in the units file: " + n);
    return res;
  }

  std::string_view name_;
  const Plan* registry_;
  std::vector<U> lines_;
  size_t lines_ready_ = 0;
  U title_, issuer_, doc_number_;
  std::optional<Date> issued_;
  Date start_, end_;
  bool period_guessed_ = false;
  std::vector<Item> items_;
  std::vector<int> roots_;
  std::vector<std::string> skipped_parts_;
  std::vector<std::string> notes_;
  std::string office_id_;
  U office_name_;
  std::map<std::string, UnitOut> units_;
  std::vector<std::string> order_;
  std::map<std::string, std::string> by_norm_;
  std::set<std::string> unmatched_;
  int invented_ = 0;
  std::vector<TaskOut> tasks_;
  std::vector<std::string> leaf_ids_;
  std::vector<RuleOut> rules_;
  std::vector<IndicatorOut> indicators_;
  std::vector<std::string> no_unit_;
  std::vector<U> addressees_;
  std::set<U> listed_groups_;
};

}  // namespace

Result<ImportResult> ImportPlan(std::string_view text, std::string_view name, const Plan* units) {
  if (text.size() > kMaxImportBytes)
    return Status::InvalidInput(std::string(name) + ": larger than 4 MiB");
  if (auto bad = FindInvalidUtf8(text))
    return Status::InvalidInput(std::string(name) + ": not UTF-8 at byte " + std::to_string(*bad));
  try {
    U canon = Canonical(DecodeUtf8(text));
    Importer imp(name, units);
    return imp.Run(canon);
  } catch (const std::exception& e) {
    return Status::InvalidInput(std::string(name) + ": " + e.what());
  }
}

}  // namespace duban
