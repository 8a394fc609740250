// The roles of SalesRadar users.
#pragma once

#include <string_view>

#include "common/result.h"

namespace salesradar::auth {

enum class Role {
  kRep,       // a sales rep: their own subjects
  kManager,   // a team manager: the subtree of their org unit
  kDirector,  // a sales director: the subtree of their org unit, usually a region
  kCs,        // a customer-success manager: won customers of their org unit's subtree
  kAdmin,     // an administrator: everything
};

// Returns "rep", "manager", "director", "cs" or "admin", the names stored in users.role.
std::string_view RoleName(Role role);

// Parses a name that RoleName returns. Returns kInvalidArgument listing the names otherwise.
Result<Role> ParseRole(std::string_view name);

}  // namespace salesradar::auth
