// Helpers shared by the unit tests of the rules library: subject schemas, the shipped calendars
// and packs compiled from inline YAML.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "calendar/calendar_loader.h"
#include "calendar/calendar_registry.h"
#include "rules/compiler.h"
#include "rules/rule_pack_yaml.h"

namespace salesradar::rules::testing {

inline std::vector<SubjectSchema> TestSchemas() {
  return {
      {"lead", {"Lead", {{"name", cel::Type::String()}, {"source", cel::Type::String()}, {"score", cel::Type::Int()}}}},
      {"opportunity",
       {"Opportunity", {{"name", cel::Type::String()}, {"amount", cel::Type::Money()}, {"risk", cel::Type::Double()}}}},
      {"contract", {"Contract", {{"name", cel::Type::String()}}}},
      {"visit", {"Visit", {{"name", cel::Type::String()}}}},
      {"rep", {"Rep", {{"name", cel::Type::String()}}}},
  };
}

inline std::string ReadSourceFile(const std::string& relative_path) {
  std::ifstream in(std::string(SALESRADAR_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped cn calendar (Asia/Shanghai, 2025 and 2026) in a registry.
inline std::unique_ptr<calendar::CalendarRegistry> ChinaCalendars() {
  std::vector<calendar::CalendarFile> years = {
      {"cn/2025.yaml", ReadSourceFile("examples/calendars/cn/2025.yaml")},
      {"cn/2026.yaml", ReadSourceFile("examples/calendars/cn/2026.yaml")},
  };
  auto loaded = calendar::LoadCalendar({"cn/calendar.yaml", ReadSourceFile("examples/calendars/cn/calendar.yaml")}, years);
  EXPECT_TRUE(loaded.ok());
  auto registry = std::make_unique<calendar::CalendarRegistry>();
  if (loaded.ok()) {
    EXPECT_TRUE(registry->Add(std::move(loaded).value()).ok());
  }
  return registry;
}

// Compiles `yaml`; fails the test and returns nullptr when it has problems.
inline std::shared_ptr<const CompiledPack> CompileOrFail(const std::string& yaml, const CompileContext& context) {
  CompileResult result = CheckRulePack(yaml, "test.yaml", context);
  for (const Problem& problem : result.problems) ADD_FAILURE() << FormatProblem(problem, Locale::kEnglish);
  return result.pack;
}

}  // namespace salesradar::rules::testing
