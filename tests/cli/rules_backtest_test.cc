// `salesradar events import`, `rules check|publish|list` and `backtest --json` on the first
// 300 applications of the bundled BPI 2012 log, with the alert count of the follow-up rule
// recomputed here from the CSV without the rules engine.
#include <algorithm>
#include <map>
#include <vector>

#include <cctz/time_zone.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "calendar/calendar_loader.h"
#include "report/report_test_support.h"

namespace salesradar {
namespace {

using report::testing::CommandOutput;
using report::testing::ReadFile;
using report::testing::RunCommand;
using report::testing::ShellQuote;
using report::testing::TempDirectory;
namespace fs = std::filesystem;

const fs::path kSource = SALESRADAR_SOURCE_DIR;
constexpr int kCases = 300;

struct Row {
  int64_t line = 0;
  std::string case_id;
  std::string type;
  std::string resource;
  Timestamp at;
};

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  for (char c : line) {
    if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

calendar::BusinessCalendar LoadDutchCalendar() {
  fs::path dir = kSource / "examples/calendars/nl";
  std::vector<calendar::CalendarFile> years;
  for (const char* year : {"2011.yaml", "2012.yaml"}) years.push_back({year, ReadFile(dir / year)});
  Result<calendar::BusinessCalendar> loaded =
      calendar::LoadCalendar({"nl/calendar.yaml", ReadFile(dir / "calendar.yaml")}, years);
  EXPECT_TRUE(loaded.ok());
  return std::move(loaded).value();
}

// The rule "offer-no-follow-up-call" of examples/rules/bpi2012.yaml, by hand: per case, the
// first O_SENT opens a window of 2 workdays; a START of "W_Nabellen offertes" by a named
// resource at least 10 minutes after that offer closes it, or resolves its alert once fired.
// Later offers open nothing while a window exists. Deadlines up to the last event of the slice
// fire.
int64_t CountLateFollowUps(const std::vector<Row>& rows, const calendar::BusinessCalendar& nl) {
  std::map<std::string, std::vector<Row>> by_case;
  Timestamp last_event;
  for (const Row& row : rows) {
    by_case[row.case_id].push_back(row);
    last_event = std::max(last_event, row.at);
  }

  int64_t alerts = 0;
  for (auto& [case_id, events] : by_case) {
    std::stable_sort(events.begin(), events.end(), [](const Row& a, const Row& b) { return a.at < b.at; });
    std::optional<Timestamp> opened_at;
    Timestamp deadline;
    bool fired = false;
    for (const Row& event : events) {
      if (opened_at && !fired && deadline <= event.at) {
        fired = true;
        ++alerts;
      }
      bool follow_up = event.type == "W_Nabellen offertes:START" && !event.resource.empty();
      if (opened_at && follow_up && event.at - *opened_at >= std::chrono::minutes(10)) {
        opened_at.reset();
        fired = false;
      }
      if (event.type == "O_SENT" && !opened_at) {
        opened_at = event.at;
        deadline = *nl.AddWorkdays(event.at, 2);
      }
    }
    if (opened_at && !fired && deadline <= last_event) ++alerts;
  }
  return alerts;
}

class RulesEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    csv_ = dir_.path() / "slice.csv";
    db_ = dir_.path() / "bpi.db";
    std::string cut = "zcat " + ShellQuote((kSource / "examples/data/bpi2012-loan-events/bpi2012_events.csv.gz").string()) +
                      " | awk -F, 'NR==1{print;next} {if(!($1 in s)){n++;s[$1]=1} if(n<=" + std::to_string(kCases) +
                      ") print; else exit}' > " + ShellQuote(csv_.string());
    ASSERT_EQ(RunCommand(cut).status, 0);
  }

  CommandOutput Run(const std::string& arguments) {
    return RunCommand("cd " + ShellQuote(kSource.string()) + " && " + ShellQuote(SALESRADAR_BIN) + " --lang en -d " +
                      ShellQuote(db_.string()) + " " + arguments);
  }

  std::vector<Row> ReadSlice() {
    std::vector<Row> rows;
    std::istringstream text(ReadFile(csv_));
    std::string line;
    std::getline(text, line);  // header
    for (int64_t number = 2; std::getline(text, line); ++number) {
      std::vector<std::string> fields = SplitCsvLine(line);
      Row row{number, fields[0], fields[3], fields[5], {}};
      if (row.type.starts_with("W_")) row.type += ":" + fields[4];
      EXPECT_TRUE(cctz::parse("%Y-%m-%dT%H:%M:%E*S%Ez", fields[6], cctz::utc_time_zone(), &row.at)) << fields[6];
      rows.push_back(row);
    }
    return rows;
  }

  TempDirectory dir_{"salesradar_rules_edge"};
  fs::path csv_;
  fs::path db_;
};

TEST_F(RulesEdgeTest, ImportCheckPublishBacktest) {
  std::vector<Row> rows = ReadSlice();
  ASSERT_GT(rows.size(), 1000u);

  CommandOutput imported = Run("events import --mapping examples/mappings/bpi2012/events.yaml " + ShellQuote(csv_.string()));
  ASSERT_EQ(imported.status, 0) << imported.text;
  EXPECT_NE(imported.text.find(std::to_string(rows.size()) + " events added"), std::string::npos) << imported.text;

  CommandOutput again = Run("events import --mapping examples/mappings/bpi2012/events.yaml " + ShellQuote(csv_.string()));
  ASSERT_EQ(again.status, 0) << again.text;
  EXPECT_NE(again.text.find("0 events added, " + std::to_string(rows.size()) + " already stored"), std::string::npos)
      << again.text;

  CommandOutput checked = Run("rules check examples/rules/bpi2012.yaml");
  ASSERT_EQ(checked.status, 0) << checked.text;

  CommandOutput published = Run("rules publish examples/rules/bpi2012.yaml --by tester");
  ASSERT_EQ(published.status, 0) << published.text;
  CommandOutput republished = Run("rules publish examples/rules/bpi2012.yaml --by tester");
  EXPECT_EQ(republished.status, 1) << republished.text;
  CommandOutput listed = Run("rules list");
  ASSERT_EQ(listed.status, 0) << listed.text;
  EXPECT_NE(listed.text.find("bpi2012"), std::string::npos) << listed.text;
  EXPECT_NE(listed.text.find("tester"), std::string::npos) << listed.text;

  CommandOutput backtest = Run("backtest --rules examples/rules/bpi2012.yaml --json");
  ASSERT_EQ(backtest.status, 0) << backtest.text;
  nlohmann::json report = nlohmann::json::parse(backtest.text);
  EXPECT_EQ(report["events"], static_cast<int64_t>(rows.size()));
  const nlohmann::json& rule = report["rules"][0];
  ASSERT_EQ(rule["id"], "offer-no-follow-up-call");
  EXPECT_EQ(rule["evaluation_failures"], 0);
  int64_t expected = CountLateFollowUps(rows, LoadDutchCalendar());
  EXPECT_GT(expected, 0);
  EXPECT_EQ(rule["alerts"], expected);
  EXPECT_LE(rule["flagged"]["subjects"], expected);  // a case may be flagged again after a resolved alert
}

TEST_F(RulesEdgeTest, CheckReportsFileLineAndRule) {
  fs::path broken = dir_.path() / "broken.yaml";
  std::string text = ReadFile(kSource / "examples/rules/bpi2012.yaml");
  size_t window = text.find("window: 2 workdays");
  ASSERT_NE(window, std::string::npos);
  text.replace(window, 18, "window: 2 weeksdays");
  std::ofstream(broken) << text;

  CommandOutput checked = Run("rules check " + ShellQuote(broken.string()));
  EXPECT_EQ(checked.status, 1) << checked.text;
  EXPECT_NE(checked.text.find("broken.yaml:"), std::string::npos) << checked.text;
  EXPECT_NE(checked.text.find("offer-no-follow-up-call"), std::string::npos) << checked.text;
}

}  // namespace
}  // namespace salesradar
