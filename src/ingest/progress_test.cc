#include "ingest/progress.h"

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

using std::chrono::milliseconds;

class ProgressMeterTest : public ::testing::Test {
 protected:
  void SetUp() override { out_ = std::tmpfile(); }
  void TearDown() override { std::fclose(out_); }

  std::string Output() {
    std::fflush(out_);
    std::rewind(out_);
    std::string text;
    char buffer[256];
    size_t read = 0;
    while ((read = std::fread(buffer, 1, sizeof buffer, out_)) > 0) {
      text.append(buffer, read);
    }
    return text;
  }

  ProgressMeter Meter(bool enabled = true) {
    return ProgressMeter(out_, enabled, Locale::kEnglish, [this] { return now_; });
  }

  std::FILE* out_ = nullptr;
  std::chrono::steady_clock::time_point now_{};
};

TEST_F(ProgressMeterTest, QuietDuringFirstTwoSeconds) {
  ProgressMeter meter = Meter();
  meter.Update("a.csv", 0, 0, 1000);
  now_ += milliseconds(1900);
  meter.Update("a.csv", 500, 500, 1000);
  EXPECT_EQ(Output(), "");
}

TEST_F(ProgressMeterTest, ShowsPercentAndRateAfterTwoSeconds) {
  ProgressMeter meter = Meter();
  meter.Update("a.csv", 0, 0, 1000);
  now_ += milliseconds(4000);
  meter.Update("a.csv", 20000, 250, 1000);
  std::string text = Output();
  EXPECT_NE(text.find("importing a.csv:  25.0%  20000 rows  5000 rows/s"), std::string::npos)
      << text;

  meter.Clear();
  EXPECT_EQ(Output().substr(text.size()), "\r\033[K");
}

TEST_F(ProgressMeterTest, RedrawsAtMostFourTimesASecond) {
  ProgressMeter meter = Meter();
  meter.Update("a.csv", 0, 0, 100);
  now_ += milliseconds(3000);
  meter.Update("a.csv", 1, 1, 100);
  size_t first = Output().size();
  now_ += milliseconds(100);
  meter.Update("a.csv", 2, 2, 100);
  EXPECT_EQ(Output().size(), first);
  now_ += milliseconds(200);
  meter.Update("a.csv", 3, 3, 100);
  EXPECT_GT(Output().size(), first);
}

TEST_F(ProgressMeterTest, DisabledMeterPrintsNothing) {
  ProgressMeter meter = Meter(/*enabled=*/false);
  meter.Update("a.csv", 0, 0, 100);
  now_ += milliseconds(5000);
  meter.Update("a.csv", 10, 10, 100);
  meter.Clear();
  EXPECT_EQ(Output(), "");
}

}  // namespace
}  // namespace salesradar::ingest
