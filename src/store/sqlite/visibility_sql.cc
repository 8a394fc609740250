#include "store/sqlite/visibility_sql.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace salesradar::store::sqlite {
namespace {

using auth::Role;
using model::EntityKind;

constexpr const char* kUnits = "(SELECT value FROM json_each(:viewer_units))";

// The users whose subjects a manager, director or cs sees: the members of the viewer's units.
std::string OwnersInUnits() {
  return fmt::format("(SELECT vu.id FROM users vu WHERE vu.org_unit_id IN {})", kUnits);
}

std::string OwnerCondition(std::string_view column, Role role) {
  if (role == Role::kRep) {
    return fmt::format("{} = :viewer_id", column);
  }
  return fmt::format("({0} = :viewer_id OR {0} IN {1})", column, OwnersInUnits());
}

std::string OpportunityCondition(std::string_view ref, Role role) {
  std::string owner = fmt::format("{}.owner_id", ref);
  if (role == Role::kCs) {
    return fmt::format("({0} = :viewer_id OR ({1}.stage = 'won' AND {0} IN {2}))", owner, ref,
                       OwnersInUnits());
  }
  return OwnerCondition(owner, role);
}

// An account is visible when one of its opportunities is.
std::string AccountCondition(std::string_view ref, Role role) {
  return fmt::format(
      "EXISTS (SELECT 1 FROM opportunities vo WHERE vo.account_id = {}.id AND {})", ref,
      OpportunityCondition("vo", role));
}

std::string LeadCondition(std::string_view ref, Role role) {
  if (role == Role::kCs) {
    return fmt::format("{}.owner_id = :viewer_id", ref);
  }
  return OwnerCondition(fmt::format("{}.owner_id", ref), role);
}

std::string ContactCondition(std::string_view ref, Role role) {
  return fmt::format("{}.account_id IN (SELECT va.id FROM accounts va WHERE {})", ref,
                     AccountCondition("va", role));
}

// An activity is visible through its actor (as an owner) or through its subject.
//
// The unary + on the activity's columns keeps SQLite from answering the OR with its actor and
// subject indexes (a union of every visible row, then a sort: about 2 s per page for a manager
// over 1,000,000 activities when the table has no ANALYZE statistics). Lists are read newest
// first, so walking occurred_at and testing each row against the materialised subqueries finds
// a page early. Filters that name a subject still use the subject index, since they are
// separate terms.
std::string ActivityCondition(std::string_view ref, Role role) {
  std::string actor_column = fmt::format("+{}.actor_id", ref);
  std::string actor = role == Role::kCs ? fmt::format("{} = :viewer_id", actor_column)
                                        : OwnerCondition(actor_column, role);
  return fmt::format(
      "({0} OR (+{1}.subject_type = 'opportunity' AND +{1}.subject_id IN"
      " (SELECT vo2.id FROM opportunities vo2 WHERE {2}))"
      " OR (+{1}.subject_type = 'account' AND +{1}.subject_id IN"
      " (SELECT va2.id FROM accounts va2 WHERE {3}))"
      " OR (+{1}.subject_type = 'lead' AND +{1}.subject_id IN"
      " (SELECT vl2.id FROM leads vl2 WHERE {4}))"
      " OR (+{1}.subject_type = 'contact' AND +{1}.subject_id IN"
      " (SELECT vc2.id FROM contacts vc2 WHERE {5})))",
      actor, ref, OpportunityCondition("vo2", role), AccountCondition("va2", role),
      LeadCondition("vl2", role), ContactCondition("vc2", role));
}

}  // namespace

std::string VisibilityCondition(EntityKind kind, std::string_view table_ref,
                                const auth::Viewer& viewer) {
  Role role = viewer.role;
  if (role == Role::kAdmin) {
    return "1";
  }

  switch (kind) {
    case EntityKind::kOrgUnit:
      return fmt::format("{}.id IN {}", table_ref, kUnits);
    case EntityKind::kUser:
      if (role == Role::kRep) {
        return fmt::format("{}.id = :viewer_id", table_ref);
      }
      return fmt::format("({0}.id = :viewer_id OR {0}.org_unit_id IN {1})", table_ref, kUnits);
    case EntityKind::kAccount:
      return AccountCondition(table_ref, role);
    case EntityKind::kContact:
      return ContactCondition(table_ref, role);
    case EntityKind::kProduct:
      return "1";
    case EntityKind::kLead:
      return LeadCondition(table_ref, role);
    case EntityKind::kOpportunity:
      return OpportunityCondition(table_ref, role);
    case EntityKind::kActivity:
      return ActivityCondition(table_ref, role);
  }
  return "0";
}

void BindViewer(Statement& statement, const auth::Viewer& viewer) {
  statement.BindNamedInt(":viewer_id", viewer.user_id);
  statement.BindNamedText(":viewer_units", fmt::format("[{}]", fmt::join(viewer.org_unit_ids, ",")));
}

}  // namespace salesradar::store::sqlite
