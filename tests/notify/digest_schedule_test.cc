// The weekly digest's schedule as settings. An admin's values in notify_settings override the
// configured ones and are read at every pass, without a restart. A change that puts this week's
// time in the past waits for the next week instead of sending a second digest.
#include <gtest/gtest.h>

#include "notify/digest_settings.h"
#include "store/notify_settings_store.h"
#include "worker_fixture.h"

namespace salesradar::notify::testing {
namespace {

class DigestScheduleTest : public WorkerTest {
 protected:
  void SetUp() override {
    WorkerTest::SetUp();
    AddUser("mgr1", "王经理", "", "");
    AddUser("rep1", "李销售", "mgr1", "");
    int64_t webhook = AddChannel("webhook", {{"url", fakes_->BaseUrl() + "/webhook"}}, {{"signing_secret", "whsec"}});
    SetAddresses("user", std::to_string(UserId("mgr1")), {{0, "", "", webhook, "", "zh-CN"}});
  }

  void Store(const std::map<std::string, std::optional<std::string>>& values) {
    Result<store::NotifySettingsStore*> settings = store::NotifySettingsOf(*notify_);
    ASSERT_TRUE(settings.ok()) << settings.error().ToLogString();
    Status put = (*settings)->PutNotifySettings(values, store::AuditContext::System());
    ASSERT_TRUE(put.ok()) << put.error().ToLogString();
  }

  size_t Digests() {
    size_t count = 0;
    for (const Arrival& arrival : fakes_->Arrivals()) {
      if (arrival.body["entries"][0]["kind"] == "digest") ++count;
    }
    return count;
  }
};

// The fixture's clock starts on Sunday 2026-03-01 08:00 in Shanghai.
TEST_F(DigestScheduleTest, StoredScheduleAppliesWithoutRestart) {
  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  Store({{"digest_weekday", "7"}, {"digest_hour", "10"}});
  clock_.Advance(std::chrono::hours(1));  // 09:00, before the new time
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(Digests(), 0u);

  clock_.Advance(std::chrono::hours(1));  // Sunday 10:00
  ASSERT_TRUE(worker->RunOnce().ok());
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(Digests(), 1u);
}

TEST_F(DigestScheduleTest, PastTimeWaitsForNextWeek) {
  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  Store({{"digest_weekday", "6"}});  // Saturday 09:00, yesterday
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(Digests(), 0u);

  clock_.Advance(std::chrono::hours(24 * 6 + 1));  // Saturday 2026-03-07 09:00
  ASSERT_TRUE(worker->RunOnce().ok());
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(Digests(), 1u);
}

TEST_F(DigestScheduleTest, RemovedOverrideReturnsToConfiguredTime) {
  WorkerOptions options = Options();
  options.digest.weekday = 7;
  options.digest.hour = 12;
  std::unique_ptr<Worker> worker = OpenWorker(options);
  ASSERT_TRUE(worker->RunOnce().ok());

  Store({{"digest_hour", "20"}});
  clock_.Advance(std::chrono::hours(4));  // Sunday 12:00, while the override is 20:00
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(Digests(), 0u);

  Store({{"digest_hour", std::nullopt}});
  ASSERT_TRUE(worker->RunOnce().ok());
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(Digests(), 1u);
}

TEST(DigestSettings, StoredValuesOverrideConfigured) {
  Result<DigestSchedule> schedule =
      ApplyDigestSettings(DigestSchedule{}, {{"digest_weekday", "5"}, {"digest_time_zone", "UTC"}});
  ASSERT_TRUE(schedule.ok()) << schedule.error().ToLogString();
  EXPECT_EQ(schedule->weekday, 5);
  EXPECT_EQ(schedule->hour, 9);
  EXPECT_EQ(schedule->time_zone, "UTC");
}

TEST(DigestSettings, ErrorsNameTheValueAndTheRange) {
  Status weekday = CheckDigestWeekday(8);
  ASSERT_FALSE(weekday.ok());
  EXPECT_EQ(weekday.error().message_en(), "digest_weekday 8 is out of range; write 1 (Monday) to 7 (Sunday)");
  EXPECT_NE(weekday.error().message_zh().find("1（星期一）到 7（星期日）"), std::string::npos);

  Status hour = CheckDigestHour(24);
  ASSERT_FALSE(hour.ok());
  EXPECT_EQ(hour.error().message_en(), "digest_hour 24 is out of range; write 0 to 23");

  Status zone = CheckDigestTimeZone("Mars/Olympus");
  ASSERT_FALSE(zone.ok());
  EXPECT_NE(zone.error().message_en().find("'Mars/Olympus'"), std::string::npos);

  EXPECT_FALSE(ApplyDigestSettings(DigestSchedule{}, {{"digest_hour", "nine"}}).ok());
}

}  // namespace
}  // namespace salesradar::notify::testing
