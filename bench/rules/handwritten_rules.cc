#include "bench/rules/handwritten_rules.h"

#include <chrono>
#include <queue>
#include <unordered_map>

namespace salesradar::bench {
namespace {

using std::chrono::hours;

// One absence rule: subject -> deadline of its open window, and a queue of deadlines to fire.
class AbsenceWindows {
 public:
  explicit AbsenceWindows(Microseconds window) : window_(window) {}

  void Open(const std::string& subject, Timestamp at, std::string state = "") {
    auto [it, inserted] = open_.try_emplace(subject, Window{at + window_, std::move(state)});
    if (inserted) due_.push({it->second.deadline, subject});
  }

  // Closes the window of `subject` when it is open and `accept` takes its state.
  template <typename Accept>
  void Close(const std::string& subject, Accept accept) {
    auto it = open_.find(subject);
    if (it != open_.end() && accept(it->second.state)) open_.erase(it);
  }

  // Fires windows whose deadline is at or before `now`; returns how many fired.
  int64_t FireDue(Timestamp now) {
    int64_t fired = 0;
    while (!due_.empty() && due_.top().first <= now) {
      auto [deadline, subject] = due_.top();
      due_.pop();
      auto it = open_.find(subject);
      if (it != open_.end() && it->second.deadline == deadline) {
        open_.erase(it);
        ++fired;
      }
    }
    return fired;
  }

 private:
  struct Window {
    Timestamp deadline;
    std::string state;
  };
  using Due = std::pair<Timestamp, std::string>;

  Microseconds window_;
  std::unordered_map<std::string, Window> open_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
};

int64_t Fen(const nlohmann::json& money) { return money.at("fen").get<int64_t>(); }

bool HasComplianceStatement(const nlohmann::json& payload) {
  auto attachments = payload.find("attachments");
  if (attachments == payload.end()) return false;
  for (const nlohmann::json& attachment : *attachments) {
    if (attachment.value("kind", "") == "compliance_statement") return true;
  }
  return false;
}

// The streak of one rep: visits without notes since the last visit with notes or the last
// firing, and whether the rep's alert is unresolved. A visit with notes breaks the streak and
// resolves the alert; a streak completed while the alert is unresolved refires it.
struct VisitStreak {
  int length = 0;
  bool alert_open = false;
};

}  // namespace

HandwrittenAlerts RunHandwrittenRules(const std::vector<rules::Event>& events) {
  HandwrittenAlerts result;
  std::map<std::string, int64_t>& alerts = result.raised;
  AbsenceWindows lead_follow_up(hours(48));
  AbsenceWindows stuck_in_stage(hours(24 * 30));
  AbsenceWindows value_target(hours(24));
  AbsenceWindows site_photo(hours(2));
  std::unordered_map<std::string, VisitStreak> visits_without_notes;  // by rep

  for (const rules::Event& event : events) {
    Timestamp now = event.occurred_at;
    alerts["lead-no-follow-up-48h"] += lead_follow_up.FireDue(now);
    alerts["opportunity-stuck-in-stage-30d"] += stuck_in_stage.FireDue(now);
    alerts["contract-no-value-target-24h"] += value_target.FireDue(now);
    alerts["visit-no-site-photo-2h"] += site_photo.FireDue(now);

    const std::string& type = event.type;
    const std::string& subject = event.subject.id;
    const nlohmann::json& payload = event.payload;
    if (type == "lead_created") {
      lead_follow_up.Open(subject, now);
    } else if (type == "call_logged" || type == "message_sent" || type == "email_sent") {
      lead_follow_up.Close(subject, [](const std::string&) { return true; });
    } else if (type == "visit_completed") {
      if (event.subject.type == "lead") lead_follow_up.Close(subject, [](const std::string&) { return true; });
      auto notes = payload.find("notes");
      bool without_notes = notes == payload.end() || notes->get<std::string>().empty();
      VisitStreak& streak = visits_without_notes[event.actor];
      if (!without_notes) {
        streak = VisitStreak{};
      } else if (++streak.length == 3) {
        ++(streak.alert_open ? result.refired : alerts)["three-visits-without-notes"];
        streak = VisitStreak{0, true};
      }
    } else if (type == "quote_sent") {
      int64_t total = Fen(payload.at("total"));
      if (total > 50'000'000 && !HasComplianceStatement(payload)) ++alerts["large-quote-without-compliance-statement"];
      if (payload.contains("list_total")) {
        int64_t list = Fen(payload.at("list_total"));
        if (total * 100 < list * 85 || total * 100 > list * 115) ++alerts["discount-beyond-15-percent"];
      }
    } else if (type == "opportunity_created" || type == "stage_changed") {
      std::string stage = payload.value("stage", "");
      if (type == "stage_changed") {
        stuck_in_stage.Close(subject, [&](const std::string& opened) { return opened != stage; });
      }
      if (stage != "won" && stage != "lost") stuck_in_stage.Open(subject, now, stage);
    } else if (type == "contract_signed") {
      value_target.Open(subject, now);
    } else if (type == "value_target_set") {
      value_target.Close(subject, [](const std::string&) { return true; });
    } else if (type == "visit_checked_in") {
      site_photo.Open(subject, now);
    } else if (type == "photo_uploaded" && payload.value("kind", "") == "site") {
      site_photo.Close(subject, [](const std::string&) { return true; });
    }
  }
  return result;
}

}  // namespace salesradar::bench
