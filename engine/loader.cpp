#include "engine/loader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/exceptions.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

#include "engine/resolver.h"
#include "engine/text.h"
#include "engine/yaml_doc.h"

namespace duban {
namespace {

using Keys = std::vector<std::string>;

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// Walks one YAML document and reports problems against one source file. Every
// visited node counts against a budget, so that aliases cannot make the walk explode.
class Walker {
 public:
  Walker(std::shared_ptr<const SourceFile> file, Diagnostics& diags, size_t& budget)
      : file_(std::move(file)), diags_(diags), budget_(budget) {}

  bool exhausted() const { return exhausted_; }
  const std::shared_ptr<const SourceFile>& file() const { return file_; }

  Location At(const YamlMark& m) const { return AtLineByte(m.line, m.column); }

  // yaml-cpp marks are 0-based and count bytes; we report 1-based code points. Line
  // starts are indexed once: a plan has one node per few bytes.
  Location AtLineByte(int line0, int byte_col0) const {
    if (line0 < 0) return Location{file_, 0, 0};
    if (line_starts_.empty()) {
      const std::string& t = file_->text;
      line_starts_.push_back(0);
      for (size_t i = t.find('\n'); i != std::string::npos; i = t.find('\n', i + 1)) line_starts_.push_back(i + 1);
    }
    Location loc{file_, line0 + 1, 1};
    if (static_cast<size_t>(line0) >= line_starts_.size()) return loc;
    const std::string& t = file_->text;
    size_t pos = line_starts_[line0];
    size_t end = std::min(t.size(), pos + static_cast<size_t>(std::max(byte_col0, 0)));
    int col = 1;
    for (size_t i = pos; i < end; ++i) {
      if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80) ++col;
    }
    loc.column = col;
    return loc;
  }

  void Error(const YamlNode& n, std::string msg) { diags_.Error(At(n.Mark()), std::move(msg)); }
  void Warning(const YamlNode& n, std::string msg) {
    diags_.Warning(At(n.Mark()), std::move(msg));
  }

  // Counts a visit; false once the budget is spent (reported once).
  bool Visit(const YamlNode& n) {
    if (exhausted_) return false;
    if (budget_ == 0) {
      exhausted_ = true;
      diags_.Error(At(n.Mark()), "plan is too large: more than " + std::to_string(kMaxPlanNodes) +
                                     " YAML nodes (aliases expanded)");
      return false;
    }
    --budget_;
    return true;
  }

  static const char* TypeName(const YamlNode& n) {
    switch (n.Type()) {
      case YamlType::kMap: return "a mapping";
      case YamlType::kSequence: return "a list";
      case YamlType::kScalar: return "a scalar";
      case YamlType::kNull: return "nothing";
      default: return "an undefined value";
    }
  }

  // Calls f(key, key_node, value) for each entry of a mapping; reports unknown and
  // duplicate keys. Returns false if `map` is not a mapping.
  template <typename F>
  bool ForEachKey(const YamlNode& map, std::string_view what, const Keys& keys, F&& f) {
    if (!Visit(map)) return false;
    if (!map.IsMap()) {
      Error(map, std::string(what) + " must be a mapping, got " + TypeName(map));
      return false;
    }
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!Visit(it->first)) return false;
      if (!it->first.IsScalar()) {
        Error(it->first, "keys in " + std::string(what) + " must be plain words");
        continue;
      }
      std::string key = it->first.Scalar();
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string msg = "unknown key " + Quote(key) + " in " + std::string(what);
        if (auto m = ClosestMatch(key, keys)) msg += ", did you mean " + Quote(*m) + "?";
        Error(it->first, msg);
        continue;
      }
      if (!seen.insert(key).second) {
        Error(it->first, "duplicate key " + Quote(key) + " in " + std::string(what));
        continue;
      }
      f(key, it->first, it->second);
      if (exhausted_) return false;
    }
    return true;
  }

  // Reports each key of `required` that is absent from `map`, at the map.
  void Require(const YamlNode& map, std::string_view what, const Keys& required) {
    if (!map.IsMap()) return;
    for (const auto& k : required) {
      if (map[k]) continue;
      // A misspelt key ("titel") was already reported with its suggestion.
      bool misspelt = false;
      for (auto it = map.begin(); it != map.end(); ++it)
        if (it->first.IsScalar() && EditDistance(it->first.Scalar(), k) <= 1) misspelt = true;
      if (!misspelt) Error(map, std::string(what) + " is missing required key " + Quote(k));
    }
  }

  std::optional<std::string> String(const YamlNode& n, std::string_view what) {
    if (!Visit(n)) return std::nullopt;
    if (!n.IsScalar()) {
      Error(n, std::string(what) + " must be text, got " + TypeName(n));
      return std::nullopt;
    }
    return n.Scalar();
  }

  std::optional<std::string> Slug(const YamlNode& n, std::string_view what) {
    auto s = String(n, what);
    if (!s) return s;
    if (!IsSlug(*s)) {
      Error(n, std::string(what) + " " + Quote(*s) +
                   " must be an ASCII slug: lower-case letters, digits, '-' and '_'");
      return std::nullopt;
    }
    return s;
  }

  std::optional<double> Number(const YamlNode& n, std::string_view what) {
    auto s = String(n, what);
    if (!s) return std::nullopt;
    const char* b = s->c_str();
    char* e = nullptr;
    errno = 0;
    double v = std::strtod(b, &e);
    if (s->empty() || *e != '\0' || errno == ERANGE || !std::isfinite(v)) {
      Error(n, std::string(what) + " must be a number, got " + Quote(*s));
      return std::nullopt;
    }
    return v;
  }

  std::optional<int> Integer(const YamlNode& n, std::string_view what, int lo, int hi) {
    auto s = String(n, what);
    if (!s) return std::nullopt;
    char* e = nullptr;
    errno = 0;
    long v = std::strtol(s->c_str(), &e, 10);
    if (s->empty() || *e != '\0' || errno == ERANGE) {
      Error(n, std::string(what) + " must be a whole number, got " + Quote(*s));
      return std::nullopt;
    }
    if (v < lo || v > hi) {
      Error(n, std::string(what) + " must be between " + std::to_string(lo) + " and " +
                   std::to_string(hi) + ", got " + std::to_string(v));
      return std::nullopt;
    }
    return static_cast<int>(v);
  }

  std::optional<bool> Bool(const YamlNode& n, std::string_view what) {
    auto s = String(n, what);
    if (!s) return std::nullopt;
    if (*s == "true" || *s == "yes") return true;
    if (*s == "false" || *s == "no") return false;
    Error(n, std::string(what) + " must be true or false, got " + Quote(*s));
    return std::nullopt;
  }

  std::optional<Date> DateValue(const YamlNode& n, std::string_view what) {
    auto s = String(n, what);
    if (!s) return std::nullopt;
    DateError err;
    auto d = ParseDate(*s, &err);
    if (!d) {
      if (err == DateError::kImpossible) {
        Error(n, std::string(what) + " " + Quote(*s) + " is not a real calendar date");
      } else {
        Error(n, std::string(what) + " must be a date written YYYY-MM-DD, got " + Quote(*s));
      }
    }
    return d;
  }

  // A list of scalars; a single scalar is accepted as a one-element list. Sets
  // *unreadable when `n` has the wrong type (already reported).
  std::vector<Ref> RefList(const YamlNode& n, std::string_view what, bool* unreadable = nullptr) {
    std::vector<Ref> out;
    if (!Visit(n)) return out;
    if (n.IsScalar()) {
      out.push_back({n.Scalar(), "", At(n.Mark())});
      return out;
    }
    if (!n.IsSequence()) {
      if (!n.IsNull()) {
        Error(n, std::string(what) + " must be a list, got " + TypeName(n));
        if (unreadable) *unreadable = true;
      }
      return out;
    }
    for (const auto& e : n) {
      if (auto s = String(e, std::string(what) + " entry")) out.push_back({*s, "", At(e.Mark())});
      if (exhausted_) break;
    }
    return out;
  }

  template <typename F>
  void ForEachItem(const YamlNode& n, std::string_view what, F&& f) {
    if (!Visit(n)) return;
    if (n.IsNull()) return;
    if (!n.IsSequence()) {
      Error(n, std::string(what) + " must be a list, got " + TypeName(n));
      return;
    }
    for (const auto& e : n) {
      f(e);
      if (exhausted_) return;
    }
  }

  template <typename E>
  std::optional<E> Enum(const YamlNode& n, std::string_view what,
                        const std::vector<std::pair<std::string, E>>& table) {
    auto s = String(n, what);
    if (!s) return std::nullopt;
    Keys names;
    for (const auto& [k, v] : table) {
      if (k == *s) return v;
      names.push_back(k);
    }
    std::string msg = std::string(what) + " " + Quote(*s) + " is not one of";
    for (size_t i = 0; i < names.size(); ++i) msg += (i ? ", " : " ") + names[i];
    if (auto m = ClosestMatch(*s, names)) msg += "; did you mean " + Quote(*m) + "?";
    Error(n, msg);
    return std::nullopt;
  }

 private:
  std::shared_ptr<const SourceFile> file_;
  Diagnostics& diags_;
  size_t& budget_;
  bool exhausted_ = false;
  mutable std::vector<size_t> line_starts_;
};

const std::vector<std::pair<std::string, UnitKind>> kUnitKinds = {
    {"department", UnitKind::kDepartment}, {"government", UnitKind::kGovernment},
    {"judicial", UnitKind::kJudicial},     {"university", UnitKind::kUniversity},
    {"enterprise", UnitKind::kEnterprise}, {"association", UnitKind::kAssociation},
    {"office", UnitKind::kOffice},         {"group", UnitKind::kGroup},
    {"other", UnitKind::kOther},
};
const std::vector<std::pair<std::string, IndicatorKind>> kIndicatorKinds = {
    {"at_least", IndicatorKind::kAtLeast},   {"at_most", IndicatorKind::kAtMost},
    {"annual_growth", IndicatorKind::kAnnualGrowth}, {"cumulative", IndicatorKind::kCumulative},
    {"ratio", IndicatorKind::kRatio},
};
const std::vector<std::pair<std::string, Trajectory>> kTrajectories = {
    {"linear", Trajectory::kLinear}, {"compound", Trajectory::kCompound}};
const std::vector<std::pair<std::string, Cycle>> kReportingCycles = {
    {"weekly", Cycle::kWeekly}, {"monthly", Cycle::kMonthly}, {"quarterly", Cycle::kQuarterly}};
const std::vector<std::pair<std::string, Cycle>> kIndicatorCycles = {
    {"monthly", Cycle::kMonthly}, {"quarterly", Cycle::kQuarterly}, {"yearly", Cycle::kYearly}};

// Parses YAML text; on a syntax error reports it and returns null.
std::unique_ptr<YamlDocument> ParseYaml(Walker& w, Diagnostics& diags) {
  try {
    return YamlDocument::Parse(w.file()->text);
  } catch (const YAML::DeepRecursion& e) {
    diags.Error(w.AtLineByte(e.mark.line, e.mark.column),
                "invalid YAML: nested too deeply (more than " + std::to_string(e.depth()) + " levels)");
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg.empty() ? std::string("invalid YAML") : "invalid YAML: " + e.msg;
    diags.Error(w.AtLineByte(e.mark.line, e.mark.column), msg);
  } catch (const std::exception& e) {
    diags.Error(Location{w.file(), 0, 0}, std::string("invalid YAML: ") + e.what());
  }
  return nullptr;
}

// Checks the bytes before YAML sees them; returns false (and reports) if unusable.
bool CheckBytes(Walker& w, Diagnostics& diags) {
  const std::string& t = w.file()->text;
  Location whole{w.file(), 0, 0};
  if (t.size() > kMaxPlanBytes) {
    diags.Error(whole, "file is too large (" + std::to_string(t.size()) + " bytes; limit " +
                           std::to_string(kMaxPlanBytes) + ")");
    return false;
  }
  if (t.find_first_not_of(" \t\r\n") == std::string::npos) {
    diags.Error(whole, "file is empty: a plan needs at least 'plan' and 'tasks'");
    return false;
  }
  if (auto bad = FindInvalidUtf8(t)) {
    size_t line_start = t.rfind('\n', *bad == 0 ? 0 : *bad - 1);
    line_start = (line_start == std::string::npos || *bad == 0) ? 0 : line_start + 1;
    int line0 = static_cast<int>(std::count(t.begin(), t.begin() + static_cast<long>(*bad), '\n'));
    Location at = w.AtLineByte(line0, static_cast<int>(*bad - line_start));
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(t[*bad]));
    diags.Error(at, std::string("file is not UTF-8 text (byte ") + hex + ")");
    return false;
  }
  return true;
}

class PlanReader {
 public:
  PlanReader(Walker& w, Plan& plan) : w_(w), plan_(plan) {}

  void ReadDocument(const YamlNode& root, const FileReader& read_file, Diagnostics& diags,
                    size_t& budget, UnitsFileCache* units_cache) {
    bool has_plan = false, has_tasks = false;
    YamlNode units_node;  // undefined until seen
    if (!w_.ForEachKey(root, "the plan file", {"plan", "units", "indicators", "rules", "tasks"},
                       [&](const std::string& k, const YamlNode&, const YamlNode& v) {
                         if (k == "plan") { has_plan = true; ReadMeta(v); }
                         else if (k == "units") units_node = v;
                         else if (k == "indicators") w_.ForEachItem(v, "indicators", [&](const YamlNode& e) { ReadIndicator(e); });
                         else if (k == "rules") w_.ForEachItem(v, "rules", [&](const YamlNode& e) { ReadRule(e); });
                         else if (k == "tasks") { has_tasks = true; ReadTasks(v, -1, 0); }
                       }))
      return;
    if (!has_plan) w_.Error(root, "the plan file has no 'plan' section");
    if (!has_tasks) w_.Error(root, "the plan file has no 'tasks' section");
    // The shared registry comes first, so that the plan's own units follow it.
    if (!plan_.units_file.empty()) ReadUnitsFile(read_file, diags, budget, units_cache);
    if (units_node) {
      w_.ForEachItem(units_node, "units", [&](const YamlNode& e) { ReadUnit(w_, e); });
    }
  }

 private:
  void ReadMeta(const YamlNode& n) {
    plan_.location = w_.At(n.Mark());
    const Keys keys = {"id", "title", "issuer", "doc_number", "issued", "period", "office",
                       "implements", "units_file", "reporting", "supervision", "calendar", "assessment"};
    w_.ForEachKey(n, "plan", keys, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      if (k == "id") { if (auto s = w_.Slug(v, "plan id")) plan_.id = *s; }
      else if (k == "title") { if (auto s = w_.String(v, "title")) plan_.title = *s; }
      else if (k == "issuer") { if (auto s = w_.String(v, "issuer")) plan_.issuer = *s; }
      else if (k == "doc_number") { if (auto s = w_.String(v, "doc_number")) plan_.doc_number = *s; }
      else if (k == "issued") plan_.issued = w_.DateValue(v, "issued date");
      else if (k == "period") ReadPeriod(v);
      else if (k == "office") { if (auto s = w_.String(v, "office")) plan_.office = {*s, "", w_.At(v.Mark())}; }
      else if (k == "implements") { if (auto s = w_.String(v, "implements")) plan_.implements = *s; }
      else if (k == "units_file") {
        if (auto s = w_.String(v, "units_file")) { plan_.units_file = *s; units_file_loc_ = w_.At(v.Mark()); }
      }
      else if (k == "reporting") ReadReporting(v);
      else if (k == "supervision") ReadSupervision(v);
      else if (k == "calendar") ReadCalendar(v);
      else if (k == "assessment") ReadAssessment(v);
    });
    w_.Require(n, "plan", {"id", "title", "period", "office"});
  }

  void ReadPeriod(const YamlNode& n) {
    w_.ForEachKey(n, "period", {"start", "end"}, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      auto d = w_.DateValue(v, k == "start" ? "period start" : "period end");
      if (!d) return;
      if (k == "start") { plan_.period_start = *d; has_start_ = true; }
      else { plan_.period_end = *d; has_end_ = true; }
    });
    w_.Require(n, "period", {"start", "end"});
    if (has_start_ && has_end_ && plan_.period_end < plan_.period_start) {
      w_.Error(n, "period ends (" + plan_.period_end.ToString() + ") before it starts (" +
                      plan_.period_start.ToString() + ")");
    }
  }

  void ReadReporting(const YamlNode& n) {
    YamlNode due_day;  // undefined until seen
    w_.ForEachKey(n, "reporting", {"cycle", "due_day"}, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      if (k == "cycle") { if (auto c = w_.Enum(v, "reporting cycle", kReportingCycles)) plan_.reporting.cycle = *c; }
      else due_day = v;
    });
    if (due_day) {
      bool weekly = plan_.reporting.cycle == Cycle::kWeekly;
      if (auto d = w_.Integer(due_day, weekly ? "due_day of a weekly cycle (1 = Monday)" : "due_day",
                              1, weekly ? 7 : 28))
        plan_.reporting.due_day = *d;
    } else if (plan_.reporting.cycle == Cycle::kWeekly) {
      plan_.reporting.due_day = 5;  // Friday
    }
  }

  void ReadSupervision(const YamlNode& n) {
    Supervision& s = plan_.supervision;
    const std::vector<std::pair<std::string, int*>> fields = {
        {"warning_days", &s.warning_days},         {"notice_after_days", &s.notice_after_days},
        {"bulletin_after_days", &s.bulletin_after_days}, {"progress_tolerance", &s.progress_tolerance},
        {"missed_cycles_yellow", &s.missed_cycles_yellow}, {"missed_cycles_red", &s.missed_cycles_red},
        {"repeated_misses", &s.repeated_misses}, {"report_reminder_days", &s.report_reminder_days}};
    Keys keys;
    for (const auto& f : fields) keys.push_back(f.first);
    w_.ForEachKey(n, "supervision", keys, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      for (const auto& [name, field] : fields) {
        if (name != k) continue;
        int hi = k == "progress_tolerance" ? 100 : 3650;
        if (auto x = w_.Integer(v, k, 0, hi)) *field = *x;
      }
    });
    if (s.bulletin_after_days < s.notice_after_days) {
      w_.Error(n, "bulletin_after_days (" + std::to_string(s.bulletin_after_days) +
                      ") must not be less than notice_after_days (" +
                      std::to_string(s.notice_after_days) + ")");
    }
    if (s.missed_cycles_red < s.missed_cycles_yellow) {
      w_.Error(n, "missed_cycles_red must not be less than missed_cycles_yellow");
    }
  }

  // assessment: {closure: 50, reporting: 30, indicators: 20}, summing to 100.
  void ReadAssessment(const YamlNode& n) {
    AssessmentWeights& a = plan_.assessment;
    w_.ForEachKey(n, "assessment", {"closure", "reporting", "indicators"}, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      if (auto x = w_.Integer(v, k + " weight", 0, 100)) (k == "closure" ? a.closure : k == "reporting" ? a.reporting : a.indicators) = *x;
    });
    if (n.IsMap() && a.closure + a.reporting + a.indicators != 100)
      w_.Error(n, "assessment weights must add up to 100, got " + std::to_string(a.closure + a.reporting + a.indicators));
  }

  // calendar: {holidays: [{from, to, name}], workdays: [dates]}
  void ReadCalendar(const YamlNode& n) {
    w_.ForEachKey(n, "calendar", {"holidays", "workdays"}, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      if (k == "workdays") {
        w_.ForEachItem(v, "workdays", [&](const YamlNode& e) {
          if (auto d = w_.DateValue(e, "working day")) plan_.calendar.push_back({*d, *d, "", true, w_.At(e.Mark())});
        });
        return;
      }
      w_.ForEachItem(v, "holidays", [&](const YamlNode& e) {
        CalendarEntry c;
        c.location = w_.At(e.Mark());
        bool ok = true;
        w_.ForEachKey(e, "a holiday", {"from", "to", "name"}, [&](const std::string& hk, const YamlNode&, const YamlNode& hv) {
          if (hk == "name") { if (auto s = w_.String(hv, "holiday name")) c.name = *s; return; }
          auto d = w_.DateValue(hv, hk == "from" ? "holiday start" : "holiday end");
          if (!d) { ok = false; return; }
          (hk == "from" ? c.from : c.to) = *d;
        });
        w_.Require(e, "a holiday", {"from", "to"});
        if (!e.IsMap() || !e["from"] || !e["to"]) ok = false;
        if (ok && c.to < c.from) { w_.Error(e, "holiday ends before it starts"); ok = false; }
        if (ok) plan_.calendar.push_back(c);
      });
    });
  }

  void ReadUnitsFile(const FileReader& read_file, Diagnostics& diags, size_t& budget, UnitsFileCache* cache) {
    auto text = read_file(plan_.units_file);
    if (!text.ok()) {
      diags.Error(units_file_loc_, "cannot read units file " + Quote(plan_.units_file) + ": " +
                                       text.status().message());
      return;
    }
    if (cache) {
      if (const UnitsFileCache::Entry* hit = cache->Find(plan_.units_file, *text); hit && hit->nodes < budget) {
        budget -= hit->nodes;
        plan_.units.insert(plan_.units.end(), hit->units.begin(), hit->units.end());
        return;
      }
    }
    auto file = std::make_shared<SourceFile>(SourceFile{plan_.units_file, std::move(text.value())});
    const size_t problems = diags.items().size() + diags.dropped(), budget_before = budget, first = plan_.units.size();
    Walker uw(file, diags, budget);
    if (!CheckBytes(uw, diags)) return;
    auto doc = ParseYaml(uw, diags);
    if (!doc) return;
    uw.ForEachKey(doc->root(), "a units file", {"units"}, [&](const std::string&, const YamlNode&, const YamlNode& v) {
      uw.ForEachItem(v, "units", [&](const YamlNode& e) { ReadUnit(uw, e); });
    });
    // Only a file read without a problem is kept: its units are all there is to reuse.
    if (cache && diags.items().size() + diags.dropped() == problems && budget > 0)
      cache->Put(file->name, file->text,
                 {std::vector<Unit>(plan_.units.begin() + static_cast<std::ptrdiff_t>(first), plan_.units.end()),
                  budget_before - budget});
  }

  void ReadUnit(Walker& w, const YamlNode& n) {
    Unit u;
    u.location = w.At(n.Mark());
    bool has_kind = false;
    const Keys keys = {"id", "name", "aliases", "kind", "contact", "members"};
    YamlNode members;  // undefined until seen
    if (!w.ForEachKey(n, "a unit", keys, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
          if (k == "id") { if (auto s = w.Slug(v, "unit id")) u.id = *s; }
          else if (k == "name") { if (auto s = w.String(v, "unit name")) u.name = *s; }
          else if (k == "aliases") { for (auto& r : w.RefList(v, "aliases")) u.aliases.push_back(r.text); }
          else if (k == "kind") { if (auto e = w.Enum(v, "unit kind", kUnitKinds)) { u.kind = *e; has_kind = true; } }
          else if (k == "contact") ReadContact(w, v, u.contact);
          else if (k == "members") members = v;
        }))
      return;
    w.Require(n, "a unit", {"id", "name"});
    if (members) {
      u.members = w.RefList(members, "members");
      if (!has_kind) u.kind = UnitKind::kGroup;
      if (u.kind != UnitKind::kGroup) {
        w.Error(members, "unit " + Quote(u.id) + " has members but its kind is " +
                             Quote(ToString(u.kind)) + "; only a group has members");
      } else if (u.members.empty()) {
        w.Error(members, "group " + Quote(u.id) + " has no members");
      }
    } else if (u.kind == UnitKind::kGroup) {
      w.Error(n, "group " + Quote(u.id) + " has no members");
    }
    if (!u.id.empty()) plan_.units.push_back(std::move(u));
  }

  void ReadContact(Walker& w, const YamlNode& n, Contact& c) {
    w.ForEachKey(n, "contact", {"email", "webhook", "phone"}, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      auto s = w.String(v, k);
      if (!s) return;
      if (k == "email") {
        if (s->find('@') == std::string::npos) w.Error(v, "email " + Quote(*s) + " has no '@'");
        c.email = *s;
      } else if (k == "webhook") {
        if (s->rfind("http://", 0) != 0 && s->rfind("https://", 0) != 0)
          w.Error(v, "webhook " + Quote(*s) + " must be an http:// or https:// URL");
        c.webhook = *s;
      } else {
        c.phone = *s;
      }
    });
  }

  void ReadMeasurement(const YamlNode& n, std::string_view what, Measurement& m, bool date_required) {
    m.location = w_.At(n.Mark());
    bool has_value = false;
    w_.ForEachKey(n, what, {"value", "date"}, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      if (k == "value") { if (auto x = w_.Number(v, std::string(what) + " value")) { m.value = *x; has_value = true; } else has_value = true; }
      else m.date = w_.DateValue(v, std::string(what) + " date");
    });
    if (!n.IsMap()) return;
    if (!has_value) w_.Error(n, std::string(what) + " has no value");
    if (date_required && !n["date"]) w_.Error(n, std::string(what) + " has no date");
  }

  void ReadIndicator(const YamlNode& n) {
    Indicator ind;
    ind.location = w_.At(n.Mark());
    bool has_trajectory = false, has_target = false;
    const Keys keys = {"id", "name", "measure", "kind", "trajectory", "baseline", "target",
                       "owner", "cycle", "source"};
    if (!w_.ForEachKey(n, "an indicator", keys, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
          if (k == "id") { if (auto s = w_.Slug(v, "indicator id")) ind.id = *s; }
          else if (k == "name") { if (auto s = w_.String(v, "indicator name")) ind.name = *s; }
          else if (k == "measure") { if (auto s = w_.String(v, "measure")) ind.measure = *s; }
          else if (k == "kind") { if (auto e = w_.Enum(v, "indicator kind", kIndicatorKinds)) ind.kind = *e; }
          else if (k == "trajectory") { if (auto e = w_.Enum(v, "trajectory", kTrajectories)) { ind.trajectory = *e; has_trajectory = true; } }
          else if (k == "baseline") { ind.baseline.emplace(); ReadMeasurement(v, "baseline", *ind.baseline, false); }
          else if (k == "target") { has_target = true; ReadMeasurement(v, "target", ind.target, true); }
          else if (k == "owner") { if (auto s = w_.String(v, "owner")) ind.owner = {*s, "", w_.At(v.Mark())}; }
          else if (k == "cycle") { if (auto e = w_.Enum(v, "indicator cycle", kIndicatorCycles)) ind.cycle = *e; }
          else if (k == "source") { if (auto s = w_.String(v, "source")) ind.source = *s; }
        }))
      return;
    w_.Require(n, "an indicator", {"id", "name", "measure", "kind", "owner"});
    if (!has_target) w_.Error(n, "indicator " + Quote(ind.id) + " has no target");
    if (ind.kind == IndicatorKind::kAnnualGrowth && !has_trajectory) ind.trajectory = Trajectory::kCompound;
    if (!ind.id.empty()) plan_.indicators.push_back(std::move(ind));
  }

  void ReadRule(const YamlNode& n) {
    Rule r;
    r.location = w_.At(n.Mark());
    int roles = 0;
    bool has_tasks = false;
    if (!w_.ForEachKey(n, "a rule", {"lead", "cooperate", "tasks", "source"},
                       [&](const std::string& k, const YamlNode&, const YamlNode& v) {
          if (k == "lead" || k == "cooperate") {
            ++roles;
            r.role = k == "lead" ? Role::kLead : Role::kCooperate;
            r.units = w_.RefList(v, k);
          } else if (k == "tasks") {
            has_tasks = true;
            ReadRuleTasks(v, r);
          } else {
            if (auto s = w_.String(v, "source")) r.source = *s;
          }
        }))
      return;
    if (roles != 1) w_.Error(n, "a rule needs exactly one of 'lead' or 'cooperate'");
    if (!has_tasks) w_.Error(n, "a rule needs 'tasks': a range {from, to}, a list of ids, or all");
    plan_.rules.push_back(std::move(r));
  }

  void ReadRuleTasks(const YamlNode& v, Rule& r) {
    if (v.IsScalar() && v.Scalar() == "all") { r.all = true; return; }
    if (v.IsMap()) {
      w_.ForEachKey(v, "a rule's task range", {"from", "to"}, [&](const std::string& k, const YamlNode&, const YamlNode& x) {
        auto s = w_.String(x, k);
        if (!s) return;
        (k == "from" ? r.range_from : r.range_to) = Ref{*s, "", w_.At(x.Mark())};
      });
      w_.Require(v, "a rule's task range", {"from", "to"});
      return;
    }
    if (v.IsSequence()) { r.task_list = w_.RefList(v, "tasks"); return; }
    w_.Error(v, "a rule's 'tasks' must be a range {from, to}, a list of task ids, or all");
  }

  void ReadTasks(const YamlNode& list, int parent, int depth) {
    if (depth >= kMaxTaskDepth) {
      w_.Error(list, "tasks are nested more than " + std::to_string(kMaxTaskDepth) + " levels deep");
      return;
    }
    w_.ForEachItem(list, "tasks", [&](const YamlNode& e) { ReadTask(e, parent, depth); });
  }

  void ReadTask(const YamlNode& n, int parent, int depth) {
    int index = static_cast<int>(plan_.tasks.size());
    plan_.tasks.emplace_back();
    plan_.tasks[index].location = w_.At(n.Mark());
    plan_.tasks[index].parent = parent;
    plan_.tasks[index].depth = depth;
    if (parent >= 0) plan_.tasks[parent].children.push_back(index);
    YamlNode children;  // undefined until seen
    const Keys keys = {"id", "title", "text", "source", "lead", "cooperate", "office_decision",
                       "start", "due", "milestones", "recurrence", "depends_on", "indicators", "tasks"};
    // Note: plan_.tasks may reallocate while children are read; always index.
    if (!w_.ForEachKey(n, "a task", keys, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
          Task& t = plan_.tasks[index];
          if (k == "id") {
            if (auto s = w_.String(v, "task id")) {
              if (s->empty() || s->find_first_of(" \t\n") != std::string::npos)
                w_.Error(v, "task id " + Quote(*s) + " must be non-empty and without spaces");
              t.id = *s;
            }
          }
          else if (k == "title") { if (auto s = w_.String(v, "task title")) t.title = *s; }
          else if (k == "text") { if (auto s = w_.String(v, "task text")) t.text = *s; }
          else if (k == "source") { if (auto s = w_.String(v, "source")) t.source = *s; }
          else if (k == "lead") t.lead = w_.RefList(v, "lead", &t.lead_unreadable);
          else if (k == "cooperate") t.cooperate = w_.RefList(v, "cooperate");
          else if (k == "office_decision") { if (auto b = w_.Bool(v, "office_decision")) t.office_decision = *b; }
          else if (k == "start") t.start_as_written = w_.DateValue(v, "start date");
          else if (k == "due") t.due_as_written = w_.DateValue(v, "due date");
          else if (k == "milestones") w_.ForEachItem(v, "milestones", [&](const YamlNode& m) { ReadMilestone(m, index); });
          else if (k == "recurrence") ReadRecurrence(v, index);
          else if (k == "depends_on") t.depends_on = w_.RefList(v, "depends_on");
          else if (k == "indicators") t.indicators = w_.RefList(v, "indicators");
          else if (k == "tasks") children = v;
        }))
      return;
    w_.Require(n, "a task", {"id", "title"});
    if (children) ReadTasks(children, index, depth + 1);
  }

  void ReadMilestone(const YamlNode& n, int task) {
    Milestone m;
    m.location = w_.At(n.Mark());
    bool has_due = false;
    w_.ForEachKey(n, "a milestone", {"title", "due"}, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      if (k == "title") { if (auto s = w_.String(v, "milestone title")) m.title = *s; }
      else if (auto d = w_.DateValue(v, "milestone due date")) { m.due = *d; has_due = true; }
      else has_due = true;  // reported already
    });
    w_.Require(n, "a milestone", {"title", "due"});
    if (has_due) plan_.tasks[task].milestones.push_back(std::move(m));
  }

  void ReadRecurrence(const YamlNode& n, int task) {
    Recurrence& r = plan_.tasks[task].recurrence;
    w_.ForEachKey(n, "recurrence", {"yearly", "ongoing"}, [&](const std::string& k, const YamlNode&, const YamlNode& v) {
      if (k == "ongoing") { if (auto b = w_.Bool(v, "ongoing")) r.ongoing = *b; return; }
      for (const auto& ref : w_.RefList(v, "yearly")) {
        const std::string& s = ref.text;
        int m = 0, d = 0;
        bool shape = s.size() == 5 && s[2] == '-' && std::isdigit(static_cast<unsigned char>(s[0])) &&
                     std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[3])) &&
                     std::isdigit(static_cast<unsigned char>(s[4]));
        if (shape) { m = (s[0] - '0') * 10 + (s[1] - '0'); d = (s[3] - '0') * 10 + (s[4] - '0'); }
        if (!shape) {
          w_.Error(v, "yearly day must be written MM-DD, got " + Quote(s));
        } else if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(2024, m)) {
          w_.Error(v, "yearly day " + Quote(s) + " is not a real calendar day");
        } else {
          r.yearly.push_back({m, d});
        }
      }
    });
  }

  Walker& w_;
  Plan& plan_;
  Location units_file_loc_;
  bool has_start_ = false, has_end_ = false;
};

}  // namespace

LoadResult LoadUnitsFile(const std::string& name, std::string contents) {
  // The registry is read the way a plan reads its units_file, inside a plan with no
  // tasks and no office; only the units file's own problems can be reported.
  std::string wrapper = "plan: {id: registry, title: registry, period: {start: 1900-01-01, end: 2999-12-31}, "
                        "office: '', units_file: 'UNITS'}\ntasks: []\n";
  auto text = std::make_shared<std::string>(std::move(contents));
  LoadResult r = LoadPlan("(registry)", wrapper, [text, name](const std::string&) -> Result<std::string> { return *text; });
  // Diagnostics name the units file by the name the caller gave.
  LoadResult out;
  out.unusable = r.unusable;
  for (const Diagnostic& d : r.diagnostics.items()) {
    Location at = d.location;
    if (at.file && at.file->name == "UNITS") at.file = std::make_shared<SourceFile>(SourceFile{name, at.file->text});
    d.severity == Severity::kError ? out.diagnostics.Error(at, d.message) : out.diagnostics.Warning(at, d.message);
  }
  out.plan = std::move(r.plan);
  return out;
}

FileReader NoFileReader() {
  return [](const std::string&) -> Result<std::string> {
    return Status::NotFound("no files may be read here");
  };
}

const UnitsFileCache::Entry* UnitsFileCache::Find(const std::string& name, const std::string& text) const {
  auto it = entries_.find({name, text});
  if (it == entries_.end()) return nullptr;
  ++hits_;
  return &it->second;
}

void UnitsFileCache::Put(const std::string& name, const std::string& text, Entry entry) {
  entries_.insert_or_assign({name, text}, std::move(entry));
}

LoadResult LoadPlan(const std::string& name, std::string contents, const FileReader& read_file,
                    UnitsFileCache* units_cache) {
  LoadResult result;
  auto file = std::make_shared<SourceFile>(SourceFile{name, std::move(contents)});
  size_t budget = kMaxPlanNodes;
  Walker w(file, result.diagnostics, budget);
  if (!CheckBytes(w, result.diagnostics)) {
    result.unusable = true;
    return result;
  }
  auto doc = ParseYaml(w, result.diagnostics);
  if (!doc) {
    result.unusable = true;
    return result;
  }
  const YamlNode root = doc->root();
  if (!root.IsMap()) {
    w.Error(root, std::string("a plan file must be a mapping with 'plan' and 'tasks', got ") +
                      Walker::TypeName(root));
    result.unusable = true;
    return result;
  }
  Plan plan;
  PlanReader reader(w, plan);
  reader.ReadDocument(root, read_file, result.diagnostics, budget, units_cache);
  if (w.exhausted() || budget == 0) {
    result.unusable = true;
    return result;
  }
  // References and whole-plan checks only make sense on a structurally sound plan;
  // but we still run them to report as much as possible in one pass.
  ResolvePlan(plan, result.diagnostics);
  result.diagnostics.SortByLocation();
  if (!result.diagnostics.has_errors()) result.plan = std::move(plan);
  return result;
}

}  // namespace duban
