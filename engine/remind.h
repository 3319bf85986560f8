// What each unit should be reminded of on a day, as one message per unit, and the keys
// that make sending idempotent.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/notify.h"
#include "engine/plan_render.h"
#include "engine/supervision.h"

namespace duban {

/// One assignment a unit is reminded, urged or notified about.
struct ReminderItem {
  std::string plan;
  std::string plan_title;
  std::string task;
  std::string title;
  Role role = Role::kLead;
  Escalation level = Escalation::kReminder;
  std::vector<Reason> reasons;
  /// Identifies what was said, so that it is said once: plan/task/unit/level/period.
  /// The period makes a message repeat when its cycle comes round: a reporting day, a
  /// milestone's date, or the current reporting cycle for urges and notices.
  std::string key;
};

struct UnitReminder {
  std::string unit;
  std::string unit_name;
  std::string email;
  std::string webhook;
  std::string office_name;  // who signs the message (the first plan's office)
  Escalation level = Escalation::kNone;  // the highest of its items
  std::vector<ReminderItem> items;       // by level, highest first, then plan and task
};

/// Gathers what each unit is to be reminded of, a plan at a time: the items keep no
/// reference to the plan's status, so a run over many plans holds one at a time.
class ReminderCollector {
 public:
  void Add(const PlanStatus& plan);
  /// Every unit with something at reminder level or above, sorted by unit.
  std::vector<UnitReminder> Take();

 private:
  std::map<std::string, UnitReminder> by_unit_;
};


/// The outcome of one reminder run.
struct RemindReport {
  struct Sent {
    std::string unit;
    std::string unit_name;
    Escalation level = Escalation::kNone;
    int items = 0;
    int new_items = 0;
    Status status;  // OK when delivered (or would be, in a dry run)
  };
  std::vector<Sent> messages;   // units that had something new
  int units_with_items = 0;     // including those with nothing new
  std::string stdout_text;      // what the stdout channel (or a dry run) shows
  bool any_failed() const;
};

/// Sends each unit with something new its one message by `channel`, and records what
/// was sent so that the same run on the same day sends nothing again. A message whose
/// delivery fails is not recorded and goes out on the next run. A dry run delivers
/// nothing and records nothing: it shows the messages. Needs the office's credential
/// unless dry.
Result<RemindReport> RunReminders(Store& store, const Actor& actor, const std::vector<UnitReminder>& reminders,
                                  const ChannelSpec& channel, const std::string& channel_name, const Clock& clock,
                                  const WorkCalendar& calendar, Lang lang, bool dry_run);

/// The message to `r.unit` for `today`: title, text (Chinese by default) and JSON
/// (shape duban.reminder/1). `reply_by` is the date a reply is expected (working days).
Message ComposeReminder(const UnitReminder& r, Date today, Date reply_by, Lang lang);

}  // namespace duban
