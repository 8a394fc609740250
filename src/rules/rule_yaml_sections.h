// Readers for the sections of one rule in a pack file. Internal to the pack loader: each reads
// its section into `rule` and reports what is wrong through the reader.
#pragma once

#include <yaml-cpp/yaml.h>

#include "rules/rule_pack.h"
#include "rules/yaml_reader.h"

namespace salesradar::rules {

void ReadTrigger(YamlReader& reader, const YAML::Node& rule_node, Rule& rule);
void ReadAwaited(YamlReader& reader, const YAML::Node& rule_node, Rule& rule);
void ReadWindow(YamlReader& reader, const YAML::Node& rule_node, Rule& rule);
void ReadKindSections(YamlReader& reader, const YAML::Node& rule_node, Rule& rule);
void ReadEscalation(YamlReader& reader, const YAML::Node& rule_node, Rule& rule);
void ReadRecipients(YamlReader& reader, const YAML::Node& rule_node, Rule& rule);
void ReadMessage(YamlReader& reader, const YAML::Node& rule_node, Rule& rule);

// Checks what spans sections: the sections that the kind needs or forbids (skipped when the kind
// was unknown, which is reported already), the calendar for business time, and the ticket
// department for rules that can reach red.
void CheckRuleConsistency(YamlReader& reader, const YAML::Node& rule_node, Rule& rule, bool kind_known);

}  // namespace salesradar::rules
