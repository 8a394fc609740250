#include "api/people_json.h"

namespace salesradar::api {
namespace {

nlohmann::json OptionalId(const std::optional<int64_t>& id) {
  return id ? nlohmann::json(*id) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json UserJson(const model::User& user,
                        const std::optional<store::Credentials>& credentials) {
  nlohmann::json json = {
      {"id", user.id},
      {"external_id", user.external_id},
      {"login", credentials ? nlohmann::json(credentials->login) : nlohmann::json(nullptr)},
      {"display_name", user.name},
      {"role", user.role},
      {"org_unit_id", OptionalId(user.org_unit_id)},
      {"manager_id", OptionalId(user.manager_id)},
      {"email", user.email.empty() ? nlohmann::json(nullptr) : nlohmann::json(user.email)},
      {"disabled", credentials ? credentials->disabled : false},
      {"time_zone", kUserTimeZone},
  };
  return json;
}

nlohmann::json OrgUnitJson(const model::OrgUnit& unit) {
  return {
      {"id", unit.id},
      {"external_id", unit.external_id},
      {"name", unit.name},
      {"type", unit.type},
      {"parent_id", OptionalId(unit.parent_id)},
  };
}

}  // namespace salesradar::api
