#include "bench/rules/handwritten_pack_rules.h"

#include <algorithm>
#include <utility>

#include "rules/message_template.h"

namespace salesradar::bench::b2b_pack {
namespace {

using calendar::Window;
using calendar::WindowUnit;
using rules::Level;
using rules::Recipient;
using rules::RuleKind;

Recipient Owner() { return {Recipient::Role::kOwner, ""}; }
Recipient OwnerManager() { return {Recipient::Role::kOwnerManager, ""}; }
Recipient Department(std::string name) { return {Recipient::Role::kDepartment, std::move(name)}; }

Step After(Window after, Level level) { return {after, level, "after " + calendar::FormatWindow(after)}; }

RuleSpec BaseSpec(std::string id, std::string subject_type, RuleKind kind, Level level,
                  std::optional<Window> window = std::nullopt) {
  RuleSpec spec;
  spec.qualified_id = std::string(kPackId) + "/" + id;
  spec.id = std::move(id);
  spec.subject_type = std::move(subject_type);
  spec.kind = kind;
  spec.level = level;
  spec.window = window;
  if (window) {
    spec.window_text = {rules::DescribeWindow(*window, Locale::kChinese),
                        rules::DescribeWindow(*window, Locale::kEnglish)};
  }
  return spec;
}

RuleSpec LeadFollowUpRule() {
  RuleSpec spec = BaseSpec("lead-no-follow-up-48h", "lead", RuleKind::kAbsence, Level::kYellow,
                           Window{48, WindowUnit::kHours});
  spec.escalation = {After({24, WindowUnit::kHours}, Level::kOrange), After({1, WindowUnit::kWorkdays}, Level::kRed)};
  spec.ticket_department = "sales_ops";
  spec.recipients = {{{Owner()}, {Owner(), OwnerManager()}, {OwnerManager(), Department("sales_ops")}}};
  return spec;
}

RuleSpec VisitNotesRule() {
  RuleSpec spec = BaseSpec("three-visits-without-notes", "rep", RuleKind::kStreak, Level::kYellow);
  spec.escalation = {After({2, WindowUnit::kWorkdays}, Level::kOrange)};
  spec.recipients = {{{Owner()}, {Owner(), OwnerManager()}, {Owner(), OwnerManager()}}};
  return spec;
}

RuleSpec LargeQuoteRule() {
  RuleSpec spec =
      BaseSpec("large-quote-without-compliance-statement", "opportunity", RuleKind::kCondition, Level::kOrange);
  spec.escalation = {After({1, WindowUnit::kWorkdays}, Level::kRed)};
  spec.ticket_department = "legal";
  spec.recipients = {{{}, {Owner(), OwnerManager()}, {OwnerManager(), Department("legal")}}};
  return spec;
}

RuleSpec StuckInStageRule() {
  RuleSpec spec = BaseSpec("opportunity-stuck-in-stage-30d", "opportunity", RuleKind::kAbsence, Level::kYellow,
                           Window{30, WindowUnit::kDays});
  spec.escalation = {After({5, WindowUnit::kWorkdays}, Level::kOrange)};
  spec.recipients = {{{Owner()}, {Owner(), OwnerManager()}, {Owner(), OwnerManager()}}};
  return spec;
}

RuleSpec DiscountRule() {
  RuleSpec spec = BaseSpec("discount-beyond-15-percent", "opportunity", RuleKind::kCondition, Level::kOrange);
  std::vector<Recipient> everyone = {Owner(), OwnerManager()};
  spec.recipients = {everyone, everyone, everyone};
  return spec;
}

RuleSpec ValueTargetRule() {
  RuleSpec spec = BaseSpec("contract-no-value-target-24h", "contract", RuleKind::kAbsence, Level::kYellow,
                           Window{24, WindowUnit::kHours});
  spec.escalation = {After({4, WindowUnit::kWorkHours}, Level::kOrange),
                     After({1, WindowUnit::kWorkdays}, Level::kRed)};
  spec.ticket_department = "customer_success";
  spec.recipients = {{{Owner()}, {Owner(), OwnerManager()}, {OwnerManager(), Department("customer_success")}}};
  return spec;
}

RuleSpec SitePhotoRule() {
  RuleSpec spec = BaseSpec("visit-no-site-photo-2h", "visit", RuleKind::kAbsence, Level::kYellow,
                           Window{2, WindowUnit::kHours});
  spec.escalation = {After({4, WindowUnit::kHours}, Level::kOrange)};
  spec.recipients = {{{Owner()}, {Owner(), OwnerManager()}, {Owner(), OwnerManager()}}};
  return spec;
}

// Returns nullopt where CEL's exists() fails: attachments that are not a list, or an
// attachment without a `kind` when none is the compliance statement.
std::optional<bool> HasComplianceStatement(const nlohmann::json& payload) {
  auto attachments = payload.find("attachments");
  if (attachments == payload.end()) return false;
  if (attachments->is_object() && attachments->empty()) return false;
  if (!attachments->is_array()) return std::nullopt;

  bool failed = false;
  for (const nlohmann::json& attachment : *attachments) {
    auto kind = attachment.is_object() ? attachment.find("kind") : attachment.end();
    if (!attachment.is_object() || kind == attachment.end()) {
      failed = true;
    } else if (*kind == "compliance_statement") {
      return true;
    }
  }
  if (failed) return std::nullopt;
  return false;
}

std::optional<int64_t> Times(int64_t fen, int64_t factor) {
  int64_t product = 0;
  if (__builtin_mul_overflow(fen, factor, &product)) return std::nullopt;
  return product;
}

// CEL's trim() in this project removes these besides ASCII white space.
constexpr std::array<std::string_view, 19> kUnicodeSpaces = {
    "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83",
    "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A",
    "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};

bool IsBlank(std::string_view text) {
  while (!text.empty()) {
    if (std::string_view(" \t\n\v\f\r").find(text.front()) != std::string_view::npos) {
      text.remove_prefix(1);
      continue;
    }
    auto space = std::find_if(kUnicodeSpaces.begin(), kUnicodeSpaces.end(),
                              [&](std::string_view candidate) { return text.starts_with(candidate); });
    if (space == kUnicodeSpaces.end()) return false;
    text.remove_prefix(space->size());
  }
  return true;
}

}  // namespace

std::array<RuleSpec, kRuleCount> PackRules() {
  return {LeadFollowUpRule(), VisitNotesRule(), LargeQuoteRule(), StuckInStageRule(),
          DiscountRule(),     ValueTargetRule(), SitePhotoRule()};
}

std::optional<model::Money> MoneyOf(const nlohmann::json& value) {
  if (!value.is_object() || value.size() != 2) return std::nullopt;
  auto fen = value.find("fen");
  auto currency = value.find("currency");
  if (fen == value.end() || currency == value.end()) return std::nullopt;
  if (!fen->is_number_integer() || !currency->is_string()) return std::nullopt;

  const std::string& code = currency->get_ref<const std::string&>();
  if (!model::IsCurrencyCode(code)) return std::nullopt;
  return model::Money{fen->get<int64_t>(), code};
}

std::optional<model::Money> PayloadMoney(const nlohmann::json& payload, const char* key) {
  auto value = payload.find(key);
  if (value == payload.end()) return std::nullopt;
  return MoneyOf(*value);
}

bool IsLargeWithoutCompliance(const std::optional<model::Money>& total, const nlohmann::json& payload) {
  if (!total || total->currency != "CNY" || total->fen <= 50'000'000) return false;
  return HasComplianceStatement(payload) == false;
}

// A side of the || whose money is missing, in another currency or overflows fails in CEL, so
// only the other side can hold.
bool IsOffListPrice(const std::optional<model::Money>& total, const nlohmann::json& payload) {
  if (!payload.contains("list_total")) return false;
  std::optional<model::Money> list = PayloadMoney(payload, "list_total");
  if (!total || !list || total->currency != list->currency) return false;

  std::optional<int64_t> quoted = Times(total->fen, 100);
  std::optional<int64_t> lowest = Times(list->fen, 85);
  std::optional<int64_t> highest = Times(list->fen, 115);
  bool below = quoted && lowest && *quoted < *lowest;
  bool above = quoted && highest && *quoted > *highest;
  return below || above;
}

std::optional<bool> LacksNotes(const nlohmann::json& payload) {
  auto notes = payload.find("notes");
  if (notes == payload.end()) return true;
  if (!notes->is_string()) return std::nullopt;
  return IsBlank(notes->get_ref<const std::string&>());
}

bool IsOpenStage(const nlohmann::json& payload) {
  auto stage = payload.find("stage");
  return stage != payload.end() && *stage != "won" && *stage != "lost";
}

bool IsFollowUp(const std::string& type) {
  return type == "call_logged" || type == "visit_completed" || type == "message_sent" || type == "email_sent";
}

bool IsSitePhoto(const nlohmann::json& payload) {
  auto kind = payload.find("kind");
  return kind != payload.end() && *kind == "site";
}

// NOTE: numbers, lists and objects other than money are shown as JSON, which can differ from
// the engine's text for them. The default pack's messages show only money and stages.
std::string JsonText(const nlohmann::json& value) {
  if (std::optional<model::Money> money = MoneyOf(value)) return model::FormatMoney(*money);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

std::string PayloadText(const nlohmann::json& payload, const char* key) {
  auto value = payload.find(key);
  return value == payload.end() ? std::string() : JsonText(*value);
}

bool CausedByItself(const RuleSpec& rule, const rules::Event& event, const rules::SubjectRef& subject) {
  return event.origin_rule == rule.qualified_id && event.subject == subject;
}

}  // namespace salesradar::bench::b2b_pack
