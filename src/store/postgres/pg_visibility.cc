#include "store/postgres/pg_visibility.h"

#include <fmt/format.h>

namespace salesradar::store::postgres {
namespace {

using auth::Role;
using model::EntityKind;

// The expressions of the viewer's id and its org units, taken from the one bigint[] parameter.
struct ViewerParams {
  std::string id;     // "($N::bigint[])[1]"
  std::string units;  // "($N::bigint[])[2:]"
};

// The users whose subjects a manager, director or cs may see: the members of the viewer's
// units.
std::string OwnersInUnits(const ViewerParams& p) {
  return fmt::format("(SELECT vu.id FROM users vu WHERE vu.org_unit_id = ANY({}))", p.units);
}

std::string OwnerCondition(std::string_view column, Role role, const ViewerParams& p) {
  if (role == Role::kRep) {
    return fmt::format("{} = {}", column, p.id);
  }
  return fmt::format("({0} = {1} OR {0} IN {2})", column, p.id, OwnersInUnits(p));
}

std::string OpportunityCondition(std::string_view ref, Role role, const ViewerParams& p) {
  std::string owner = fmt::format("{}.owner_id", ref);
  if (role == Role::kCs) {
    return fmt::format("({0} = {1} OR ({2}.stage = 'won' AND {0} IN {3}))", owner, p.id, ref,
                       OwnersInUnits(p));
  }
  return OwnerCondition(owner, role, p);
}

// An account is visible when one of its opportunities is.
std::string AccountCondition(std::string_view ref, Role role, const ViewerParams& p) {
  return fmt::format(
      "EXISTS (SELECT 1 FROM opportunities vo WHERE vo.account_id = {}.id AND {})", ref,
      OpportunityCondition("vo", role, p));
}

std::string LeadCondition(std::string_view ref, Role role, const ViewerParams& p) {
  if (role == Role::kCs) {
    return fmt::format("{}.owner_id = {}", ref, p.id);
  }
  return OwnerCondition(fmt::format("{}.owner_id", ref), role, p);
}

std::string ContactCondition(std::string_view ref, Role role, const ViewerParams& p) {
  return fmt::format("{}.account_id IN (SELECT va.id FROM accounts va WHERE {})", ref,
                     AccountCondition("va", role, p));
}

// An activity is visible through its actor (as an owner) or through its subject.
std::string ActivityCondition(std::string_view ref, Role role, const ViewerParams& p) {
  std::string actor_column = fmt::format("{}.actor_id", ref);
  std::string actor = role == Role::kCs ? fmt::format("{} = {}", actor_column, p.id)
                                        : OwnerCondition(actor_column, role, p);
  return fmt::format(
      "({0} OR ({1}.subject_type = 'opportunity' AND {1}.subject_id IN"
      " (SELECT vo2.id FROM opportunities vo2 WHERE {2}))"
      " OR ({1}.subject_type = 'account' AND {1}.subject_id IN"
      " (SELECT va2.id FROM accounts va2 WHERE {3}))"
      " OR ({1}.subject_type = 'lead' AND {1}.subject_id IN"
      " (SELECT vl2.id FROM leads vl2 WHERE {4}))"
      " OR ({1}.subject_type = 'contact' AND {1}.subject_id IN"
      " (SELECT vc2.id FROM contacts vc2 WHERE {5})))",
      actor, ref, OpportunityCondition("vo2", role, p), AccountCondition("va2", role, p),
      LeadCondition("vl2", role, p), ContactCondition("vc2", role, p));
}

}  // namespace

std::string VisibilityCondition(EntityKind kind, std::string_view table_ref,
                                const auth::Viewer& viewer, int parameter) {
  Role role = viewer.role;
  if (role == Role::kAdmin) {
    return "TRUE";
  }
  ViewerParams p{fmt::format("(${}::bigint[])[1]", parameter),
                 fmt::format("(${}::bigint[])[2:]", parameter)};

  switch (kind) {
    case EntityKind::kOrgUnit:
      return fmt::format("{}.id = ANY({})", table_ref, p.units);
    case EntityKind::kUser:
      if (role == Role::kRep) {
        return fmt::format("{}.id = {}", table_ref, p.id);
      }
      return fmt::format("({0}.id = {1} OR {0}.org_unit_id = ANY({2}))", table_ref, p.id,
                         p.units);
    case EntityKind::kAccount:
      return AccountCondition(table_ref, role, p);
    case EntityKind::kContact:
      return ContactCondition(table_ref, role, p);
    case EntityKind::kProduct:
      return "TRUE";
    case EntityKind::kLead:
      return LeadCondition(table_ref, role, p);
    case EntityKind::kOpportunity:
      return OpportunityCondition(table_ref, role, p);
    case EntityKind::kActivity:
      return ActivityCondition(table_ref, role, p);
  }
  return "FALSE";
}

void AddViewerParams(PgParams* params, EntityKind kind, const auth::Viewer& viewer) {
  if (viewer.role == Role::kAdmin || kind == EntityKind::kProduct) {
    return;
  }
  std::vector<int64_t> values = {viewer.user_id};
  values.insert(values.end(), viewer.org_unit_ids.begin(), viewer.org_unit_ids.end());
  params->AddText(ArrayLiteral(values));
}

}  // namespace salesradar::store::postgres
