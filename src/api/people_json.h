// The JSON shapes of users and org units, shared by the sign-in and the people routes.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "model/entities.h"
#include "store/auth_types.h"

namespace salesradar::api {

// Every user is shown in China Standard Time; per-user zones are not stored yet.
inline constexpr const char* kUserTimeZone = "Asia/Shanghai";

// {id, external_id, login, display_name, role, org_unit_id, manager_id, email, disabled,
// time_zone}. `credentials` is nullopt for a user who cannot sign in (login null, disabled
// false).
nlohmann::json UserJson(const model::User& user,
                        const std::optional<store::Credentials>& credentials);

// {id, external_id, name, type, parent_id}.
nlohmann::json OrgUnitJson(const model::OrgUnit& unit);

}  // namespace salesradar::api
