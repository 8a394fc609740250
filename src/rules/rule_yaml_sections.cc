#include "rules/rule_yaml_sections.h"

#include <string>

#include "cel/suggest.h"
#include "rules/message_template.h"

namespace salesradar::rules {
namespace {

std::optional<calendar::Window> ParseWindowAt(YamlReader& reader, const YAML::Node& parent, std::string_view key,
                                              bool required, Where* where) {
  std::optional<std::string> text = reader.Scalar(parent, key, required, where);
  if (!text) return std::nullopt;

  Result<calendar::Window> window = calendar::ParseWindow(*text);
  if (!window.ok()) {
    reader.Report(*where, window.error().message_zh(), window.error().message_en());
    return std::nullopt;
  }
  return *window;
}

std::optional<Recipient> ParseRecipient(std::string_view text) {
  if (text == "owner") return Recipient{Recipient::Role::kOwner, ""};
  if (text == "owner_manager") return Recipient{Recipient::Role::kOwnerManager, ""};
  constexpr std::string_view kDepartment = "department:";
  if (text.substr(0, kDepartment.size()) == kDepartment && text.size() > kDepartment.size()) {
    return Recipient{Recipient::Role::kDepartment, std::string(text.substr(kDepartment.size()))};
  }
  return std::nullopt;
}

std::vector<Recipient> ReadRecipientList(YamlReader& reader, const YAML::Node& list) {
  std::vector<Recipient> recipients;
  if (!list.IsSequence()) {
    reader.Report(list, "收件人必须是列表，例如 [owner, owner_manager]",
                  "recipients must be a list such as [owner, owner_manager]");
    return recipients;
  }
  for (const YAML::Node& item : list) {
    std::string text = item.IsScalar() ? item.Scalar() : "";
    std::optional<Recipient> recipient = ParseRecipient(text);
    if (!recipient) {
      std::vector<std::string> roles = {"owner", "owner_manager", "department:NAME"};
      std::vector<std::string> nearest = cel::NearestNames(text, roles);
      std::string hint = cel::QuoteList(nearest.empty() ? roles : nearest);
      reader.Report(item, "收件人 '" + text + "' 未知；可用的角色：" + hint,
                    "unknown recipient '" + text + "'; roles are " + hint);
      continue;
    }
    recipients.push_back(std::move(*recipient));
  }
  return recipients;
}

// Reports `section` as not allowed for the rule's kind.
void ReportSectionForKind(YamlReader& reader, const YAML::Node& rule_node, const Rule& rule, std::string_view section,
                          std::string_view kinds) {
  reader.Report(rule_node[std::string(section)],
                "'" + std::string(section) + "' 只用于 " + std::string(kinds) + " 类规则；请删除它，或把 kind 改为 " +
                    std::string(kinds) + "（当前是 " + std::string(RuleKindName(rule.kind)) + "）",
                "'" + std::string(section) + "' only applies to " + std::string(kinds) + " rules; remove it or set kind to " +
                    std::string(kinds) + " (the kind is " + std::string(RuleKindName(rule.kind)) + ")");
}

void RequireSection(YamlReader& reader, const YAML::Node& rule_node, const Rule& rule, std::string_view section,
                    bool present) {
  if (present) return;
  reader.Report(rule_node, std::string(RuleKindName(rule.kind)) + " 类规则需要 '" + std::string(section) + "' 部分；请补上",
                std::string(RuleKindName(rule.kind)) + " rules need a '" + std::string(section) + "' section; add it");
}

bool UsesBusinessTime(const Rule& rule) {
  if (rule.window && rule.window->IsBusinessTime()) return true;
  for (const EscalationStep& step : rule.escalation) {
    if (step.after.IsBusinessTime()) return true;
  }
  return false;
}

void CheckKindSections(YamlReader& reader, const YAML::Node& rule_node, const Rule& rule) {
  bool absence = rule.kind == RuleKind::kAbsence;
  bool count = rule.kind == RuleKind::kCount;
  if (rule.awaited && !absence) ReportSectionForKind(reader, rule_node, rule, "awaited", "absence");
  if (rule.window && !absence && !count) ReportSectionForKind(reader, rule_node, rule, "window", "absence/count");
  if (rule.count && !count) ReportSectionForKind(reader, rule_node, rule, "count", "count");
  if (rule.streak && rule.kind != RuleKind::kStreak) ReportSectionForKind(reader, rule_node, rule, "streak", "streak");
  if (rule.threshold && rule.kind != RuleKind::kThreshold) {
    ReportSectionForKind(reader, rule_node, rule, "threshold", "threshold");
  }

  bool window_given = rule_node["window"].IsDefined();
  if (absence) RequireSection(reader, rule_node, rule, "awaited", rule_node["awaited"].IsDefined());
  if (absence || count) RequireSection(reader, rule_node, rule, "window", window_given);
  if (count) RequireSection(reader, rule_node, rule, "count", rule_node["count"].IsDefined());
  if (rule.kind == RuleKind::kStreak) RequireSection(reader, rule_node, rule, "streak", rule_node["streak"].IsDefined());
  if (rule.kind == RuleKind::kThreshold) {
    RequireSection(reader, rule_node, rule, "threshold", rule_node["threshold"].IsDefined());
  }
}

}  // namespace

void ReadTrigger(YamlReader& reader, const YAML::Node& rule_node, Rule& rule) {
  std::optional<YAML::Node> node = reader.Mapping(rule_node, "trigger", true);
  if (!node) return;
  reader.CheckKeys(*node, {"event", "condition", "subject_id"}, "trigger");

  rule.trigger.where = reader.WhereOf(*node);
  rule.trigger.event_types = reader.EventTypes(*node, "event");
  rule.trigger.condition = reader.ExpressionAt(*node, "condition", false);
  rule.trigger.subject_id = reader.ExpressionAt(*node, "subject_id", false);
}

void ReadAwaited(YamlReader& reader, const YAML::Node& rule_node, Rule& rule) {
  std::optional<YAML::Node> node = reader.Mapping(rule_node, "awaited", false);
  if (!node) return;
  reader.CheckKeys(*node, {"event", "condition", "subject_id"}, "awaited");

  Awaited awaited;
  awaited.where = reader.WhereOf(*node);
  awaited.event_types = reader.EventTypes(*node, "event");
  awaited.condition = reader.ExpressionAt(*node, "condition", false);
  awaited.subject_id = reader.ExpressionAt(*node, "subject_id", false);
  rule.awaited = std::move(awaited);
}

void ReadWindow(YamlReader& reader, const YAML::Node& rule_node, Rule& rule) {
  rule.window = ParseWindowAt(reader, rule_node, "window", false, &rule.window_where);
}

void ReadKindSections(YamlReader& reader, const YAML::Node& rule_node, Rule& rule) {
  if (std::optional<YAML::Node> node = reader.Mapping(rule_node, "count", false)) {
    reader.CheckKeys(*node, {"at_least"}, "count");
    CountSpec count;
    count.where = reader.WhereOf(*node);
    if (auto at_least = reader.Integer(*node, "at_least", true, 2)) count.at_least = *at_least;
    rule.count = count;
  }

  if (std::optional<YAML::Node> node = reader.Mapping(rule_node, "streak", false)) {
    reader.CheckKeys(*node, {"length", "condition", "resolve_when_broken"}, "streak");
    StreakSpec streak;
    streak.where = reader.WhereOf(*node);
    if (auto length = reader.Integer(*node, "length", true, 2)) streak.length = *length;
    streak.condition = reader.ExpressionAt(*node, "condition", true);
    if (auto resolve = reader.Bool(*node, "resolve_when_broken")) streak.resolve_when_broken = *resolve;
    rule.streak = std::move(streak);
  }

  if (std::optional<YAML::Node> node = reader.Mapping(rule_node, "threshold", false)) {
    reader.CheckKeys(*node, {"value", "above", "below", "rearm"}, "threshold");
    ThresholdSpec threshold;
    threshold.where = reader.WhereOf(*node);
    threshold.value = reader.ExpressionAt(*node, "value", true);

    bool has_above = (*node)["above"].IsDefined();
    bool has_below = (*node)["below"].IsDefined();
    if (has_above == has_below) {
      reader.Report(*node, "threshold 需要 above 或 below 中的恰好一个", "threshold needs exactly one of 'above' and 'below'");
    } else {
      threshold.upward = has_above;
      if (auto limit = reader.Number(*node, has_above ? "above" : "below", true)) threshold.limit = *limit;
      threshold.rearm = threshold.limit;
      if (auto rearm = reader.Number(*node, "rearm", false)) threshold.rearm = *rearm;
      bool rearm_ok = threshold.upward ? threshold.rearm <= threshold.limit : threshold.rearm >= threshold.limit;
      if (!rearm_ok) {
        reader.Report((*node)["rearm"],
                      threshold.upward ? "rearm 必须不大于 above 的值，数值回落到它以下时规则才重新生效"
                                       : "rearm 必须不小于 below 的值，数值回升到它以上时规则才重新生效",
                      threshold.upward ? "rearm must be at most the 'above' value: the rule re-arms when the value falls back to it"
                                       : "rearm must be at least the 'below' value: the rule re-arms when the value comes back to it");
      }
    }
    rule.threshold = std::move(threshold);
  }
}

void ReadEscalation(YamlReader& reader, const YAML::Node& rule_node, Rule& rule) {
  if (std::optional<YAML::Node> ticket = reader.Mapping(rule_node, "ticket", false)) {
    reader.CheckKeys(*ticket, {"department"}, "ticket");
    if (auto department = reader.Scalar(*ticket, "department", true)) rule.ticket_department = *department;
  }

  YAML::Node steps = rule_node["escalation"];
  if (!steps.IsDefined() || steps.IsNull()) return;
  if (!steps.IsSequence()) {
    reader.Report(steps, "escalation 必须是列表，每项写 after 和 level", "escalation must be a list of steps with 'after' and 'level'");
    return;
  }

  Level previous = rule.level;
  for (const YAML::Node& node : steps) {
    if (!node.IsMap()) {
      reader.Report(node, "升级步骤必须写成 {after: 24h, level: orange}", "an escalation step must read {after: 24h, level: orange}");
      continue;
    }
    reader.CheckKeys(node, {"after", "level"}, "escalation step");
    EscalationStep step;
    step.where = reader.WhereOf(node);
    Where after_where;
    std::optional<calendar::Window> after = ParseWindowAt(reader, node, "after", true, &after_where);
    std::optional<std::string> level_text = reader.Scalar(node, "level", true);
    std::optional<Level> level = level_text ? ParseLevel(*level_text) : std::nullopt;
    if (level_text && !level) {
      reader.Report(node["level"], "级别 '" + *level_text + "' 未知；请写 orange 或 red",
                    "unknown level '" + *level_text + "'; write orange or red");
    }
    if (!after || !level) continue;

    if (*level <= previous) {
      reader.Report(node["level"],
                    "升级步骤的级别 " + std::string(LevelName(*level)) + " 必须高于前一级 " + std::string(LevelName(previous)) +
                        "；级别顺序是 yellow → orange → red",
                    "escalation level " + std::string(LevelName(*level)) + " must be above the previous level " +
                        std::string(LevelName(previous)) + "; levels rise yellow → orange → red");
    }
    previous = std::max(previous, *level);
    step.after = *after;
    step.level = *level;
    rule.escalation.push_back(step);
  }
}

void ReadRecipients(YamlReader& reader, const YAML::Node& rule_node, Rule& rule) {
  YAML::Node node = rule_node["recipients"];
  if (!node.IsDefined() || node.IsNull()) {
    reader.Report(rule_node, "缺少 recipients；请写收件人，例如 recipients: [owner]，或按级别写 {yellow: [owner], orange: [owner, owner_manager]}",
                  "recipients are missing; add them, e.g. recipients: [owner], or per level "
                  "{yellow: [owner], orange: [owner, owner_manager]}");
    return;
  }

  if (node.IsSequence()) {
    std::vector<Recipient> all = ReadRecipientList(reader, node);
    for (auto& level_list : rule.recipients) level_list = all;
  } else if (node.IsMap()) {
    reader.CheckKeys(node, {"yellow", "orange", "red"}, "recipients");
    for (Level level : {Level::kYellow, Level::kOrange, Level::kRed}) {
      YAML::Node list = node[std::string(LevelName(level))];
      if (list.IsDefined() && !list.IsNull()) rule.recipients[static_cast<size_t>(level)] = ReadRecipientList(reader, list);
    }
    // A level without its own list inherits the list of the level below it.
    for (size_t i = 1; i < kLevelCount; ++i) {
      if (!node[std::string(LevelName(static_cast<Level>(i)))].IsDefined()) rule.recipients[i] = rule.recipients[i - 1];
    }
  } else {
    reader.Report(node, "recipients 必须是列表或按级别的映射", "recipients must be a list or a mapping by level");
    return;
  }

  if (rule.recipients[static_cast<size_t>(rule.level)].empty()) {
    reader.Report(node, "级别 " + std::string(LevelName(rule.level)) + " 没有收件人；请至少写一个，例如 owner",
                  "level " + std::string(LevelName(rule.level)) + " has no recipients; name at least one, such as owner");
  }
}

void ReadMessage(YamlReader& reader, const YAML::Node& rule_node, Rule& rule) {
  rule.message_where = reader.WhereOf(rule_node["message"]);
  std::optional<LocalizedText> message = reader.Localized(rule_node, "message", true);
  if (!message) return;
  rule.message = *message;

  for (const std::string* text : {&message->zh, &message->en}) {
    Result<MessageTemplate> parsed = MessageTemplate::Parse(*text);
    if (!parsed.ok()) reader.Report(rule.message_where, parsed.error().message_zh(), parsed.error().message_en());
  }
}

void CheckRuleConsistency(YamlReader& reader, const YAML::Node& rule_node, Rule& rule, bool kind_known) {
  if (kind_known) CheckKindSections(reader, rule_node, rule);

  if (UsesBusinessTime(rule) && rule.calendar_id.empty()) {
    reader.Report(rule.window_where.line > 0 ? rule.window_where : rule.where,
                  "工作时间窗口需要营业日历；请在规则或规则包中写 calendar，例如 calendar: cn",
                  "a business-time window needs a calendar; add 'calendar: cn' (or another calendar id) to the rule or the pack");
  }

  if (rule.CanReachRed() && rule.ticket_department.empty()) {
    reader.Report(rule_node, "规则会升级到红色，红色会开跨部门工单；请写 ticket: {department: 部门名}",
                  "the rule can reach red, and red opens a cross-department ticket; add ticket: {department: NAME}");
  }
  if (!rule.CanReachRed() && !rule.ticket_department.empty()) {
    reader.Report(rule_node["ticket"], "只有红色预警才开工单，而这条规则不会到红色；请删除 ticket，或加一个升级到 red 的步骤",
                  "only red alerts open tickets and this rule never reaches red; remove 'ticket' or add an escalation step to red");
  }
}

}  // namespace salesradar::rules
