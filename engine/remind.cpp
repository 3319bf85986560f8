#include "engine/remind.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <nlohmann/json.hpp>

#include "engine/workflow.h"

namespace duban {
namespace {

using json = nlohmann::ordered_json;

std::string Period(const AssignmentStatusView& s, Date today) {
  if (s.escalation == Escalation::kReminder) {
    std::vector<std::string> parts;
    for (const Reason& r : s.escalation_reasons) {
      if (r.code == "report_due" && s.next_report_due) parts.push_back("report:" + s.next_report_due->ToString());
      else if (r.code == "due_soon") parts.push_back("due");
      else if (r.code == "milestone_due" || r.code == "event_due") parts.push_back(r.code + ":" + r.en);
    }
    std::sort(parts.begin(), parts.end());
    parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "+") + p;
    return out;
  }
  // Urges and notices repeat once per reporting cycle while they last.
  return "cycle:" + (s.next_report_due ? s.next_report_due->ToString() : today.ToString().substr(0, 7));
}

const char* kNumeralsZh[] = {"一", "二", "三", "四", "五"};

}  // namespace

void ReminderCollector::Add(const PlanStatus& ps) {
  const PlanSnapshot& p = *ps.plan;
  for (const AssignmentStatusView& s : ps.assignments) {
    if (s.escalation == Escalation::kNone) continue;
    const AssignmentView& a = *s.assignment;
    UnitReminder& u = by_unit_[a.unit];
    if (u.unit.empty()) {
      u.unit = a.unit;
      u.unit_name = a.unit_name;
      u.office_name = p.office_name;
      for (const UnitContact& c : p.contacts)
        if (c.id == a.unit) { u.email = c.email; u.webhook = c.webhook; }
    }
    ReminderItem item{p.id, p.title, a.task, a.task_title, a.role, s.escalation, s.escalation_reasons, ""};
    item.key = p.id + "/" + a.task + "/" + a.unit + "/" + ToString(s.escalation) + "/" + Period(s, ps.today);
    u.level = std::max(u.level, s.escalation);
    u.items.push_back(std::move(item));
  }
}

std::vector<UnitReminder> ReminderCollector::Take() {
  std::vector<UnitReminder> out;
  for (auto& [id, u] : by_unit_) {
    std::stable_sort(u.items.begin(), u.items.end(),
                     [](const ReminderItem& a, const ReminderItem& b) { return a.level > b.level; });
    out.push_back(std::move(u));
  }
  by_unit_.clear();
  return out;
}

Message ComposeReminder(const UnitReminder& r, Date today, Date reply_by, Lang lang) {
  const bool zh = lang == Lang::kZh;
  Message m;
  m.unit = r.unit;
  m.unit_name = r.unit_name;
  m.email = r.email;
  m.webhook = r.webhook;
  m.day = today.ToString();
  // To the unit itself the top rung reads "to be named in the bulletin".
  auto label = [](Escalation e) { return e == Escalation::kBulletin ? std::string("拟通报") : std::string(EscalationLabelZh(e)); };
  m.title = zh ? "【" + label(r.level) + "】" + r.unit_name + " " + today.ToString()
               : "[" + std::string(ToString(r.level)) + "] " + r.unit_name + " " + today.ToString();
  std::string t;
  t += zh ? r.unit_name + ":\n截至 " + today.ToString() + ",贵单位有以下事项需要办理:\n"
          : r.unit_name + ":\nAs of " + today.ToString() + ", these items need your attention:\n";
  json items = json::array();
  int group = 0;
  for (Escalation level : {Escalation::kBulletin, Escalation::kNotice, Escalation::kUrge, Escalation::kReminder}) {
    std::vector<const ReminderItem*> in;
    for (const auto& i : r.items)
      if (i.level == level) in.push_back(&i);
    if (in.empty()) continue;
    t += "\n";
    t += zh ? std::string(kNumeralsZh[group]) + "、" + label(level) + "(" + std::to_string(in.size()) + "项)\n"
            : std::string(ToString(level)) + " (" + std::to_string(in.size()) + ")\n";
    ++group;
    int n = 0;
    for (const ReminderItem* i : in) {
      std::string why;
      for (const Reason& reason : i->reasons) why += (why.empty() ? "" : zh ? ";" : "; ") + (zh ? reason.zh : reason.en);
      t += std::to_string(++n) + ". " + i->task + " " + i->title + (zh ? (i->role == Role::kLead ? "(牵头)" : "(配合)")
                                                                       : (i->role == Role::kLead ? " (lead)" : " (cooperating)")) +
           " — " + why + "\n";
      json reasons = json::array();
      for (const Reason& reason : i->reasons) reasons.push_back({{"code", reason.code}, {"zh", reason.zh}, {"en", reason.en}});
      items.push_back({{"plan", i->plan}, {"task", i->task}, {"title", i->title}, {"role", ToString(i->role)},
                       {"level", ToString(i->level)}, {"reasons", reasons}, {"key", i->key}});
    }
  }
  t += zh ? "\n请于 " + reply_by.ToString() + " 前报送进展情况(duban update 或填报表)。\n——" + r.office_name + "\n"
          : "\nPlease report progress by " + reply_by.ToString() + " (duban update, or the fill-in sheet).\n— " + r.office_name + "\n";
  m.text = t;
  m.json = json{{"schema", "duban.reminder/1"}, {"day", m.day}, {"unit", r.unit}, {"unit_name", r.unit_name},
                {"level", ToString(r.level)}, {"reply_by", reply_by.ToString()}, {"items", items}}
               .dump();
  return m;
}

bool RemindReport::any_failed() const {
  return std::any_of(messages.begin(), messages.end(), [](const Sent& s) { return !s.status.ok(); });
}

Result<RemindReport> RunReminders(Store& store, const Actor& actor, const std::vector<UnitReminder>& reminders,
                                  const ChannelSpec& channel, const std::string& channel_name, const Clock& clock,
                                  const WorkCalendar& calendar, Lang lang, bool dry_run) {
  if (!dry_run)
    if (Status s = MayAdminister(actor); !s.ok()) return s;
  RemindReport report;
  Date reply_by = calendar.AddWorkdays(clock.day, 5);
  for (const UnitReminder& u : reminders) {
    ++report.units_with_items;
    // Keys are per channel: a message sent by one channel does not stop another.
    std::vector<std::string> keys;
    for (const auto& i : u.items) keys.push_back(channel_name + "|" + i.key);
    auto sent = store.SentReminders(u.unit, keys);
    if (!sent.ok()) return sent.status();
    int fresh = static_cast<int>(keys.size() - sent->size());
    if (fresh == 0) continue;
    Message m = ComposeReminder(u, clock.day, reply_by, lang);
    RemindReport::Sent entry{u.unit, u.unit_name, u.level, static_cast<int>(u.items.size()), fresh, Status::Ok()};
    if (dry_run) {
      report.stdout_text += m.title + "\n\n" + m.text + "\n";
    } else {
      entry.status = Deliver(m, channel, &report.stdout_text);
      if (entry.status.ok()) {
        std::string plan_ids;
        std::set<std::string_view> listed;
        for (const auto& i : u.items)
          if (listed.insert(i.plan).second) plan_ids += (plan_ids.empty() ? "" : ",") + i.plan;
        if (Status s = store.RecordReminder(actor, plan_ids, u.unit, channel_name, keys, ToString(u.level), clock); !s.ok())
          return s;
      }
    }
    report.messages.push_back(std::move(entry));
  }
  return report;
}

}  // namespace duban
