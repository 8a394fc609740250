// The notification settings an admin changes at run time (table notify_settings), on
// PostgreSQL, with the same audit row as the SQLite version.
#include <nlohmann/json.hpp>

#include "store/postgres/pg_notify.h"

namespace salesradar::store::postgres {

Result<std::map<std::string, std::string>> PgNotifyStore::NotifySettings() {
  SR_ASSIGN_OR_RETURN(PgResult result, connection_.Query("SELECT name, value FROM notify_settings",
                                                         PgParams{}, "read notification settings"));
  std::map<std::string, std::string> settings;
  for (int row = 0; row < result.rows(); ++row) {
    settings[std::string(result.Text(row, 0))] = std::string(result.Text(row, 1));
  }
  return settings;
}

Status PgNotifyStore::PutNotifySettings(const std::map<std::string, std::optional<std::string>>& values,
                                        const AuditContext& audit) {
  return InTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(auto before, NotifySettings());
    for (const auto& [name, value] : values) {
      SR_RETURN_IF_ERROR(PutSetting(name, value));
    }

    SR_ASSIGN_OR_RETURN(auto after, NotifySettings());
    AuditEvent event{"update", "notify_settings", "notify", nlohmann::json(before).dump(),
                     nlohmann::json(after).dump()};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, store_.AppendAudit(event, audit));
    (void)audit_id;
    return OkStatus();
  });
}

Status PgNotifyStore::PutSetting(const std::string& name, const std::optional<std::string>& value) {
  PgParams params;
  params.AddText(name);
  if (!value) {
    SR_RETURN_IF_ERROR(connection_.Query("DELETE FROM notify_settings WHERE name = $1", params,
                                         "remove a notification setting"));
    return OkStatus();
  }

  params.AddText(*value);
  SR_RETURN_IF_ERROR(connection_.Query("INSERT INTO notify_settings (name, value) VALUES ($1, $2)"
                                       " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                                       params, "store a notification setting"));
  return OkStatus();
}

}  // namespace salesradar::store::postgres
