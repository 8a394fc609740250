#include "notify/digest.h"

#include <gtest/gtest.h>

namespace salesradar::notify {
namespace {

// 2026-03-04 is a Wednesday; 01:00 UTC is 09:00 in Asia/Shanghai.
Timestamp Utc(int day, int hour) {
  // 2026-03-01T00:00:00Z
  return FromUnixMicros((1772323200LL + (day - 1) * 86400LL + hour * 3600LL) * 1'000'000);
}

TEST(Digest, LatestTimeIsMondayNineInShanghai) {
  DigestSchedule schedule;  // Monday 09:00 Asia/Shanghai
  Result<Timestamp> slot = LatestDigestTime(schedule, Utc(4, 12));
  ASSERT_TRUE(slot.ok());
  EXPECT_EQ(*slot, Utc(2, 1));  // Monday 2026-03-02 01:00 UTC
  EXPECT_EQ(DigestWeekKey(schedule, *slot), "2026-03-02");
}

TEST(Digest, BeforeTheHourOnTheDayGivesLastWeek) {
  DigestSchedule schedule;
  Result<Timestamp> slot = LatestDigestTime(schedule, Utc(2, 0));  // Monday 08:00 in Shanghai
  ASSERT_TRUE(slot.ok());
  EXPECT_EQ(*slot, Utc(2, 1) - std::chrono::hours(24 * 7));
}

TEST(Digest, InvalidScheduleIsRejected) {
  DigestSchedule schedule;
  schedule.weekday = 8;
  EXPECT_FALSE(LatestDigestTime(schedule, Utc(2, 0)).ok());
  schedule.weekday = 1;
  schedule.time_zone = "Mars/Olympus";
  EXPECT_FALSE(LatestDigestTime(schedule, Utc(2, 0)).ok());
}

rules::AlertChange Change(std::string id, std::string rule, rules::AlertAction action, std::string owner) {
  rules::AlertChange change;
  change.alert_id = std::move(id);
  change.key.pack_id = "b2b";
  change.key.rule_id = std::move(rule);
  change.action = action;
  change.recipients.push_back({rules::Recipient::Role::kOwner, std::move(owner), ""});
  return change;
}

TEST(Digest, TeamFiguresCountRaisedResolvedAndTopRules) {
  using rules::AlertAction;
  std::vector<rules::AlertChange> changes = {
      Change("a1", "no_follow_up", AlertAction::kRaised, "rep1"),
      Change("a2", "no_follow_up", AlertAction::kRaised, "rep2"),
      Change("a3", "quote_compliance", AlertAction::kRaised, "rep1"),
      Change("a4", "visit_photo", AlertAction::kRaised, "rep2"),
      Change("a5", "stuck_stage", AlertAction::kRaised, "rep1"),
      Change("a6", "no_follow_up", AlertAction::kRaised, "other_team_rep"),
      Change("a1", "no_follow_up", AlertAction::kResolvedAutomatically, "rep1"),
      Change("a3", "quote_compliance", AlertAction::kResolvedByPerson, "rep1"),
  };
  TeamFigures figures = ComputeTeamFigures(changes, {"rep1", "rep2"});
  EXPECT_EQ(figures.raised, 5);
  EXPECT_EQ(figures.resolved, 2);
  ASSERT_EQ(figures.top_rules.size(), 3u);
  EXPECT_EQ(figures.top_rules[0].first, "b2b/no_follow_up");
  EXPECT_EQ(figures.top_rules[0].second, 2);
}

}  // namespace
}  // namespace salesradar::notify
