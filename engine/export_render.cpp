#include "engine/export_render.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/text.h"
#include "engine/workflow.h"

namespace duban {
namespace {

bool Open(AssignmentStatus s) { return s != AssignmentStatus::kDone && s != AssignmentStatus::kClosed; }

const char* RoleZh(bool lead) { return lead ? "牵头" : "配合"; }

std::string Reasons(const std::vector<Reason>& rs) {
  std::string s;
  for (const auto& r : rs) s += (s.empty() ? "" : ";") + r.zh;
  return s;
}

// ---------------------------------------------------------------------------------
// iCalendar (RFC 5545)

std::string IcsDate(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year(), d.month(), d.day());
  return buf;
}

// TEXT values (3.3.11): backslash, semicolon and comma are escaped, a line break becomes
// \n. Other control characters are not allowed in TEXT and are dropped.
std::string EscapeText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += c; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) break;  // \r of a CRLF too
        out += c;
    }
  }
  return out;
}

// A UID part in ASCII: ids are slugs or dotted numbers in practice, but a task id may
// be anything without spaces, so other bytes are percent-encoded (stable, reversible).
std::string UidPart(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                 c == '_' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// The length of the unit that must stay on one physical line: a whole UTF-8 character
// (RFC 5545 3.1 forbids splitting one), or an escape pair such as "\," (allowed to be
// split by the RFC, but some readers unescape before unfolding).
size_t Utf8Length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return std::min(n, s.size() - i);
}

size_t UnitLength(std::string_view s, size_t i) {
  return s[i] == '\\' ? std::min<size_t>(2, s.size() - i) : Utf8Length(s, i);
}

// One content line, folded at 75 octets: each continuation line starts with a single
// space, which counts towards its 75.
std::string Fold(std::string_view line) {
  constexpr size_t kMax = 75;
  std::string out;
  size_t width = 0;  // octets on the current physical line
  for (size_t i = 0; i < line.size();) {
    size_t n = UnitLength(line, i);
    if (width + n > kMax) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line.substr(i, n));
    width += n;
    i += n;
  }
  return out + "\r\n";
}

struct IcsEvent {
  Date date;
  std::string uid;
  std::string summary;
  std::string description;
};

// What the unit holds on one task; a unit may hold a task twice (directly and through a
// group), which makes one entry, the lead role winning.
struct Holding {
  int row = -1;  // into PlanSnapshot::tasks
  const AssignmentView* assignment = nullptr;
  const AssignmentStatusView* status = nullptr;
  bool lead = false;
};

std::vector<Date> YearlyOccurrences(const std::vector<MonthDay>& days, Date from, Date to) {
  std::vector<Date> out;
  for (int y = from.year(); y <= to.year(); ++y) {
    for (const MonthDay& md : days) {
      // 02-29 falls on 02-28 in common years, as supervision counts it.
      auto date = Date::FromCivil(y, md.month, std::min(md.day, DaysInMonth(y, md.month)));
      if (date && *date >= from && *date <= to) out.push_back(*date);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string StateLine(const Holding& h, Date today) {
  return "状态:" + std::string(StatusLabelZh(h.assignment->status)) + ",进度 " +
         std::to_string(h.assignment->progress) + "%(截至 " + today.ToString() + ")";
}

std::string LightLine(const Holding& h) {
  std::string s = "灯号:" + std::string(LightLabelZh(h.status->light));
  if (!h.status->reasons.empty()) s += "\n原因:" + Reasons(h.status->reasons);
  return s;
}

// ---------------------------------------------------------------------------------
// Dependency graph

constexpr const char* kRed = "#e74c3c";
constexpr const char* kYellow = "#f1c40f";
constexpr const char* kGreen = "#2ecc71";
constexpr const char* kGrey = "#bdc3c7";

struct GraphNode {
  int row = -1;  // into PlanSnapshot::tasks
  const TaskStatusView* status = nullptr;  // none for a task nobody is assigned to
  bool shown = true;
};

struct GraphEdge {
  int from = -1, to = -1;  // into GraphModel::nodes
  bool critical = false;
};

struct GraphSection {
  int row = -1;             // the parent task's row; -1 for leaves at the top level
  std::vector<int> nodes;   // shown nodes, document order
};

struct GraphModel {
  std::vector<GraphNode> nodes;  // every leaf task, document order
  std::vector<GraphEdge> edges;
  std::vector<GraphSection> sections;  // in order of their first node
};

// A title for a node: at most 16 characters, the 16th an ellipsis when cut.
std::string ShortTitle(std::string_view title) {
  constexpr size_t kMax = 16;
  std::u32string cps = DecodeUtf8(title);
  if (cps.size() <= kMax) return std::string(title);
  cps.resize(kMax - 1);
  cps.push_back(U'…');
  return EncodeUtf8(cps);
}

const char* Colour(const GraphNode& n) {
  if (!n.status) return nullptr;
  if (n.status->state == AssignmentStatus::kClosed) return kGrey;
  switch (n.status->light) {
    case Light::kRed: return kRed;
    case Light::kYellow: return kYellow;
    case Light::kGreen: return kGreen;
  }
  return nullptr;
}

const char* ClassName(const GraphNode& n) {
  if (!n.status) return nullptr;
  if (n.status->state == AssignmentStatus::kClosed) return "closed";
  return ToString(n.status->light);
}

GraphModel BuildGraph(const PlanStatus& status, bool critical_only) {
  const PlanSnapshot& plan = *status.plan;
  GraphModel m;
  std::unordered_map<std::string, int> node_of, row_of;
  for (size_t r = 0; r < plan.tasks.size(); ++r) {
    row_of.emplace(plan.tasks[r].id, static_cast<int>(r));
    if (!plan.tasks[r].leaf) continue;
    node_of.emplace(plan.tasks[r].id, static_cast<int>(m.nodes.size()));
    m.nodes.push_back({static_cast<int>(r), nullptr, !critical_only});
  }
  for (const TaskStatusView& t : status.tasks) {
    auto it = node_of.find(plan.tasks[t.task].id);
    if (it != node_of.end()) m.nodes[it->second].status = &t;
  }

  // The critical path is a chain: its edges join consecutive tasks.
  std::set<std::pair<int, int>> critical;
  for (size_t i = 0; i + 1 < status.critical_path.size(); ++i) {
    auto a = node_of.find(status.critical_path[i]), b = node_of.find(status.critical_path[i + 1]);
    if (a != node_of.end() && b != node_of.end()) critical.insert({a->second, b->second});
  }
  if (critical_only) {
    for (const std::string& id : status.critical_path) {
      auto it = node_of.find(id);
      if (it != node_of.end()) m.nodes[it->second].shown = true;
    }
    for (const auto& [a, b] : critical) m.edges.push_back({a, b, true});
    std::sort(m.edges.begin(), m.edges.end(), [](const GraphEdge& x, const GraphEdge& y) {
      return std::pair(x.to, x.from) < std::pair(y.to, y.from);
    });
  } else {
    // Dependency → dependant, by dependant in document order, then as written. A
    // dependency on a section (not a node) draws nothing.
    std::set<std::pair<int, int>> seen;
    for (size_t v = 0; v < m.nodes.size(); ++v) {
      for (const std::string& dep : plan.tasks[m.nodes[v].row].depends_on) {
        auto it = node_of.find(dep);
        if (it == node_of.end()) continue;
        std::pair<int, int> e{it->second, static_cast<int>(v)};
        if (seen.insert(e).second) m.edges.push_back({e.first, e.second, critical.count(e) > 0});
      }
    }
  }

  std::map<int, size_t> section_of;  // parent row → index into sections
  for (size_t v = 0; v < m.nodes.size(); ++v) {
    if (!m.nodes[v].shown) continue;
    const std::string& parent = plan.tasks[m.nodes[v].row].parent;
    auto p = row_of.find(parent);
    int prow = parent.empty() || p == row_of.end() ? -1 : p->second;
    auto [it, added] = section_of.emplace(prow, m.sections.size());
    if (added) m.sections.push_back({prow, {}});
    m.sections[it->second].nodes.push_back(static_cast<int>(v));
  }
  return m;
}

// A quoted dot string: only " and \ are special to the parser; "\n" is written by the
// caller where a line break is meant.
std::string DotQuote(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') continue;
    out += c;
  }
  return out;
}

// Mermaid label text inside ["..."]: entity codes (#quot; and friends) for the
// characters that would end the label or be read as HTML.
std::string MermaidText(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '#': out += "#35;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '&': out += "#amp;"; break;
      case '\n': out += "<br/>"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

// A Mermaid id: `prefix` then the id with every character outside [A-Za-z0-9_] as "_"
// (one per character, not per byte), made unique against `taken` with "_2", "_3", …
std::string MermaidId(const std::string& prefix, std::string_view id, std::set<std::string>& taken) {
  std::string base = prefix;
  for (size_t i = 0; i < id.size();) {
    char c = id[i];
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    base += plain ? c : '_';
    i += Utf8Length(id, i);
  }
  std::string name = base;
  for (int n = 2; !taken.insert(name).second; ++n) name = base + "_" + std::to_string(n);
  return name;
}

}  // namespace

std::string RenderUnitIcs(const PlanStatus& status, const std::string& unit, const WorkCalendar& calendar, Date from,
                          Date to, const std::string& stamp) {
  const PlanSnapshot& plan = *status.plan;
  std::unordered_map<std::string, int> row_of;
  for (size_t r = 0; r < plan.tasks.size(); ++r) row_of.emplace(plan.tasks[r].id, static_cast<int>(r));

  std::string unit_name;
  for (const UnitContact& c : plan.contacts)
    if (c.id == unit) unit_name = c.name;
  std::vector<Holding> held;
  std::map<int, size_t> held_index;  // row → index into held
  for (size_t i = 0; i < plan.assignments.size() && i < status.assignments.size(); ++i) {
    const AssignmentView& a = plan.assignments[i];
    if (a.unit != unit) continue;
    if (unit_name.empty()) unit_name = a.unit_name;
    auto r = row_of.find(a.task);
    if (!Open(a.status) || r == row_of.end()) continue;
    Holding h{r->second, &a, &status.assignments[i], a.role == Role::kLead};
    auto [it, added] = held_index.emplace(h.row, held.size());
    if (added) held.push_back(h);
    else if (h.lead && !held[it->second].lead) held[it->second] = h;
  }
  std::sort(held.begin(), held.end(), [](const Holding& a, const Holding& b) { return a.row < b.row; });
  if (unit_name.empty()) unit_name = unit;

  std::vector<IcsEvent> events;
  std::set<std::string> uids;
  auto add = [&](const char* kind, const std::string& subject, Date d, std::string summary, std::string description) {
    std::string base = std::string(kind) + "-" + UidPart(plan.id) + "-" + UidPart(subject) + "-" + IcsDate(d) + "-" +
                       UidPart(unit);
    std::string uid = base + "@duban";
    // Two milestones of one task on one day: the second gets "-2".
    for (int n = 2; !uids.insert(uid).second; ++n) uid = base + "-" + std::to_string(n) + "@duban";
    events.push_back({d, uid, std::move(summary), std::move(description)});
  };
  auto in_range = [&](Date d) { return d >= from && d <= to; };

  const std::string plan_line = "方案:" + plan.title;
  for (const Holding& h : held) {
    const PlanSnapshot::TaskRow& t = plan.tasks[h.row];
    const AssignmentView& a = *h.assignment;
    const std::string task_line = "任务:" + t.id + " " + t.title;
    const std::string role_line = "职责:" + std::string(RoleZh(h.lead)) + "单位";
    if (!a.ongoing && in_range(a.due))
      add("due", t.id, a.due, "【完成时限】" + t.id + " " + t.title,
          plan_line + "\n" + task_line + "\n" + role_line + "\n" + StateLine(h, status.today) + "\n" + LightLine(h));
    for (const auto& [title, due] : t.milestones)
      if (in_range(due))
        add("milestone", t.id, due, "【阶段目标】" + t.id + " " + title,
            plan_line + "\n" + task_line + "\n阶段目标:" + title + "\n" + role_line);
    for (Date d : YearlyOccurrences(t.yearly, from, to))
      add("event", t.id, d, "【年度事项】" + t.id + " " + t.title, plan_line + "\n" + task_line + "\n" + role_line);
  }

  // One reminder per reporting day, listing the tasks that owe a report then. The duty
  // is supervision's: from a week after the task starts, while it is open, to its due
  // date or the plan's end (whichever is later); ongoing tasks have no end.
  for (Date d : ReportingDays(plan.reporting, from, to, calendar)) {
    std::string list;
    for (const Holding& h : held) {
      const AssignmentView& a = *h.assignment;
      if (d < std::max(a.start, plan.period_start) + 7) continue;
      if (!a.ongoing && d > std::max(a.due, plan.period_end)) continue;
      const PlanSnapshot::TaskRow& t = plan.tasks[h.row];
      list += "\n" + t.id + " " + t.title + "(" + RoleZh(h.lead) + "," + StatusLabelZh(a.status) + " " +
              std::to_string(a.progress) + "%)";
    }
    if (list.empty()) continue;
    add("report", "report", d, "【进展报送】" + plan.title, plan_line + "\n请报送以下任务的进展:" + list);
  }

  std::sort(events.begin(), events.end(),
            [](const IcsEvent& a, const IcsEvent& b) { return std::tie(a.date, a.uid) < std::tie(b.date, b.uid); });

  std::string out;
  out += Fold("BEGIN:VCALENDAR");
  out += Fold("VERSION:2.0");
  out += Fold("PRODID:-//duban//duban 0.1//ZH");
  out += Fold("CALSCALE:GREGORIAN");
  out += Fold("METHOD:PUBLISH");
  out += Fold("X-WR-CALNAME:" + EscapeText(plan.title + " — " + unit_name));
  for (const IcsEvent& e : events) {
    out += Fold("BEGIN:VEVENT");
    out += Fold("UID:" + e.uid);
    out += Fold("DTSTAMP:" + stamp);
    out += Fold("DTSTART;VALUE=DATE:" + IcsDate(e.date));
    out += Fold("DTEND;VALUE=DATE:" + IcsDate(e.date + 1));
    out += Fold("SUMMARY:" + EscapeText(e.summary));
    out += Fold("DESCRIPTION:" + EscapeText(e.description));
    out += Fold("TRANSP:TRANSPARENT");
    out += Fold("END:VEVENT");
  }
  out += Fold("END:VCALENDAR");
  return out;
}

std::string RenderGraphDot(const PlanStatus& status, bool critical_only) {
  const PlanSnapshot& plan = *status.plan;
  const GraphModel m = BuildGraph(status, critical_only);
  // Pango (and SVG readers) take a list of families: CJK ones first so that Chinese
  // labels do not fall back to boxes.
  const char* font = "Noto Sans CJK SC,Source Han Sans SC,WenQuanYi Micro Hei,Microsoft YaHei,PingFang SC,sans-serif";
  auto id = [&](int node) { return "\"" + DotQuote(plan.tasks[m.nodes[node].row].id) + "\""; };
  auto node_line = [&](int node, const std::string& indent) {
    const PlanSnapshot::TaskRow& t = plan.tasks[m.nodes[node].row];
    std::string s = indent + id(node) + " [label=\"" + DotQuote(t.id) + "\\n" + DotQuote(ShortTitle(t.title)) + "\"";
    if (const char* c = Colour(m.nodes[node])) s += std::string(", fillcolor=\"") + c + "\"";
    return s + "];\n";
  };

  std::string out = "digraph \"" + DotQuote(plan.id) + "\" {\n";
  out += std::string("  graph [rankdir=LR, fontname=\"") + font + "\", label=\"" + DotQuote(plan.title) +
         "\", labelloc=t];\n";
  out += std::string("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"") + font +
         "\"];\n";
  out += std::string("  edge [fontname=\"") + font + "\"];\n";
  for (const GraphSection& s : m.sections) {
    if (s.row < 0) {
      for (int v : s.nodes) out += node_line(v, "  ");
      continue;
    }
    const PlanSnapshot::TaskRow& sec = plan.tasks[s.row];
    out += "  subgraph \"cluster_" + DotQuote(sec.id) + "\" {\n";
    out += "    label=\"" + DotQuote(sec.title) + "\";\n";
    for (int v : s.nodes) out += node_line(v, "    ");
    out += "  }\n";
  }
  for (const GraphEdge& e : m.edges)
    out += "  " + id(e.from) + " -> " + id(e.to) + (e.critical ? " [style=bold, penwidth=3]" : "") + ";\n";
  out += "}\n";
  return out;
}

std::string RenderGraphMermaid(const PlanStatus& status, bool critical_only) {
  const PlanSnapshot& plan = *status.plan;
  const GraphModel m = BuildGraph(status, critical_only);
  // Ids over every leaf, shown or not, so that a node keeps its id with critical_only.
  std::set<std::string> taken;
  std::vector<std::string> ids;
  for (const GraphNode& n : m.nodes) ids.push_back(MermaidId("t_", plan.tasks[n.row].id, taken));
  auto node_line = [&](int node, const std::string& indent) {
    const PlanSnapshot::TaskRow& t = plan.tasks[m.nodes[node].row];
    return indent + ids[node] + "[\"" + MermaidText(t.id) + "<br/>" + MermaidText(ShortTitle(t.title)) + "\"]\n";
  };

  std::string out = "flowchart LR\n";
  for (const GraphSection& s : m.sections) {
    if (s.row < 0) {
      for (int v : s.nodes) out += node_line(v, "  ");
      continue;
    }
    const PlanSnapshot::TaskRow& sec = plan.tasks[s.row];
    out += "  subgraph " + MermaidId("s_", sec.id, taken) + "[\"" + MermaidText(sec.title) + "\"]\n";
    for (int v : s.nodes) out += node_line(v, "    ");
    out += "  end\n";
  }
  for (const GraphEdge& e : m.edges) out += "  " + ids[e.from] + (e.critical ? " ==> " : " --> ") + ids[e.to] + "\n";

  out += std::string("  classDef red fill:") + kRed + ",stroke:#c0392b,color:#ffffff\n";
  out += std::string("  classDef yellow fill:") + kYellow + ",stroke:#b7950b,color:#000000\n";
  out += std::string("  classDef green fill:") + kGreen + ",stroke:#27ae60,color:#000000\n";
  out += std::string("  classDef closed fill:") + kGrey + ",stroke:#95a5a6,color:#000000\n";
  for (const char* cls : {"red", "yellow", "green", "closed"}) {
    std::string members;
    for (size_t v = 0; v < m.nodes.size(); ++v) {
      const char* c = ClassName(m.nodes[v]);
      if (m.nodes[v].shown && c && std::string_view(c) == cls) members += (members.empty() ? "" : ",") + ids[v];
    }
    if (!members.empty()) out += "  class " + members + " " + cls + "\n";
  }
  return out;
}

}  // namespace duban
