// The bulletin (工作进展通报) as one self-contained HTML file: a red-headed title block,
// seven numbered parts and the red items list, with inline SVG charts. No scripts, no
// network (no external fonts, images or links), printable on A4. Every text taken from
// the model is escaped, also inside SVG <text> and <title>. The output depends only on
// the model: numbers are formatted with std::to_chars (locale-independent), no clock.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/reports.h"
#include "engine/text.h"

namespace duban {
namespace {

// ----- text and numbers ---------------------------------------------------------------

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* Tr(Lang lang, const char* zh, const char* en) { return lang == Lang::kEn ? en : zh; }

// The English text when asked for and present, else the Chinese one.
const std::string& Pick(Lang lang, const std::string& zh, const std::string& en) {
  return lang == Lang::kEn && !en.empty() ? en : zh;
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string s(buf, r.ptr);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

// A value with up to 4 significant digits, never in exponent form: the integral part is
// kept whole (12345 stays 12345, not 1.234e+04), decimals are cut to 4 significant digits.
std::string Num(double v) {
  if (!std::isfinite(v)) return "—";
  double a = std::fabs(v);
  if (a < 1e-12) return "0";
  int magnitude = static_cast<int>(std::floor(std::log10(a)));
  return Fixed(v, std::max(0, 3 - magnitude));
}

std::string Pct(double share) {
  if (!std::isfinite(share)) return "—";
  return std::to_string(std::lround(share * 100)) + "%";
}

// SVG coordinates: one decimal is plenty at these sizes and keeps the bytes stable.
std::string C(double v) { return Fixed(v, 1); }

std::string LongDate(Date d, Lang lang) {
  if (lang == Lang::kEn) return d.ToString();
  return std::to_string(d.year()) + "年" + std::to_string(d.month()) + "月" + std::to_string(d.day()) + "日";
}

std::string UnitName(const std::string& name, const std::string& id) { return name.empty() ? id : name; }

// A label cut to fit `px` pixels at `font_px`, ending with "…" when cut, escaped. SVG text
// does not wrap, so the width is estimated: a wide (CJK) character takes one em, any other
// 0.62 em, a little more than the Latin glyphs of the CJK fonts need on average.
std::string FitLabel(std::string_view s, double px, double font_px) {
  auto width = [&](char32_t c) {
    int columns = CodePointWidth(c);
    return columns == 2 ? font_px : columns == 0 ? 0.0 : font_px * 0.62;
  };
  std::u32string cps = DecodeUtf8(s);
  double total = 0;
  for (char32_t c : cps) total += width(c);
  if (total <= px) return Esc(s);
  std::u32string cut;
  double used = 0, budget = px - font_px;  // room for the ellipsis
  for (char32_t c : cps) {
    if (used + width(c) > budget) break;
    cut += c;
    used += width(c);
  }
  return Esc(EncodeUtf8(cut)) + "…";
}

// ----- lights and labels (kept local: the engine's labels live in supervision.cpp) -------

constexpr const char* kRed = "#c8161d";  // the red of an official red head (红头)
constexpr const char* kYellow = "#e0a100";
constexpr const char* kGreen = "#2e8b57";
constexpr const char* kNeutral = "#8a94a6";
constexpr const char* kBlue = "#1f5fa8";

const char* PeriodLabel(const std::string& kind, Lang lang) {
  if (kind == "week") return Tr(lang, "周报", "weekly");
  if (kind == "month") return Tr(lang, "月报", "monthly");
  return nullptr;
}

const char* StateLabel(IndicatorState s, Lang lang) {
  switch (s) {
    case IndicatorState::kOnTrack: return Tr(lang, "正常", "on track");
    case IndicatorState::kAtRisk: return Tr(lang, "有风险", "at risk");
    case IndicatorState::kOffTrack: return Tr(lang, "滞后", "off track");
    case IndicatorState::kNoData: return Tr(lang, "无数据", "no data");
  }
  return "";
}

const char* StateColor(IndicatorState s) {
  switch (s) {
    case IndicatorState::kOnTrack: return kGreen;
    case IndicatorState::kAtRisk: return kYellow;
    case IndicatorState::kOffTrack: return kRed;
    case IndicatorState::kNoData: return kNeutral;
  }
  return kNeutral;
}

const char* LevelLabel(Escalation e, Lang lang) {
  switch (e) {
    case Escalation::kNone: return Tr(lang, "无", "none");
    case Escalation::kReminder: return Tr(lang, "提醒", "reminder");
    case Escalation::kUrge: return Tr(lang, "催办", "urge");
    case Escalation::kNotice: return Tr(lang, "督办", "notice");
    case Escalation::kBulletin: return Tr(lang, "通报", "bulletin");
  }
  return "";
}

const char* SectionNumeral(int i, Lang lang) {
  static const char* const zh[] = {"一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"};
  static const char* const en[] = {"1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "7. ", "8. "};
  return lang == Lang::kEn ? en[i] : zh[i];
}

const char* SubNumeral(int i, Lang lang) {
  static const char* const zh[] = {"（一）", "（二）", "（三）", "（四）"};
  static const char* const en[] = {"5.1 ", "5.2 ", "5.3 ", "5.4 "};
  return lang == Lang::kEn ? en[i] : zh[i];
}

// ----- tables ---------------------------------------------------------------------------

struct Col {
  const char* zh;
  const char* en;
  int width;  // percent of the table
  bool number = false;
};

std::string TableOpen(const std::vector<Col>& cols, Lang lang) {
  std::string s = "<table>\n<colgroup>";
  for (const auto& c : cols) s += "<col style=\"width:" + std::to_string(c.width) + "%\">";
  s += "</colgroup>\n<thead><tr>";
  for (const auto& c : cols) s += std::string(c.number ? "<th class=\"n\">" : "<th>") + Tr(lang, c.zh, c.en) + "</th>";
  s += "</tr></thead>\n<tbody>\n";
  return s;
}
const char* TableClose() { return "</tbody>\n</table>\n"; }

std::string Td(const std::string& html) { return "<td>" + html + "</td>"; }
std::string TdN(const std::string& html) { return "<td class=\"n\">" + html + "</td>"; }
std::string TdN(int v) { return TdN(std::to_string(v)); }
// A count that is bad news when above zero, coloured so it stands out in print.
std::string TdAlarm(int v, const char* color) {
  if (v <= 0) return TdN(v);
  return std::string("<td class=\"n\" style=\"color:") + color + ";font-weight:bold\">" + std::to_string(v) + "</td>";
}

// "None this period" for what happened in the period, plain "none" for the plan's parts.
std::string None(Lang lang, bool in_period = true) {
  return std::string("<p class=\"none\">") + (in_period ? Tr(lang, "本期无。", "None in this period.") : Tr(lang, "无。", "None.")) +
         "</p>\n";
}

std::string TaskRefTable(const std::vector<BulletinModel::TaskRef>& refs, Lang lang, const char* detail_zh,
                         const char* detail_en, bool in_period = true) {
  if (refs.empty()) return None(lang, in_period);
  // Task numbers are short ("3.3"), indicator ids are not ("ip-pledge-growth"): the
  // number column takes about 1% of the width per character, so an id stays on one line.
  int id_columns = 0;
  for (const auto& r : refs) id_columns = std::max(id_columns, DisplayWidth(r.task));
  int id_width = std::clamp(static_cast<int>(std::ceil(id_columns * 1.05 + 3)), 9, 24);
  int title_width = (100 - 6 - id_width) * 47 / 100;
  std::string s = TableOpen({{"序号", "#", 6, true},
                             {"编号", "Task", id_width},
                             {"任务", "Title", title_width},
                             {detail_zh, detail_en, 100 - 6 - id_width - title_width}},
                            lang);
  int i = 0;
  for (const auto& r : refs) {
    s += "<tr>" + TdN(++i) + Td(Esc(r.task)) + Td(Esc(r.title)) + Td(Esc(Pick(lang, r.detail_zh, r.detail_en))) +
         "</tr>\n";
  }
  return s + TableClose();
}

// ----- charts ---------------------------------------------------------------------------

// Round `x` up to 1, 2, 2.5 or 5 times a power of ten: gridline steps people read easily.
double NiceStep(double range, int steps) {
  double raw = range / std::max(steps, 1);
  if (!(raw > 0)) return 1;
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * p * (1 + 1e-9)) return m * p;
  return 10 * p;
}

std::string SvgOpen(double w, double h, const std::string& label) {
  return "<svg viewBox=\"0 0 " + C(w) + " " + C(h) +
         "\" width=\"100%\" preserveAspectRatio=\"xMidYMin meet\" role=\"img\" aria-label=\"" + Esc(label) + "\">\n";
}

std::string Text(double x, double y, const std::string& escaped, const char* anchor = "start",
                 const char* extra = "") {
  std::string s = "<text x=\"" + C(x) + "\" y=\"" + C(y) + "\"";
  if (std::string_view(anchor) != "start") s += std::string(" text-anchor=\"") + anchor + "\"";
  if (*extra) s += std::string(" ") + extra;
  return s + ">" + escaped + "</text>";
}

std::string Rect(double x, double y, double w, double h, const char* fill, const std::string& title = "") {
  std::string s = "<rect x=\"" + C(x) + "\" y=\"" + C(y) + "\" width=\"" + C(std::max(w, 0.0)) + "\" height=\"" +
                  C(h) + "\" fill=\"" + fill + "\"";
  if (title.empty()) return s + "/>";
  return s + "><title>" + title + "</title></rect>";
}

std::string Line(double x1, double y1, double x2, double y2, const char* stroke, const char* extra = "") {
  std::string s = "<line x1=\"" + C(x1) + "\" y1=\"" + C(y1) + "\" x2=\"" + C(x2) + "\" y2=\"" + C(y2) +
                  "\" stroke=\"" + stroke + "\"";
  if (*extra) s += std::string(" ") + extra;
  return s + "/>";
}

// Mean progress per section, one horizontal bar each. A bar takes the colour of the worst
// light among the section's tasks (red if any is red, else yellow if any is yellow, else
// green; grey for an empty section) rather than one neutral colour: a section at 80% that
// still holds an overdue task must not look as healthy as one at 80% with none, and the
// colours then match the light counts in the table beside it.
std::string SectionChart(const BulletinModel& b, Lang lang) {
  const double W = 680, label_w = 270, x0 = 280, x1 = 620, row = 24, top = 22, font = 11;
  double h = top + row * static_cast<double>(b.sections.size()) + 8;
  std::string s = SvgOpen(W, h, Tr(lang, "各部分平均进度", "Mean progress by section"));
  s += "<g font-size=\"9\" fill=\"#555\">";
  for (int p = 0; p <= 100; p += 25) {
    double x = x0 + (x1 - x0) * p / 100.0;
    s += Line(x, top - 4, x, h - 6, "#d5d5d5", "stroke-width=\"0.8\"");
    s += Text(x, top - 8, std::to_string(p) + "%", "middle");
  }
  s += "</g>\n";
  double y = top;
  for (const auto& sec : b.sections) {
    const char* color = sec.tasks == 0 ? kNeutral : sec.red > 0 ? kRed : sec.yellow > 0 ? kYellow : kGreen;
    std::string label = sec.id.empty() ? sec.title : sec.id + " " + sec.title;
    double w = (x1 - x0) * std::clamp(sec.progress, 0, 100) / 100.0;
    std::string title = Esc(label) + Tr(lang, "：平均进度 ", ": mean progress ") + std::to_string(sec.progress) + "%";
    s += "<g><title>" + title + "</title>";
    s += Text(label_w, y + row / 2 + 4, FitLabel(label, label_w - 4, font), "end",
              "font-size=\"11\" fill=\"#222\"");
    s += Rect(x0, y + 5, x1 - x0, row - 10, "#eef0f3");
    s += Rect(x0, y + 5, w, row - 10, color);
    s += Text(x0 + w + 4, y + row / 2 + 4, std::to_string(sec.progress) + "%", "start",
              "font-size=\"10\" fill=\"#222\"");
    s += "</g>\n";
    y += row;
  }
  return s + "</svg>\n";
}

// The lights of each unit's assignments as a stacked bar, one row per unit so that forty
// units stay legible (the figure grows downwards instead of the rows shrinking).
std::string UnitChart(const BulletinModel& b, Lang lang) {
  const double W = 680, label_w = 212, x0 = 220, x1 = 640, row = 16, top = 34, font = 10;
  int max_total = 1;
  for (const auto& u : b.units) max_total = std::max(max_total, u.red + u.yellow + u.green);
  double step = std::max(1.0, NiceStep(max_total, 5));
  double scale_max = std::ceil(max_total / step) * step;
  double h = top + row * static_cast<double>(b.units.size()) + 8;
  std::string s = SvgOpen(W, h, Tr(lang, "各单位红黄绿灯分布", "Lights by unit"));
  // Legend.
  double lx = x0;
  const std::pair<const char*, const char*> legend[] = {{kRed, Tr(lang, "红灯", "red")},
                                                         {kYellow, Tr(lang, "黄灯", "yellow")},
                                                         {kGreen, Tr(lang, "绿灯", "green")}};
  for (const auto& [color, name] : legend) {
    s += Rect(lx, 4, 10, 10, color);
    s += Text(lx + 14, 13, name, "start", "font-size=\"10\" fill=\"#222\"");
    lx += 70;
  }
  s += Text(x1, 13, Tr(lang, "单位：项", "assignments"), "end", "font-size=\"9\" fill=\"#555\"");
  s += "\n<g font-size=\"9\" fill=\"#555\">";
  for (double v = 0; v <= scale_max + 1e-9; v += step) {
    double x = x0 + (x1 - x0) * v / scale_max;
    s += Line(x, top - 4, x, h - 6, "#d5d5d5", "stroke-width=\"0.8\"");
    s += Text(x, top - 7, Num(v), "middle");
  }
  s += "</g>\n";
  double y = top;
  int i = 0;
  for (const auto& u : b.units) {
    std::string name = UnitName(u.name, u.unit);
    if (i++ % 2 == 1) s += Rect(0, y, W, row, "#f6f6f6");
    std::string title = Esc(name) + Tr(lang, "：红灯 ", ": red ") + std::to_string(u.red) +
                        Tr(lang, "，黄灯 ", ", yellow ") + std::to_string(u.yellow) + Tr(lang, "，绿灯 ", ", green ") +
                        std::to_string(u.green);
    s += "<g><title>" + title + "</title>";
    s += Text(label_w, y + row / 2 + 3.5, FitLabel(name, label_w - 4, font), "end", "font-size=\"10\" fill=\"#222\"");
    double x = x0;
    const std::pair<int, const char*> parts[] = {{u.red, kRed}, {u.yellow, kYellow}, {u.green, kGreen}};
    for (const auto& [count, color] : parts) {
      if (count <= 0) continue;
      double w = (x1 - x0) * count / scale_max;
      s += Rect(x, y + 3, w, row - 6, color);
      if (w >= 14) s += Text(x + w / 2, y + row / 2 + 3, std::to_string(count), "middle", "font-size=\"8.5\" fill=\"#fff\"");
      x += w;
    }
    s += Text(x + 4, y + row / 2 + 3.5, std::to_string(u.red + u.yellow + u.green), "start",
              "font-size=\"9\" fill=\"#444\"");
    s += "</g>\n";
    y += row;
  }
  return s + "</svg>\n";
}

// Expected value on the path from (d0, v0) to (d1, v1) at `at`: linear, or geometric for a
// compound trajectory (the same rule the supervision engine applies to judge the state).
double PathValue(Trajectory t, double v0, Date d0, double v1, Date d1, Date at) {
  if (d1 <= d0) return v1;
  double f = std::clamp(static_cast<double>(at - d0) / static_cast<double>(d1 - d0), 0.0, 1.0);
  if (t == Trajectory::kCompound && v0 > 0 && v1 > 0) return v0 * std::pow(v1 / v0, f);
  return v0 + (v1 - v0) * f;
}

// One indicator against its time line: x from its start to its target date (widened to
// take in every recorded value and the as-of day), the expected path as a 21-point
// polyline, the recorded values as dots in the colour of its state, and a "today" line.
std::string IndicatorChart(const BulletinModel::IndicatorRow& ind, Date as_of, Lang lang) {
  std::vector<std::pair<Date, double>> values = ind.values;
  std::stable_sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Date start = ind.start_date.value_or(values.front().first);
  double start_value = ind.start_value.value_or(values.front().second);
  Date end = ind.target_date;

  Date d_lo = std::min({start, values.front().first, as_of, end});
  Date d_hi = std::max({end, values.back().first, as_of, start});
  // A little air on both sides so that no dot sits on an axis or is cut at the edge.
  int x_pad = std::max(1, (d_hi - d_lo) / 40);
  d_lo = d_lo - x_pad;
  d_hi = d_hi + x_pad;
  double v_lo = std::min(start_value, ind.target), v_hi = std::max(start_value, ind.target);
  for (const auto& [d, v] : values) v_lo = std::min(v_lo, v), v_hi = std::max(v_hi, v);
  if (v_hi - v_lo < 1e-9) {
    double pad = std::fabs(v_hi) > 1e-9 ? std::fabs(v_hi) * 0.1 : 1;
    v_lo -= pad, v_hi += pad;
  }
  double step = NiceStep(v_hi - v_lo, 4);
  double y_lo = std::floor(v_lo / step + 1e-9) * step, y_hi = std::ceil(v_hi / step - 1e-9) * step;
  if (y_hi - y_lo < step) y_hi = y_lo + step;
  // A lowest value on the bottom gridline would be hidden by the axis: one step more,
  // unless that would show negative counts for an indicator that never goes below zero.
  if (v_lo - y_lo < (y_hi - y_lo) * 0.02 && !(v_lo >= 0 && y_lo - step < 0)) y_lo -= step;

  const double W = 320, H = 204, L = 46, R = 10, T = 22, B = 40;
  const double pw = W - L - R, ph = H - T - B;
  auto X = [&](Date d) { return L + pw * static_cast<double>(d - d_lo) / static_cast<double>(d_hi - d_lo); };
  auto Y = [&](double v) { return T + ph * (1 - (v - y_lo) / (y_hi - y_lo)); };

  std::string name = ind.name + (ind.measure.empty() ? "" : Tr(lang, "（", " (") + ind.measure + Tr(lang, "）", ")"));
  std::string s = SvgOpen(W, H, name);
  // Y gridlines and labels.
  s += "<g font-size=\"8.5\" fill=\"#555\">";
  long gridlines = std::lround((y_hi - y_lo) / step);  // counted, not accumulated: no float drift
  for (long i = 0; i <= gridlines && i <= 20; ++i) {
    double v = y_lo + step * static_cast<double>(i);
    s += Line(L, Y(v), W - R, Y(v), "#e2e2e2", "stroke-width=\"0.8\"");
    s += Text(L - 4, Y(v) + 3, Num(v), "end");
  }
  // X ticks: January 1st of each year for long spans, quarter starts for short ones.
  bool yearly = d_hi - d_lo > 540;
  for (int y = d_lo.year(); y <= d_hi.year(); ++y) {
    for (int m : yearly ? std::vector<int>{1} : std::vector<int>{1, 4, 7, 10}) {
      auto d = Date::FromCivil(y, m, 1);
      if (!d || *d < d_lo || *d > d_hi) continue;
      std::string label = std::to_string(y);
      if (!yearly) label += (m < 10 ? "-0" : "-") + std::to_string(m);
      s += Line(X(*d), T + ph, X(*d), T + ph + 3, "#888");
      s += Text(X(*d), T + ph + 12, label, "middle");
    }
  }
  s += "</g>\n";
  s += Line(L, T + ph, W - R, T + ph, "#888");
  s += Line(L, T, L, T + ph, "#888");

  // Today: the bulletin's as-of day, labelled with its date (the page may be read later).
  double tx = X(as_of);
  s += "<g><title>" + std::string(Tr(lang, "截至日期 ", "as of ")) + as_of.ToString() + "</title>";
  s += Line(tx, T, tx, T + ph, kBlue, "stroke-width=\"1\" stroke-dasharray=\"2 2\"");
  s += Text(tx, T - 6, as_of.ToString(), tx > W - R - 28 ? "end" : tx < L + 28 ? "start" : "middle",
            "font-size=\"8.5\" fill=\"#1f5fa8\"");
  s += "</g>\n";

  // Expected path.
  s += "<polyline fill=\"none\" stroke=\"#777\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\" points=\"";
  for (int i = 0; i <= 20; ++i) {
    Date d = start + static_cast<int>(std::lround((end - start) * i / 20.0));
    if (i > 0) s += " ";
    s += C(X(d)) + "," + C(Y(PathValue(ind.trajectory, start_value, start, ind.target, end, d)));
  }
  s += "\"/>\n";
  // Target.
  s += "<g><title>" + std::string(Tr(lang, "目标 ", "target ")) + Esc(Num(ind.target)) + " (" +
       ind.target_date.ToString() + ")</title>";
  s += "<circle cx=\"" + C(X(end)) + "\" cy=\"" + C(Y(ind.target)) +
       "\" r=\"3.5\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"1.2\"/>";
  // The label goes on the side the path does not come from: above-left of a rising
  // target, below-left of a falling one.
  bool rising = ind.target >= start_value;
  s += Text(X(end) - 6, Y(ind.target) + (rising ? -6 : 12), std::string(Tr(lang, "目标 ", "target ")) + Esc(Num(ind.target)),
            "end", "font-size=\"8.5\" fill=\"#333\"");
  s += "</g>\n";

  // Recorded values.
  const char* color = StateColor(ind.state);
  if (values.size() > 1) {
    s += std::string("<polyline fill=\"none\" stroke=\"") + color + "\" stroke-width=\"1\" points=\"";
    for (size_t i = 0; i < values.size(); ++i) s += (i ? " " : "") + C(X(values[i].first)) + "," + C(Y(values[i].second));
    s += "\"/>\n";
  }
  for (const auto& [d, v] : values) {
    s += "<circle cx=\"" + C(X(d)) + "\" cy=\"" + C(Y(v)) + "\" r=\"3\" fill=\"" + color + "\"><title>" +
         d.ToString() + Tr(lang, "：", ": ") + Esc(Num(v)) + "</title></circle>";
  }
  s += "\n";

  // Legend.
  double ly = H - 10, lx = L;
  s += "<g font-size=\"8.5\" fill=\"#333\">";
  s += Line(lx, ly - 3, lx + 18, ly - 3, "#777", "stroke-width=\"1.2\" stroke-dasharray=\"4 3\"");
  std::string path = ind.trajectory == Trajectory::kCompound ? Tr(lang, "预期路径（复合增长）", "expected (compound)")
                                                             : Tr(lang, "预期路径（线性）", "expected (linear)");
  s += Text(lx + 22, ly, path);
  lx += 22 + 100;
  s += std::string("<circle cx=\"") + C(lx + 4) + "\" cy=\"" + C(ly - 3) + "\" r=\"3\" fill=\"" + color + "\"/>";
  s += Text(lx + 10, ly, Tr(lang, "实际值", "recorded"));
  lx += 10 + 44;
  s += Line(lx, ly - 7, lx, ly + 1, kBlue, "stroke-dasharray=\"2 2\"");
  s += Text(lx + 4, ly, Tr(lang, "截至日期", "as of"));
  s += "</g>\n";
  return s + "</svg>\n";
}

// ----- the page -----------------------------------------------------------------------

const char* kCss = R"CSS(
@page { size: A4; margin: 18mm 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif;
  font-size: 10.5pt; line-height: 1.65; color: #1a1a1a; background: #fff;
  max-width: 180mm; margin: 0 auto; padding: 8mm 0;
  overflow-wrap: anywhere; word-break: break-word;
}
@media print { body { padding: 0; max-width: none; } }
@media screen { html { scrollbar-width: none; } }
.head { text-align: center; }
.head h1 {
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "Source Han Sans SC", "SimSun", "Microsoft YaHei", serif;
  color: #c8161d; font-size: 21pt; font-weight: 700; line-height: 1.35; letter-spacing: 0.04em;
  margin: 2mm 0 3mm;
}
.head .issue { font-size: 12pt; margin: 0 0 3mm; }
.head .from { display: flex; justify-content: space-between; font-size: 11pt; text-align: left; gap: 6mm; }
.redline { border: 0; border-top: 2.4pt solid #c8161d; border-bottom: 0.8pt solid #c8161d; height: 2.4pt; margin: 1.5mm 0 4mm; }
.meta { font-size: 9.5pt; color: #333; margin: 0 0 1mm; }
.hash { font-size: 7pt; color: #777; font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; margin: 0 0 4mm; }
h2 { font-size: 13pt; font-weight: 700; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; font-weight: 700; margin: 3mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 2mm; text-indent: 2em; }
p.none, p.note { text-indent: 0; color: #555; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 1mm 0 4mm; font-size: 9pt; line-height: 1.45; }
th, td { border: 0.6pt solid #8c8c8c; padding: 1mm 1.4mm; vertical-align: top; text-align: left;
  word-break: break-word; overflow-wrap: anywhere; }
th { background: #f4eaea; font-weight: 700; font-size: 8.5pt; }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td small { color: #666; font-size: 8pt; }
figure.chart { margin: 1mm 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #444; margin: 0 0 1mm; }
.charts { display: flex; flex-wrap: wrap; justify-content: space-between; }
.charts figure.chart { width: 49%; }
.charts figcaption { font-weight: 700; color: #222; }
.charts figcaption span { display: block; font-weight: 400; color: #555; font-size: 8pt; }
svg text { font-family: inherit; }
.sign { text-align: right; margin: 8mm 0 4mm; font-size: 11pt; }
.banji { display: flex; justify-content: space-between; gap: 6mm; border-top: 0.8pt solid #1a1a1a;
  border-bottom: 0.8pt solid #1a1a1a; padding: 1mm 1mm; font-size: 9.5pt; margin-top: 6mm;
  break-inside: avoid; page-break-inside: avoid; }
)CSS";

void WriteOverview(std::string& o, const BulletinModel& b, Lang lang) {
  const auto& t = b.totals;
  o += "<h2>" + std::string(SectionNumeral(0, lang)) + Tr(lang, "总体情况", "Overview") + "</h2>\n<p>";
  if (lang == Lang::kEn) {
    o += "As of " + b.as_of.ToString() + ", the plan has " + std::to_string(t.tasks) + " tasks: " +
         std::to_string(t.red) + " red, " + std::to_string(t.yellow) + " yellow and " + std::to_string(t.green) +
         " green; " + std::to_string(t.closed) + " are closed (" + Pct(t.closed_share) + "). ";
    if (t.reports_due > 0)
      o += std::to_string(t.reports_on_time) + " of the " + std::to_string(t.reports_due) +
           " progress reports due in the period arrived on time (" + Pct(t.on_time_share) + "). ";
    else
      o += "No progress report fell due in the period. ";
    o += "The tasks are divided into " + std::to_string(t.assignments) + " assignments.";
  } else {
    o += "截至" + LongDate(b.as_of, lang) + "，方案共有重点任务" + std::to_string(t.tasks) + "项，其中红灯" +
         std::to_string(t.red) + "项、黄灯" + std::to_string(t.yellow) + "项、绿灯" + std::to_string(t.green) +
         "项；已办结" + std::to_string(t.closed) + "项，办结率" + Pct(t.closed_share) + "。";
    if (t.reports_due > 0)
      o += "本期应报送进展" + std::to_string(t.reports_due) + "次，按时报送" + std::to_string(t.reports_on_time) +
           "次，按时报送率" + Pct(t.on_time_share) + "。";
    else
      o += "本期无到期的进展报送。";
    o += "重点任务共分解为任务分工" + std::to_string(t.assignments) + "项。";
  }
  o += "</p>\n";
  o += TableOpen({{"重点任务", "Tasks", 10, true},
                  {"红灯", "Red", 10, true},
                  {"黄灯", "Yellow", 10, true},
                  {"绿灯", "Green", 10, true},
                  {"已办结", "Closed", 10, true},
                  {"办结率", "Closed share", 10, true},
                  {"应报送", "Reports due", 10, true},
                  {"按时报送", "On time", 10, true},
                  {"按时率", "On-time share", 10, true},
                  {"任务分工", "Assign\u00ADments", 10, true}},
                 lang);
  o += "<tr>" + TdN(t.tasks) + TdAlarm(t.red, kRed) + TdAlarm(t.yellow, kYellow) + TdN(t.green) + TdN(t.closed) +
       TdN(Pct(t.closed_share)) + TdN(t.reports_due) + TdN(t.reports_on_time) +
       TdN(t.reports_due > 0 ? Pct(t.on_time_share) : "—") + TdN(t.assignments) + "</tr>\n";
  o += TableClose();
}

void WriteSections(std::string& o, const BulletinModel& b, Lang lang) {
  o += "<h2>" + std::string(SectionNumeral(1, lang)) + Tr(lang, "分部分进展", "Progress by section") + "</h2>\n";
  if (b.sections.empty()) {
    o += None(lang, false);
    return;
  }
  o += TableOpen({{"编号", "No.", 7},
                  {"部分", "Section", 41},
                  {"任务", "Tasks", 8, true},
                  {"红灯", "Red", 8, true},
                  {"黄灯", "Yellow", 8, true},
                  {"绿灯", "Green", 8, true},
                  {"已办结", "Closed", 10, true},
                  {"平均进度", "Progress", 10, true}},
                 lang);
  for (const auto& s : b.sections) {
    o += "<tr>" + Td(Esc(s.id)) + Td(Esc(s.title)) + TdN(s.tasks) + TdAlarm(s.red, kRed) + TdAlarm(s.yellow, kYellow) +
         TdN(s.green) + TdN(s.closed) + TdN(std::to_string(s.progress) + "%") + "</tr>\n";
  }
  o += TableClose();
  o += "<figure class=\"chart\"><figcaption>" +
       std::string(Tr(lang, "图1 各部分任务平均进度（条形颜色为该部分最严重的灯色）",
                      "Figure 1. Mean task progress by section (bar colour: the worst light in the section)")) +
       "</figcaption>\n" + SectionChart(b, lang) + "</figure>\n";
}

void WriteUnits(std::string& o, const BulletinModel& b, Lang lang) {
  o += "<h2>" + std::string(SectionNumeral(2, lang)) + Tr(lang, "各单位情况", "Units") + "</h2>\n";
  if (b.units.empty()) {
    o += None(lang, false);
    return;
  }
  o += TableOpen({{"序号", "#", 6, true},
                  {"单位", "Unit", 27},
                  {"牵头", "Lead", 7, true},
                  {"配合", "Coop.", 7, true},
                  {"已完成", "Done", 8, true},
                  {"逾期", "Late", 7, true},
                  {"漏报", "Missed", 8, true},
                  {"应报送", "Burden", 8, true},
                  {"红灯", "Red", 7, true},
                  {"黄灯", "Yellow", 8, true},
                  {"绿灯", "Green", 7, true}},
                 lang);
  int i = 0;
  for (const auto& u : b.units) {
    o += "<tr>" + TdN(++i) + Td(Esc(UnitName(u.name, u.unit))) + TdN(u.led) + TdN(u.cooperating) + TdN(u.done) +
         TdAlarm(u.late, kRed) + TdAlarm(u.missed, kRed) + TdN(u.burden) + TdAlarm(u.red, kRed) +
         TdAlarm(u.yellow, kYellow) + TdN(u.green) + "</tr>\n";
  }
  o += TableClose();
  o += "<p class=\"note\">" +
       std::string(Tr(lang, "注：已完成含已办结；逾期为截至日期仍未完成的任务分工；漏报、应报送为本期进展报送次数。",
                      "Done includes closed; late: assignments open past their due date; missed and burden: progress "
                      "reports in the period.")) +
       "</p>\n";
  o += "<figure class=\"chart\"><figcaption>" +
       std::string(Tr(lang, "图2 各单位任务分工红黄绿灯分布", "Figure 2. Lights of each unit's assignments")) +
       "</figcaption>\n" + UnitChart(b, lang) + "</figure>\n";
}

void WriteIndicators(std::string& o, const BulletinModel& b, Lang lang) {
  o += "<h2>" + std::string(SectionNumeral(3, lang)) + Tr(lang, "指标完成情况", "Indicators") + "</h2>\n";
  if (b.indicators.empty()) {
    o += None(lang, false);
    return;
  }
  o += TableOpen({{"指标", "Indicator", 18},
                  {"基期值", "Base\u00ADline", 8, true},
                  {"最新值", "Latest", 11, true},
                  {"目标值", "Target", 11, true},
                  {"完成进度", "Covered", 9, true},
                  {"时间进度", "Time", 9, true},
                  {"预计到期值", "Pro\u00ADjected", 9, true},
                  {"状态", "State", 8},
                  {"说明", "Note", 17}},
                 lang);
  for (const auto& ind : b.indicators) {
    std::string name = Esc(ind.name);
    if (!ind.measure.empty()) name += "<br><small>" + Esc(ind.measure) + "</small>";
    std::string latest = "—";
    if (ind.latest) {
      latest = Esc(Num(*ind.latest));
      if (ind.latest_as_of) latest += "<br><small>" + ind.latest_as_of->ToString() + "</small>";
    }
    std::string target = Esc(Num(ind.target)) + "<br><small>" + ind.target_date.ToString() + "</small>";
    std::string state = std::string("<span style=\"color:") + StateColor(ind.state) + ";font-weight:bold\">" +
                        StateLabel(ind.state, lang) + "</span>";
    if (ind.stale) state += std::string("<br><small>") + Tr(lang, "数据未更新", "stale") + "</small>";
    o += "<tr>" + Td(name) + TdN(ind.baseline ? Esc(Num(*ind.baseline)) : "—") + TdN(latest) + TdN(target) +
         TdN(ind.covered ? Pct(*ind.covered) : "—") + TdN(Pct(ind.time_elapsed)) +
         TdN(ind.projection ? Esc(Num(*ind.projection)) : "—") + Td(state) +
         Td(Esc(Pick(lang, ind.note_zh, ind.note_en))) + "</tr>\n";
  }
  o += TableClose();
  bool any = false;
  for (const auto& ind : b.indicators) any = any || !ind.values.empty();
  if (!any) return;
  o += "<p class=\"note\">" +
       std::string(Tr(lang,
                      "下图为有数据的指标：横轴为从起始日期到目标日期的时间，虚线为按期应达到的预期路径，圆点为报送的实际值，蓝色竖线为截至日期。",
                      "Indicators with data: time from the start to the target date; the dashed line is the expected "
                      "path, dots are recorded values, the blue line is the as-of day.")) +
       "</p>\n<div class=\"charts\">\n";
  for (const auto& ind : b.indicators) {
    if (ind.values.empty()) continue;
    std::string title = Esc(ind.name) + (ind.measure.empty() ? "" : Tr(lang, "（", " (") + Esc(ind.measure) + Tr(lang, "）", ")"));
    std::string sub = std::string(Tr(lang, "目标 ", "target ")) + Esc(Num(ind.target)) + " (" +
                      ind.target_date.ToString() + ")";
    if (ind.latest) sub += std::string(Tr(lang, " · 最新 ", " · latest ")) + Esc(Num(*ind.latest));
    sub += std::string(" · ") + StateLabel(ind.state, lang);
    o += "<figure class=\"chart\"><figcaption>" + title + "<span>" + sub + "</span></figcaption>\n" +
         IndicatorChart(ind, b.as_of, lang) + "</figure>\n";
  }
  o += "</div>\n";
}

void WriteChanges(std::string& o, const BulletinModel& b, Lang lang) {
  const auto& c = b.changes;
  o += "<h2>" + std::string(SectionNumeral(4, lang)) + Tr(lang, "本期变化", "Changes in the period") + "</h2>\n";
  struct Part {
    const char* zh;
    const char* en;
    const std::vector<BulletinModel::TaskRef>* refs;
    const char* detail_zh;
    const char* detail_en;
  };
  const Part parts[] = {
      {"新办结任务", "Newly closed", &c.newly_closed, "说明", "Detail"},
      {"新逾期任务", "Newly late", &c.newly_late, "逾期情况", "Days late"},
      {"新增阻塞", "New blockers", &c.new_blockers, "阻塞原因", "Blocker"},
      {"目标调整", "Targets moved", &c.targets_moved, "调整情况", "Change"},
  };
  int i = 0;
  for (const auto& p : parts) {
    o += "<h3>" + std::string(SubNumeral(i++, lang)) + Tr(lang, p.zh, p.en);
    o += lang == Lang::kEn ? " (" + std::to_string(p.refs->size()) + ")" : "（" + std::to_string(p.refs->size()) + "项）";
    o += "</h3>\n" + TaskRefTable(*p.refs, lang, p.detail_zh, p.detail_en);
  }
}

void WriteSupervision(std::string& o, const BulletinModel& b, Lang lang) {
  o += "<h2>" + std::string(SectionNumeral(5, lang)) + Tr(lang, "督办事项", "Supervision items") + "</h2>\n";
  if (b.supervision.empty()) {
    o += None(lang);
    return;
  }
  std::set<std::string> units;
  for (const auto& s : b.supervision) units.insert(s.unit);
  o += "<p>";
  o += lang == Lang::kEn ? std::to_string(b.supervision.size()) + " items are under supervision, at " +
                               std::to_string(units.size()) + " units."
                         : "本期共有督办事项" + std::to_string(b.supervision.size()) + "项，涉及" +
                               std::to_string(units.size()) + "个单位，请相关单位抓紧整改并按时反馈。";
  o += "</p>\n";
  o += TableOpen({{"序号", "#", 6, true},
                  {"单位", "Unit", 27},
                  {"编号", "Task", 7},
                  {"任务", "Title", 18},
                  {"逾期天数", "Days late", 9, true},
                  {"级别", "Level", 9},
                  {"原因", "Reason", 24}},
                 lang);
  int i = 0;
  for (const auto& s : b.supervision) {
    o += "<tr>" + TdN(++i) + Td(Esc(UnitName(s.unit_name, s.unit))) + Td(Esc(s.task)) + Td(Esc(s.title)) +
         TdAlarm(s.days_overdue, kRed) + Td(LevelLabel(s.level, lang)) + Td(Esc(Pick(lang, s.reason_zh, s.reason_en))) +
         "</tr>\n";
  }
  o += TableClose();
}

void WriteNamed(std::string& o, const BulletinModel& b, Lang lang) {
  o += "<h2>" + std::string(SectionNumeral(6, lang)) + Tr(lang, "通报", "Units named") + "</h2>\n";
  if (b.named.empty()) {
    o += std::string("<p class=\"none\">") + Tr(lang, "本期无被通报单位。", "No unit is named in this period.") + "</p>\n";
    return;
  }
  o += "<p>";
  o += lang == Lang::kEn ? "The following " + std::to_string(b.named.size()) + " units are named for overdue work:"
                         : "对以下" + std::to_string(b.named.size()) + "个单位予以通报：";
  o += "</p>\n";
  o += TableOpen({{"序号", "#", 6, true}, {"单位", "Unit", 30}, {"事项数", "Items", 10, true}, {"原因", "Reason", 54}},
                 lang);
  int i = 0;
  for (const auto& n : b.named) {
    o += "<tr>" + TdN(++i) + Td(Esc(UnitName(n.name, n.unit))) + TdN(n.items) +
         Td(Esc(Pick(lang, n.reason_zh, n.reason_en))) + "</tr>\n";
  }
  o += TableClose();
}

void WriteRedItems(std::string& o, const BulletinModel& b, Lang lang) {
  o += "<h2>" + std::string(Tr(lang, "附：红灯事项清单", "Annex: red items"));
  o += lang == Lang::kEn ? " (" + std::to_string(b.red_items.size()) + ")" : "（" + std::to_string(b.red_items.size()) + "项）";
  o += "</h2>\n" + TaskRefTable(b.red_items, lang, "原因", "Reasons", false);
}

}  // namespace

std::string RenderBulletinHtml(const BulletinModel& b, Lang lang) {
  const bool en = lang == Lang::kEn;
  const std::string plan_title = b.plan_title.empty() ? b.plan : b.plan_title;
  const std::string office = b.office_name.empty() ? b.issuer : b.office_name;
  std::string title = en ? plan_title + ": Progress Bulletin" : plan_title + "工作进展通报";

  std::string o;
  o.reserve(64 * 1024);
  o += "<!DOCTYPE html>\n<html lang=\"";
  o += en ? "en" : "zh-CN";
  o += "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<title>" + Esc(title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n";

  // Red head: title, issue number, office and date, the red rule.
  o += "<header class=\"head\">\n<h1>" + Esc(title) + "</h1>\n";
  o += "<div class=\"issue\">" + (en ? "No. " + std::to_string(b.number) : "第" + std::to_string(b.number) + "期") +
       "</div>\n";
  o += "<div class=\"from\"><span>" + Esc(office) + "</span><span>" + LongDate(b.as_of, lang) + "</span></div>\n";
  o += "<hr class=\"redline\">\n</header>\n";

  std::string period = b.period_from.ToString() + Tr(lang, " 至 ", " to ") + b.period_to.ToString();
  if (const char* kind = PeriodLabel(b.period_kind, lang))
    period += std::string(en ? " (" : "（") + kind + (en ? ")" : "）");
  else if (!b.period_kind.empty())
    period += (en ? " (" : "（") + Esc(b.period_kind) + (en ? ")" : "）");
  o += "<p class=\"meta\" style=\"text-indent:0\">" + std::string(Tr(lang, "通报期间：", "Period: ")) + period;
  o += std::string(Tr(lang, "　　截至日期：", " · As of: ")) + b.as_of.ToString();
  if (!b.issuer.empty()) o += std::string(Tr(lang, "　　方案印发：", " · Plan issued by: ")) + Esc(b.issuer);
  o += "</p>\n";
  o += "<p class=\"hash\" style=\"text-indent:0\">" + std::string(Tr(lang, "方案编号：", "Plan: ")) + Esc(b.plan) +
       std::string(Tr(lang, "　数据指纹：", " · Inputs hash: ")) + Esc(b.inputs_hash) + "</p>\n";

  o += "<main>\n";
  WriteOverview(o, b, lang);
  WriteSections(o, b, lang);
  WriteUnits(o, b, lang);
  WriteIndicators(o, b, lang);
  WriteChanges(o, b, lang);
  WriteSupervision(o, b, lang);
  WriteNamed(o, b, lang);
  WriteRedItems(o, b, lang);
  o += "</main>\n";

  o += "<div class=\"sign\">" + Esc(office) + "<br>" + LongDate(b.as_of, lang) + "</div>\n";
  o += "<footer class=\"banji\"><span>" + Esc(office) + "</span><span>" +
       (en ? "Issued " + b.as_of.ToString() : LongDate(b.as_of, lang) + "印发") + "</span></footer>\n";
  o += "</body>\n</html>\n";
  return o;
}

}  // namespace duban
