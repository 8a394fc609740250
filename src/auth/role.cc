#include "auth/role.h"

#include <fmt/format.h>

namespace salesradar::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kRep: return "rep";
    case Role::kManager: return "manager";
    case Role::kDirector: return "director";
    case Role::kCs: return "cs";
    case Role::kAdmin: return "admin";
  }
  return "rep";
}

Result<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kRep, Role::kManager, Role::kDirector, Role::kCs, Role::kAdmin}) {
    if (RoleName(role) == name) {
      return role;
    }
  }
  return InvalidArgument(
      fmt::format("未知角色 '{}'；可用角色为 rep、manager、director、cs、admin", name),
      fmt::format("unknown role '{}'; use rep, manager, director, cs or admin", name));
}

}  // namespace salesradar::auth
