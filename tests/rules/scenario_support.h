// Shared pieces of the scenario runner: reading files, local times, calendars, subject schemas
// and rule packs named by scenario files.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "calendar/calendar_registry.h"
#include "common/clock.h"
#include "common/result.h"
#include "rules/compiler.h"
#include "rules/subject.h"

namespace salesradar::rules::scenario {

// Returns the text of `path`, or kNotFound naming it.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Parses "YYYY-MM-DD HH:MM[:SS]" as local time in `zone`, or an RFC 3339 time with an offset.
Result<Timestamp> ParseTime(const std::string& text, const std::string& zone);

// Formats `t` as "YYYY-MM-DD HH:MM:SS" in `zone`, for failure messages.
std::string FormatTime(Timestamp t, const std::string& zone);

// Loads the shipped calendars named by `ids` from examples/calendars/<id>/.
Result<std::unique_ptr<calendar::CalendarRegistry>> LoadCalendars(const std::vector<std::string>& ids);

// Reads subject schemas from a file such as tests/scenarios/subjects.yaml:
//   lead: {message: Lead, fields: {name: string, score: int}}
Result<std::vector<SubjectSchema>> LoadSchemas(const std::filesystem::path& path);

// Compiles the pack that `node` names: a path relative to `base_dir`, or an inline mapping.
// Fails with every problem listed.
Result<std::shared_ptr<const CompiledPack>> CompilePackNode(const YAML::Node& node, const std::filesystem::path& base_dir,
                                                            const CompileContext& context);

}  // namespace salesradar::rules::scenario
