#include "notify/digest_settings.h"

#include <charconv>

#include <cctz/time_zone.h>
#include <fmt/format.h>

#include "store/notify_settings_store.h"

namespace salesradar::notify {
namespace {

Result<int64_t> StoredInteger(const std::string& name, const std::string& text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return InvalidArgument(fmt::format("通知设置 {} 的值“{}”不是整数", name, text),
                           fmt::format("notification setting {} has the value '{}', which is not a whole number", name,
                                       text))
        .AddDetail("field", name);
  }
  return value;
}

}  // namespace

DigestSchedule ConfiguredDigestSchedule(const server::ServerConfig& config) {
  DigestSchedule schedule;
  schedule.weekday = config.notify_digest_weekday;
  schedule.hour = config.notify_digest_hour;
  schedule.time_zone = config.notify_digest_time_zone;
  return schedule;
}

Status CheckDigestWeekday(int64_t weekday) {
  if (weekday >= 1 && weekday <= 7) return OkStatus();
  return InvalidArgument(fmt::format("digest_weekday 为 {}，超出范围；请写 1（星期一）到 7（星期日）", weekday),
                         fmt::format("digest_weekday {} is out of range; write 1 (Monday) to 7 (Sunday)", weekday))
      .AddDetail("field", std::string(kDigestWeekdaySetting));
}

Status CheckDigestHour(int64_t hour) {
  if (hour >= 0 && hour <= 23) return OkStatus();
  return InvalidArgument(fmt::format("digest_hour 为 {}，超出范围；请写 0 到 23", hour),
                         fmt::format("digest_hour {} is out of range; write 0 to 23", hour))
      .AddDetail("field", std::string(kDigestHourSetting));
}

Status CheckDigestTimeZone(const std::string& time_zone) {
  cctz::time_zone zone;
  if (!time_zone.empty() && cctz::load_time_zone(time_zone, &zone)) return OkStatus();
  return InvalidArgument(fmt::format("digest_time_zone“{}”不是已知的时区；请写 IANA 时区名，例如 Asia/Shanghai", time_zone),
                         fmt::format("digest_time_zone '{}' is not a known time zone; write an IANA zone name such "
                                     "as Asia/Shanghai",
                                     time_zone))
      .AddDetail("field", std::string(kDigestTimeZoneSetting));
}

Result<DigestSchedule> ApplyDigestSettings(DigestSchedule configured, const std::map<std::string, std::string>& stored) {
  if (auto it = stored.find(std::string(kDigestWeekdaySetting)); it != stored.end()) {
    SR_ASSIGN_OR_RETURN(int64_t weekday, StoredInteger(it->first, it->second));
    SR_RETURN_IF_ERROR(CheckDigestWeekday(weekday));
    configured.weekday = static_cast<int>(weekday);
  }
  if (auto it = stored.find(std::string(kDigestHourSetting)); it != stored.end()) {
    SR_ASSIGN_OR_RETURN(int64_t hour, StoredInteger(it->first, it->second));
    SR_RETURN_IF_ERROR(CheckDigestHour(hour));
    configured.hour = static_cast<int>(hour);
  }
  if (auto it = stored.find(std::string(kDigestTimeZoneSetting)); it != stored.end()) {
    SR_RETURN_IF_ERROR(CheckDigestTimeZone(it->second));
    configured.time_zone = it->second;
  }
  return configured;
}

Result<DigestSchedule> CurrentDigestSchedule(store::NotifyStore& notify, const DigestSchedule& configured) {
  Result<store::NotifySettingsStore*> settings = store::NotifySettingsOf(notify);
  if (!settings.ok()) return configured;
  SR_ASSIGN_OR_RETURN(auto stored, (*settings)->NotifySettings());
  return ApplyDigestSettings(configured, stored);
}

}  // namespace salesradar::notify
