// Notification settings an admin changes at run time: the rows of table notify_settings
// (migration 0005), names with text values. A NotifyStore whose backend has the table also
// implements this interface; NotifySettingsOf finds it. Kept apart from store/notify_store.h,
// which every includer of store/store.h reads.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/result.h"
#include "store/audit.h"
#include "store/notify_store.h"

namespace salesradar::store {

class NotifySettingsStore {
 public:
  virtual ~NotifySettingsStore() = default;

  // Returns every stored setting by name.
  virtual Result<std::map<std::string, std::string>> NotifySettings() = 0;

  // Sets each name to its value, or removes the name when the value is nullopt, in one
  // transaction. Audited as one "update" of "notify_settings" with entity id "notify".
  virtual Status PutNotifySettings(const std::map<std::string, std::optional<std::string>>& values,
                                   const AuditContext& audit) = 0;
};

// Returns the settings side of `notify`, which stays owned by it. kFailedPrecondition when the
// backend does not store notification settings yet.
Result<NotifySettingsStore*> NotifySettingsOf(NotifyStore& notify);

}  // namespace salesradar::store
