// The weekly digest's schedule as settings. The server's configuration gives the defaults
// (notify.digest_weekday, notify.digest_hour, notify.digest_time_zone), and an admin can override
// each at run time as a row of notify_settings. The worker reads them at every pass, so a change
// takes effect without a restart.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "notify/worker.h"
#include "server/config.h"
#include "store/notify_store.h"

namespace salesradar::notify {

inline constexpr std::string_view kDigestWeekdaySetting = "digest_weekday";
inline constexpr std::string_view kDigestHourSetting = "digest_hour";
inline constexpr std::string_view kDigestTimeZoneSetting = "digest_time_zone";

DigestSchedule ConfiguredDigestSchedule(const server::ServerConfig& config);

// Each returns kInvalidArgument naming the value, the accepted range and the field.
Status CheckDigestWeekday(int64_t weekday);
Status CheckDigestHour(int64_t hour);
Status CheckDigestTimeZone(const std::string& time_zone);

// Returns `configured` with the stored overrides applied. kInvalidArgument for a stored value
// that fails its check.
Result<DigestSchedule> ApplyDigestSettings(DigestSchedule configured, const std::map<std::string, std::string>& stored);

// Reads the overrides from `notify`. A backend without notification settings yields `configured`.
Result<DigestSchedule> CurrentDigestSchedule(store::NotifyStore& notify, const DigestSchedule& configured);

}  // namespace salesradar::notify
