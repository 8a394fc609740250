// Reading rule packs and business calendars, shared by the server and the command line: files,
// the calendars of a folder, the compile context built from the database's schemas, and event
// times with a UTC offset.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "calendar/calendar_registry.h"
#include "common/result.h"
#include "rules/compiler.h"
#include "store/store.h"

namespace salesradar::api {

// The calendar folder used when none is configured: $SALESRADAR_CALENDAR_DIR, else
// examples/calendars under the working directory.
std::string DefaultCalendarDir();

// Returns the whole file. kNotFound naming the path when it cannot be read.
Result<std::string> ReadTextFile(const std::filesystem::path& path);

// Loads every calendar under `dir`: one subfolder per calendar id with calendar.yaml and one
// YAML file per year. Errors name the folder and the file.
Result<std::unique_ptr<calendar::CalendarRegistry>> LoadCalendarDir(const std::filesystem::path& dir);

// The subject schemas of `store` (custom fields included) and `calendars`.
Result<rules::CompileContext> BuildCompileContext(store::Store& store, const calendar::CalendarRegistry& calendars);

// Parses an event time with a UTC offset, as in "2011-10-01T11:45:11.380+02:00" (fractions of a
// second optional; "Z" for UTC). kInvalidArgument naming the text otherwise.
Result<Timestamp> ParseOffsetTime(std::string_view text);

}  // namespace salesradar::api
