// Helpers of the rules, events and backtest subcommands: reading files, loading the business
// calendars of a folder, and the compile context built from the database's schemas.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "calendar/calendar_registry.h"
#include "common/locale.h"
#include "common/result.h"
#include "rules/compiler.h"
#include "store/store.h"

namespace salesradar::cli {

// The calendar folder used when --calendar-dir is not given: $SALESRADAR_CALENDAR_DIR, else
// examples/calendars under the working directory.
std::string DefaultCalendarDir();

// Returns the whole file. kNotFound naming the path when it cannot be read.
Result<std::string> ReadTextFile(const std::filesystem::path& path);

// Loads every calendar under `dir`: one subfolder per calendar id with calendar.yaml and one
// YAML file per year. Errors name the folder and the file.
Result<std::unique_ptr<calendar::CalendarRegistry>> LoadCalendarDir(const std::filesystem::path& dir);

// The subject schemas of `store` (custom fields included) and `calendars`.
Result<rules::CompileContext> BuildCompileContext(store::Store& store, const calendar::CalendarRegistry& calendars);

// Formats `t` as "YYYY-MM-DD HH:MM:SS" in `zone_name` (UTC when the zone is unknown).
std::string FormatTime(Timestamp t, const std::string& zone_name);

// Parses an event time with a UTC offset, as in "2011-10-01T11:45:11.380+02:00" (fractions of a
// second optional; "Z" for UTC). kInvalidArgument naming the text otherwise.
Result<Timestamp> ParseOffsetTime(std::string_view text);

// Parses "YYYY-MM-DD" as the start of that day in `zone_name`.
Result<Timestamp> ParseDayStart(std::string_view text, const std::string& zone_name);

// Returns kFailedPrecondition when `database` names a file that does not exist, because
// opening it would create an empty database. URLs and ":memory:" pass.
Status CheckDatabaseExists(const std::string& database);

// Prints `error` on stderr in `locale` and returns the exit code: 2 for invalid input, else 1.
int PrintCommandError(const Error& error, Locale locale, std::string_view module);

}  // namespace salesradar::cli
