// Row visibility: which subjects a signed-in user may see, as pure functions over the org tree.
// The store turns the same rule into SQL conditions (store/store.h), so that the rule applies in
// the queries and not only in request handlers.
//
// The rule, by role:
//   rep       opportunities and leads they own; accounts with one of those opportunities and
//             their contacts; their own user row and org unit.
//   manager,  what the users in the subtree of their org unit own (themselves included), and
//   director  those users and org units. A manager without an org unit sees only their own.
//   cs        the won opportunities owned in the subtree of their org unit, the accounts of those
//             deals (the customers to deliver to) and their contacts, the users and org units of
//             the subtree; leads only their own, because open sales are not theirs to work.
//   admin     everything.
// Every role sees every product: the catalogue is not a subject. An account is visible exactly
// when the viewer sees one of its opportunities, so an account without opportunities is visible
// to admins only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "auth/role.h"
#include "model/entities.h"

namespace salesradar::auth {

// The reader of rows: a user, their role, and the org units whose members' subjects they see.
struct Viewer {
  int64_t user_id = 0;
  Role role = Role::kRep;
  // Sorted, without duplicates. A rep has only their own unit, which makes that unit's row
  // visible. A manager, director or cs has the subtree of their unit, and an admin every unit.
  std::vector<int64_t> org_unit_ids;

  bool SeesUnit(std::optional<int64_t> unit_id) const;
};

// Returns `root` and every unit below it, sorted. A parent cycle in the data ends the walk
// instead of looping.
std::vector<int64_t> SubtreeOf(std::span<const model::OrgUnit> units, int64_t root);

// Builds the viewer for `user` over the org tree `units`. Returns kInvalidArgument when the
// user's role is unknown.
Result<Viewer> ViewerFor(const model::User& user, std::span<const model::OrgUnit> units);

// Returns true when `viewer` may see subjects owned by `owner` (nullptr: no owner). Reps see
// their own; managers, directors and cs the owners in their units; admins all.
bool SeesOwner(const Viewer& viewer, const model::User* owner);

bool CanSeeUser(const Viewer& viewer, const model::User& user);
bool CanSeeOrgUnit(const Viewer& viewer, const model::OrgUnit& unit);

// `owner` is the opportunity's owner, nullptr when it has none.
bool CanSeeOpportunity(const Viewer& viewer, const model::Opportunity& opportunity,
                       const model::User* owner);

// `opportunities` are the account's opportunities, each with its owner (nullptr when none).
struct OwnedOpportunity {
  const model::Opportunity* opportunity;
  const model::User* owner;
};
bool CanSeeAccount(const Viewer& viewer, std::span<const OwnedOpportunity> opportunities);

}  // namespace salesradar::auth
