#include "notify/digest.h"

#include <algorithm>
#include <map>
#include <set>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>
#include <fmt/format.h>

#include "notify/alert_text.h"

namespace salesradar::notify {
namespace {

int IsoWeekday(cctz::weekday day) {
  switch (day) {
    case cctz::weekday::monday: return 1;
    case cctz::weekday::tuesday: return 2;
    case cctz::weekday::wednesday: return 3;
    case cctz::weekday::thursday: return 4;
    case cctz::weekday::friday: return 5;
    case cctz::weekday::saturday: return 6;
    case cctz::weekday::sunday: return 7;
  }
  return 1;
}

Result<cctz::time_zone> LoadZone(const std::string& name) {
  cctz::time_zone zone;
  if (!cctz::load_time_zone(name, &zone)) {
    return InvalidArgument(fmt::format("未知的时区“{}”；请使用 IANA 名称，例如 Asia/Shanghai", name),
                           fmt::format("unknown time zone '{}'; use an IANA name such as Asia/Shanghai", name));
  }
  return zone;
}

std::chrono::system_clock::time_point ToSystem(Timestamp t) {
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(t);
}

MessageEntry DigestEntry(const model::User& manager, const TeamFigures& figures, Locale locale,
                         const std::string& week_key, const std::string& public_base_url) {
  bool english = locale == Locale::kEnglish;
  double rate = figures.raised == 0 ? 1.0 : static_cast<double>(figures.resolved) / static_cast<double>(figures.raised);

  MessageEntry entry;
  entry.kind = "digest";
  entry.title = english ? fmt::format("Weekly digest for {} (week ending {})", manager.name, week_key)
                        : fmt::format("{} 的团队周报（截至 {}）", manager.name, week_key);
  entry.text = english ? fmt::format("Alerts raised: {}\nCompliance rate (resolved share): {:.0f}%", figures.raised, rate * 100)
                       : fmt::format("本周预警：{} 条\n合规率（已解决占比）：{:.0f}%", figures.raised, rate * 100);
  entry.text += english ? "\nTop problems:" : "\n主要问题：";
  if (figures.top_rules.empty()) entry.text += english ? " none" : "无";
  for (size_t i = 0; i < figures.top_rules.size(); ++i) {
    const auto& [rule, count] = figures.top_rules[i];
    entry.text += english ? fmt::format("\n{}. {} ({} alerts)", i + 1, rule, count)
                          : fmt::format("\n{}. {}（{} 条）", i + 1, rule, count);
  }
  if (!public_base_url.empty()) {
    std::string base = public_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    entry.link = base + "/dashboard";
  }
  return entry;
}

}  // namespace

Result<Timestamp> LatestDigestTime(const DigestSchedule& schedule, Timestamp now) {
  if (schedule.weekday < 1 || schedule.weekday > 7 || schedule.hour < 0 || schedule.hour > 23) {
    return InvalidArgument(fmt::format("周报时间无效（星期 {}，{} 点）；星期为 1 到 7，小时为 0 到 23", schedule.weekday, schedule.hour),
                           fmt::format("invalid digest schedule (weekday {}, hour {}); the weekday is 1 to 7 and the "
                                       "hour 0 to 23",
                                       schedule.weekday, schedule.hour));
  }
  SR_ASSIGN_OR_RETURN(cctz::time_zone zone, LoadZone(schedule.time_zone));

  cctz::civil_day today = cctz::civil_day(cctz::convert(ToSystem(now), zone));
  int back = (IsoWeekday(cctz::get_weekday(today)) - schedule.weekday + 7) % 7;
  cctz::civil_day day = today - back;
  auto slot = cctz::convert(cctz::civil_second(day.year(), day.month(), day.day(), schedule.hour, 0, 0), zone);
  Timestamp result = std::chrono::time_point_cast<Microseconds>(slot);
  if (result > now) {
    day -= 7;
    slot = cctz::convert(cctz::civil_second(day.year(), day.month(), day.day(), schedule.hour, 0, 0), zone);
    result = std::chrono::time_point_cast<Microseconds>(slot);
  }
  return result;
}

std::string DigestWeekKey(const DigestSchedule& schedule, Timestamp slot) {
  cctz::time_zone zone;
  if (!cctz::load_time_zone(schedule.time_zone, &zone)) zone = cctz::utc_time_zone();
  cctz::civil_day day = cctz::civil_day(cctz::convert(ToSystem(slot), zone));
  return fmt::format("{:04}-{:02}-{:02}", day.year(), day.month(), day.day());
}

TeamFigures ComputeTeamFigures(std::span<const rules::AlertChange> changes, const std::vector<std::string>& team) {
  std::set<std::string> members(team.begin(), team.end());
  std::set<std::string> raised_ids;
  std::set<std::string> resolved_ids;
  std::map<std::string, int64_t> by_rule;

  for (const rules::AlertChange& change : changes) {
    bool ours = std::any_of(change.recipients.begin(), change.recipients.end(), [&](const rules::ResolvedRecipient& r) {
      return r.role == rules::Recipient::Role::kOwner && members.contains(r.user_id);
    });
    if (!ours) continue;
    if (change.action == rules::AlertAction::kRaised && raised_ids.insert(change.alert_id).second) {
      ++by_rule[change.key.pack_id + "/" + change.key.rule_id];
    }
    if (change.action == rules::AlertAction::kResolvedByPerson ||
        change.action == rules::AlertAction::kResolvedAutomatically) {
      resolved_ids.insert(change.alert_id);
    }
  }

  TeamFigures figures;
  figures.raised = static_cast<int64_t>(raised_ids.size());
  for (const std::string& id : raised_ids) figures.resolved += resolved_ids.contains(id) ? 1 : 0;

  std::vector<std::pair<std::string, int64_t>> ranked(by_rule.begin(), by_rule.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (ranked.size() > 3) ranked.resize(3);
  figures.top_rules = std::move(ranked);
  return figures;
}

std::vector<store::NotifyMessage> BuildWeeklyDigests(std::span<const model::User> users,
                                                    std::span<const store::NotifyAddress> addresses,
                                                    std::span<const rules::AlertChange> changes,
                                                    const std::string& week_key, Timestamp now,
                                                    const std::string& public_base_url) {
  std::map<int64_t, std::vector<std::string>> teams;
  for (const model::User& user : users) {
    if (user.manager_id) teams[*user.manager_id].push_back(user.external_id);
  }

  std::vector<store::NotifyMessage> messages;
  for (const model::User& manager : users) {
    auto team = teams.find(manager.id);
    if (team == teams.end()) continue;
    TeamFigures figures = ComputeTeamFigures(changes, team->second);

    for (const store::NotifyAddress& address : addresses) {
      if (address.owner_kind != "user" || address.owner != std::to_string(manager.id)) continue;
      store::NotifyMessage message;
      message.source = fmt::format("digest:{}:{}", manager.id, week_key);
      message.channel_id = address.channel_id;
      message.target = address.target;
      message.locale = address.locale;
      message.body = DigestEntry(manager, figures, LocaleOfTag(address.locale), week_key, public_base_url).ToJson();
      message.next_attempt_at = now;
      messages.push_back(std::move(message));
    }
  }
  return messages;
}

}  // namespace salesradar::notify
