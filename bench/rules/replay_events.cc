#include "bench/rules/replay_events.h"

#include <algorithm>
#include <chrono>
#include <random>

#include <fmt/format.h>

namespace salesradar::bench {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

nlohmann::json Money(int64_t fen) { return {{"fen", fen}, {"currency", "CNY"}}; }

class Generator {
 public:
  Generator(Timestamp start, uint64_t seed) : now_(start), random_(seed) {}

  // Appends one scenario: a handful of events about one new subject, spread over days.
  void AddScenario(std::vector<rules::Event>& out) {
    now_ += minutes(1);
    switch (Pick(5)) {
      case 0: return AddLead(out);
      case 1: return AddVisit(out);
      case 2: return AddOpportunity(out);
      case 3: return AddContract(out);
      default: return AddRepVisits(out);
    }
  }

 private:
  uint64_t Pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(random_); }
  std::string Rep() { return fmt::format("rep-{}", Pick(200)); }

  rules::Event Make(std::string type, std::string subject_type, std::string subject_id, Timestamp at,
                    nlohmann::json payload = nlohmann::json::object()) {
    rules::Event event;
    event.id = fmt::format("g{}", next_id_++);
    event.type = std::move(type);
    event.subject = {std::move(subject_type), std::move(subject_id)};
    event.actor = Rep();
    event.occurred_at = at;
    event.received_at = at;
    event.payload = std::move(payload);
    return event;
  }

  void AddLead(std::vector<rules::Event>& out) {
    std::string id = fmt::format("L{}", next_subject_++);
    out.push_back(Make("lead_created", "lead", id, now_));
    if (Pick(3) != 0) out.push_back(Make("call_logged", "lead", id, now_ + hours(1 + Pick(40))));
    else out.push_back(Make("call_logged", "lead", id, now_ + hours(50 + Pick(40))));
  }

  void AddVisit(std::vector<rules::Event>& out) {
    std::string id = fmt::format("V{}", next_subject_++);
    out.push_back(Make("visit_checked_in", "visit", id, now_));
    hours delay = Pick(3) != 0 ? hours(1) : hours(3);
    out.push_back(Make("photo_uploaded", "visit", id, now_ + delay, {{"kind", Pick(4) != 0 ? "site" : "selfie"}}));
  }

  void AddOpportunity(std::vector<rules::Event>& out) {
    std::string id = fmt::format("O{}", next_subject_++);
    out.push_back(Make("opportunity_created", "opportunity", id, now_, {{"stage", "prospecting"}}));
    int64_t list = 10'000'000 + static_cast<int64_t>(Pick(90'000'000));
    int64_t total = list * (70 + static_cast<int64_t>(Pick(50))) / 100;
    nlohmann::json quote = {{"total", Money(total)}, {"list_total", Money(list)}};
    if (Pick(2) == 0) quote["attachments"] = nlohmann::json::array({{{"kind", "compliance_statement"}}});
    out.push_back(Make("quote_sent", "opportunity", id, now_ + hours(24), quote));
    Timestamp moved = now_ + hours(24 * (10 + Pick(40)));
    out.push_back(Make("stage_changed", "opportunity", id, moved, {{"stage", "engaging"}}));
  }

  void AddContract(std::vector<rules::Event>& out) {
    std::string id = fmt::format("C{}", next_subject_++);
    out.push_back(Make("contract_signed", "contract", id, now_));
    out.push_back(Make("value_target_set", "contract", id, now_ + hours(Pick(3) != 0 ? 2 : 30)));
  }

  void AddRepVisits(std::vector<rules::Event>& out) {
    for (int i = 0; i < 3; ++i) {
      rules::Event event = Make("visit_completed", "visit", fmt::format("V{}", next_subject_++), now_ + hours(i));
      event.payload = {{"notes", Pick(2) == 0 ? "" : "discussed the pilot"}};
      out.push_back(std::move(event));
    }
  }

  Timestamp now_;
  std::mt19937_64 random_;
  int64_t next_id_ = 0;
  int64_t next_subject_ = 0;
};

}  // namespace

std::vector<rules::Event> GenerateB2bEvents(int64_t count, Timestamp start, uint64_t seed) {
  Generator generator(start, seed);
  std::vector<rules::Event> events;
  events.reserve(static_cast<size_t>(count) + 8);
  while (static_cast<int64_t>(events.size()) < count) generator.AddScenario(events);
  events.resize(static_cast<size_t>(count));
  std::stable_sort(events.begin(), events.end(),
                   [](const rules::Event& a, const rules::Event& b) { return a.occurred_at < b.occurred_at; });
  return events;
}

}  // namespace salesradar::bench
