// Reading rule-pack YAML field by field while collecting every problem, so that one check of a
// pack lists all of them. Internal to the pack loader; yaml-cpp exceptions never leave it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/locale.h"
#include "rules/problem.h"
#include "rules/rule_pack.h"

namespace salesradar::rules {

class YamlReader {
 public:
  YamlReader(std::string file, std::vector<Problem>* problems) : file_(std::move(file)), problems_(problems) {}

  // Names the rule that later problems belong to; empty for the pack itself.
  void set_rule_id(std::string rule_id) { rule_id_ = std::move(rule_id); }
  const std::string& file() const { return file_; }

  Where WhereOf(const YAML::Node& node) const;
  void Report(Where where, std::string message_zh, std::string message_en);
  void Report(const YAML::Node& node, std::string message_zh, std::string message_en) {
    Report(WhereOf(node), std::move(message_zh), std::move(message_en));
  }

  // Reports every key of the mapping `node` outside `known`, naming the nearest known key.
  void CheckKeys(const YAML::Node& node, std::initializer_list<std::string_view> known, std::string_view what);

  // Return the value under `key` of the mapping `parent`, or nullopt (after reporting a problem
  // when the key is required or the value has the wrong shape). `where` receives its position.
  std::optional<std::string> Scalar(const YAML::Node& parent, std::string_view key, bool required,
                                    Where* where = nullptr);
  std::optional<int64_t> Integer(const YAML::Node& parent, std::string_view key, bool required, int64_t minimum);
  std::optional<double> Number(const YAML::Node& parent, std::string_view key, bool required);
  std::optional<bool> Bool(const YAML::Node& parent, std::string_view key);
  std::optional<LocalizedText> Localized(const YAML::Node& parent, std::string_view key, bool required);

  // Reads one event type or a list of them; an empty result after reporting when missing.
  std::vector<std::string> EventTypes(const YAML::Node& parent, std::string_view key);

  // Reads a CEL expression (any scalar); an empty Expression when the key is absent.
  Expression ExpressionAt(const YAML::Node& parent, std::string_view key, bool required);

  // Returns the mapping under `key`, or nullopt when it is absent or not a mapping (the latter
  // reported, and the former too when `required`).
  std::optional<YAML::Node> Mapping(const YAML::Node& parent, std::string_view key, bool required);

 private:
  std::string file_;
  std::string rule_id_;
  std::vector<Problem>* problems_;
};

// True for identifiers of packs, rules and departments' ticket queues: 1 to 64 characters of
// lower-case ASCII letters, digits, '-' and '_', starting with a letter or digit.
bool IsValidIdentifier(std::string_view id);

}  // namespace salesradar::rules
