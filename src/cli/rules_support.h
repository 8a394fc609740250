// Helpers of the rules, events and backtest subcommands: times in a zone, dates, the database
// check and error output. Reading files, calendars and the compile context come from
// api/rule_support.h, which the server shares.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "api/rule_support.h"
#include "common/locale.h"
#include "common/result.h"
#include "rules/compiler.h"
#include "store/store.h"

namespace salesradar::cli {

// Shared with the server (api/rule_support.h).
using api::BuildCompileContext;
using api::DefaultCalendarDir;
using api::LoadCalendarDir;
using api::ParseOffsetTime;
using api::ReadTextFile;

// Formats `t` as "YYYY-MM-DD HH:MM:SS" in `zone_name` (UTC when the zone is unknown).
std::string FormatTime(Timestamp t, const std::string& zone_name);

// Parses "YYYY-MM-DD" as the start of that day in `zone_name`.
Result<Timestamp> ParseDayStart(std::string_view text, const std::string& zone_name);

// Returns kFailedPrecondition when `database` names a file that does not exist, because
// opening it would create an empty database. URLs and ":memory:" pass.
Status CheckDatabaseExists(const std::string& database);

// Prints `error` on stderr in `locale` and returns the exit code: 2 for invalid input, else 1.
int PrintCommandError(const Error& error, Locale locale, std::string_view module);

}  // namespace salesradar::cli
