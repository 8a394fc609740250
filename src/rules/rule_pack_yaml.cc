#include "rules/rule_pack_yaml.h"

#include <set>
#include <string>

#include "cel/suggest.h"
#include "rules/rule_yaml_sections.h"
#include "rules/yaml_reader.h"

namespace salesradar::rules {
namespace {

void ReportBadIdentifier(YamlReader& reader, const YAML::Node& node, std::string_view what_zh,
                         std::string_view what_en, const std::string& id) {
  reader.Report(node, std::string(what_zh) + " '" + id + "' 无效；请只用小写字母、数字、'-' 和 '_'，以字母或数字开头，最多 64 个字符",
                std::string(what_en) + " '" + id +
                    "' is invalid; use lower-case letters, digits, '-' and '_', starting with a letter or digit, "
                    "at most 64 characters");
}

std::optional<RuleKind> ReadKind(YamlReader& reader, const YAML::Node& node) {
  std::optional<std::string> text = reader.Scalar(node, "kind", true);
  if (!text) return std::nullopt;
  std::optional<RuleKind> kind = ParseRuleKind(*text);
  if (!kind) {
    std::vector<std::string> kinds = {"condition", "absence", "count", "streak", "threshold"};
    std::vector<std::string> nearest = cel::NearestNames(*text, kinds);
    std::string hint = nearest.empty() ? "" : "（最接近的：" + cel::QuoteList(nearest) + "）";
    std::string hint_en = nearest.empty() ? "" : " (did you mean " + cel::QuoteList(nearest) + "?)";
    reader.Report(node["kind"], "规则类型 '" + *text + "' 未知" + hint + "；可用的类型：" + cel::QuoteList(kinds),
                  "unknown kind '" + *text + "'" + hint_en + "; kinds are " + cel::QuoteList(kinds));
  }
  return kind;
}

std::optional<Level> ReadLevel(YamlReader& reader, const YAML::Node& node, std::string_view key) {
  std::optional<std::string> text = reader.Scalar(node, key, true);
  if (!text) return std::nullopt;
  std::optional<Level> level = ParseLevel(*text);
  if (!level) {
    reader.Report(node[std::string(key)], "级别 '" + *text + "' 未知；请写 yellow、orange 或 red",
                  "unknown level '" + *text + "'; write yellow, orange or red");
  }
  return level;
}

Rule ReadRule(YamlReader& reader, const YAML::Node& node, const RulePack& pack, size_t index) {
  Rule rule;
  rule.where = reader.WhereOf(node);
  reader.set_rule_id("#" + std::to_string(index + 1));

  std::optional<std::string> id = reader.Scalar(node, "id", true);
  if (id) {
    rule.id = *id;
    reader.set_rule_id(*id);
    if (!IsValidIdentifier(*id)) ReportBadIdentifier(reader, node["id"], "规则 id", "rule id", *id);
  }
  reader.CheckKeys(node,
                   {"id", "name", "description", "subject", "kind", "trigger", "awaited", "window", "calendar",
                    "count", "streak", "threshold", "level", "escalation", "ticket", "recipients", "message"},
                   "rule");

  if (auto name = reader.Localized(node, "name", true)) rule.name = *name;
  if (auto description = reader.Localized(node, "description", false)) rule.description = *description;
  if (auto subject = reader.Scalar(node, "subject", true)) rule.subject_type = *subject;
  std::optional<RuleKind> kind = ReadKind(reader, node);
  if (kind) rule.kind = *kind;
  if (auto level = ReadLevel(reader, node, "level")) rule.level = *level;

  rule.calendar_id = pack.calendar_id;
  if (auto calendar = reader.Scalar(node, "calendar", false, &rule.calendar_where)) rule.calendar_id = *calendar;

  ReadTrigger(reader, node, rule);
  ReadAwaited(reader, node, rule);
  ReadWindow(reader, node, rule);
  ReadKindSections(reader, node, rule);
  ReadEscalation(reader, node, rule);
  ReadRecipients(reader, node, rule);
  ReadMessage(reader, node, rule);
  CheckRuleConsistency(reader, node, rule, kind.has_value());
  return rule;
}

void ReadRules(YamlReader& reader, const YAML::Node& root, RulePack& pack) {
  YAML::Node rules = root["rules"];
  if (!rules.IsDefined() || !rules.IsSequence() || rules.size() == 0) {
    reader.Report(rules.IsDefined() ? rules : root, "规则包必须有非空的 rules 列表",
                  "the pack needs a non-empty 'rules' list");
    return;
  }

  std::set<std::string> seen;
  for (size_t i = 0; i < rules.size(); ++i) {
    const YAML::Node node = rules[i];
    if (!node.IsMap()) {
      reader.set_rule_id("#" + std::to_string(i + 1));
      reader.Report(node, "每条规则必须是映射（id、name、kind ……）", "each rule must be a mapping (id, name, kind ...)");
      continue;
    }
    Rule rule = ReadRule(reader, node, pack, i);
    if (!rule.id.empty() && !seen.insert(rule.id).second) {
      reader.Report(node["id"], "规则 id '" + rule.id + "' 重复；同一规则包里每条规则的 id 必须唯一，请改名",
                    "duplicate rule id '" + rule.id + "'; rule ids must be unique within a pack, so rename one");
    }
    pack.rules.push_back(std::move(rule));
  }
}

void ReadPack(YamlReader& reader, const YAML::Node& root, RulePack& pack) {
  reader.CheckKeys(root, {"pack", "version", "name", "description", "calendar", "rules"}, "the pack");

  if (auto id = reader.Scalar(root, "pack", true)) {
    pack.id = *id;
    if (!IsValidIdentifier(*id)) ReportBadIdentifier(reader, root["pack"], "规则包 id", "pack id", *id);
  }
  if (auto version = reader.Integer(root, "version", true, 1)) pack.version = *version;
  if (auto name = reader.Localized(root, "name", true)) pack.name = *name;
  reader.Localized(root, "description", false);
  if (auto calendar = reader.Scalar(root, "calendar", false)) pack.calendar_id = *calendar;

  ReadRules(reader, root, pack);
}

}  // namespace

RulePackLoad LoadRulePack(std::string_view text, std::string_view file_name) {
  RulePackLoad result;
  YamlReader reader(std::string(file_name), &result.problems);

  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    reader.Report(Where{e.mark.line + 1, e.mark.column + 1}, "YAML 语法错误：" + e.msg + "；请修正这一行",
                  "YAML syntax error: " + e.msg + "; fix this line");
    return result;
  }
  if (!root.IsMap()) {
    reader.Report(Where{1, 1}, "规则包必须是一个映射，包含 pack、version、name 和 rules",
                  "a rule pack must be a mapping with pack, version, name and rules");
    return result;
  }

  RulePack pack;
  pack.file_name = std::string(file_name);
  ReadPack(reader, root, pack);
  if (result.problems.empty()) result.pack = std::move(pack);
  return result;
}

}  // namespace salesradar::rules
