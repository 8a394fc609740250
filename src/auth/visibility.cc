#include "auth/visibility.h"

#include <algorithm>
#include <map>
#include <set>

namespace salesradar::auth {

bool Viewer::SeesUnit(std::optional<int64_t> unit_id) const {
  return unit_id.has_value() &&
         std::binary_search(org_unit_ids.begin(), org_unit_ids.end(), *unit_id);
}

std::vector<int64_t> SubtreeOf(std::span<const model::OrgUnit> units, int64_t root) {
  std::multimap<int64_t, int64_t> children;  // parent id -> child id
  for (const model::OrgUnit& unit : units) {
    if (unit.parent_id) {
      children.emplace(*unit.parent_id, unit.id);
    }
  }

  std::set<int64_t> seen{root};
  std::vector<int64_t> pending{root};
  while (!pending.empty()) {
    int64_t parent = pending.back();
    pending.pop_back();
    auto [first, last] = children.equal_range(parent);
    for (auto child = first; child != last; ++child) {
      if (seen.insert(child->second).second) {
        pending.push_back(child->second);
      }
    }
  }
  return std::vector<int64_t>(seen.begin(), seen.end());
}

Result<Viewer> ViewerFor(const model::User& user, std::span<const model::OrgUnit> units) {
  SR_ASSIGN_OR_RETURN(Role role, ParseRole(user.role));
  Viewer viewer{user.id, role, {}};

  if (role == Role::kAdmin) {
    for (const model::OrgUnit& unit : units) {
      viewer.org_unit_ids.push_back(unit.id);
    }
    std::sort(viewer.org_unit_ids.begin(), viewer.org_unit_ids.end());
  } else if (!user.org_unit_id) {
    // No unit: the viewer sees only what they own.
  } else if (role == Role::kRep) {
    viewer.org_unit_ids.push_back(*user.org_unit_id);
  } else {
    viewer.org_unit_ids = SubtreeOf(units, *user.org_unit_id);
  }
  return viewer;
}

bool SeesOwner(const Viewer& viewer, const model::User* owner) {
  if (viewer.role == Role::kAdmin) {
    return true;
  }
  if (owner == nullptr) {
    return false;
  }
  if (owner->id == viewer.user_id) {
    return true;
  }
  return viewer.role != Role::kRep && viewer.SeesUnit(owner->org_unit_id);
}

bool CanSeeUser(const Viewer& viewer, const model::User& user) {
  return SeesOwner(viewer, &user);
}

bool CanSeeOrgUnit(const Viewer& viewer, const model::OrgUnit& unit) {
  return viewer.role == Role::kAdmin || viewer.SeesUnit(unit.id);
}

bool CanSeeOpportunity(const Viewer& viewer, const model::Opportunity& opportunity,
                       const model::User* owner) {
  if (viewer.role == Role::kAdmin) {
    return true;
  }
  if (owner != nullptr && owner->id == viewer.user_id) {
    return true;
  }
  if (viewer.role == Role::kCs && opportunity.stage != model::kStageWon) {
    return false;
  }
  return SeesOwner(viewer, owner);
}

bool CanSeeAccount(const Viewer& viewer, std::span<const OwnedOpportunity> opportunities) {
  if (viewer.role == Role::kAdmin) {
    return true;
  }
  return std::any_of(opportunities.begin(), opportunities.end(), [&](const OwnedOpportunity& o) {
    return CanSeeOpportunity(viewer, *o.opportunity, o.owner);
  });
}

}  // namespace salesradar::auth
