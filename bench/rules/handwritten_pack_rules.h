// The rule table of examples/rules/b2b-default.yaml for the hand-written pack (handwritten_pack.h):
// each rule's level, window, escalation, ticket and recipients. Also the rules' conditions on
// event payloads as plain C++, returning what the pack's CEL expressions return.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/window.h"
#include "common/locale.h"
#include "model/money.h"
#include "rules/event.h"
#include "rules/rule_pack.h"

namespace salesradar::bench::b2b_pack {

inline constexpr std::string_view kPackId = "b2b-default";
inline constexpr int64_t kPackVersion = 1;
inline constexpr int64_t kStreakLength = 3;  // three-visits-without-notes

// The rules of the pack, in pack order.
enum RuleId : size_t {
  kLeadFollowUp,
  kVisitNotes,
  kLargeQuote,
  kStuckInStage,
  kDiscount,
  kValueTarget,
  kSitePhoto,
  kRuleCount,
};

struct Step {
  calendar::Window after;
  rules::Level level = rules::Level::kOrange;
  std::string note;  // of the history entry, as the engine writes it
};

using Recipients = std::array<std::vector<rules::Recipient>, rules::kLevelCount>;  // by Level

// One rule's settings from the pack file, apart from its conditions and message templates.
struct RuleSpec {
  std::string id;
  std::string qualified_id;  // "pack/rule", as Event::origin_rule names it
  std::string subject_type;
  rules::RuleKind kind = rules::RuleKind::kCondition;
  rules::Level level = rules::Level::kYellow;
  std::optional<calendar::Window> window;  // absence rules
  LocalizedText window_text;               // {window} in messages
  std::vector<Step> escalation;
  std::string ticket_department;
  Recipients recipients;
};

// Returns the rules, indexed by RuleId.
std::array<RuleSpec, kRuleCount> PackRules();

// Reads money as the engine reads a payload value: an object of exactly "fen" (an integer) and
// "currency" (three capital letters).
std::optional<model::Money> MoneyOf(const nlohmann::json& value);
std::optional<model::Money> PayloadMoney(const nlohmann::json& payload, const char* key);

// Returns true when large-quote-without-compliance-statement fires on a quote with `total`.
bool IsLargeWithoutCompliance(const std::optional<model::Money>& total, const nlohmann::json& payload);

// Returns true when discount-beyond-15-percent fires on a quote with `total`, which is below 85 %
// or above 115 % of the list price.
bool IsOffListPrice(const std::optional<model::Money>& total, const nlohmann::json& payload);

// Evaluates `!('notes' in event.payload) || event.payload.notes.trim() == ''`. Returns nullopt
// where that expression fails.
std::optional<bool> LacksNotes(const nlohmann::json& payload);

// Returns true for a payload with a stage other than won or lost, as the stuck-in-stage trigger requires.
bool IsOpenStage(const nlohmann::json& payload);

// Returns true for the awaited event types of lead-no-follow-up-48h.
bool IsFollowUp(const std::string& type);

bool IsSitePhoto(const nlohmann::json& payload);

// Shows a payload value as the engine's messages do for money and text.
std::string JsonText(const nlohmann::json& value);
std::string PayloadText(const nlohmann::json& payload, const char* key);

// Returns true for an event that the rule's own alert caused on the same subject, which the engine
// skips.
bool CausedByItself(const RuleSpec& rule, const rules::Event& event, const rules::SubjectRef& subject);

}  // namespace salesradar::bench::b2b_pack
