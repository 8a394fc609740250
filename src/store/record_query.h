// Paged, filtered and sorted reads of the record kinds that the API lists: accounts, contacts,
// leads, opportunities and activities. Both backends build their SQL from the same description
// (store/record_query_sql.h), so that a filter means the same on SQLite and PostgreSQL.
//
// Paging is by keyset: a page ends with the position (sort key, id) of its last row, and the next
// page starts strictly after that position. Rows are ordered by the sort key and then by id in the
// same direction, so a non-unique sort field never repeats or skips a row between pages.
//
// Visibility is the rule of auth/visibility.h, applied in the query. For activities, which the
// role table does not name: a viewer sees an activity when they may see its actor as an owner
// (a rep: their own; a manager or director: their units' members; cs: only their own), or when
// they see its subject (an opportunity, account, lead or contact by that kind's rule).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "model/entity.h"
#include "model/value.h"

namespace salesradar::store {

enum class SortDirection { kAscending, kDescending };

struct RecordSort {
  std::string field = "id";
  SortDirection direction = SortDirection::kAscending;
};

// The value of the sort field of one row: an integer (ids, times, money in fen, counts) or a
// text (names, codes, dates as "YYYY-MM-DD"). A NULL field sorts like the smallest value: as ""
// for texts, -1 for numbers (which are never negative) and 0001-01-01 for dates.
using SortKey = std::variant<int64_t, std::string>;

// Where a page ends: the sort key and id of its last row.
struct RecordPosition {
  SortKey key;
  int64_t id = 0;

  bool operator==(const RecordPosition&) const = default;
};

// Half-open time range [from, before); an unset bound is open.
struct TimeRange {
  std::optional<Timestamp> from;
  std::optional<Timestamp> before;

  bool empty() const { return !from && !before; }
};

// Closed date range [from, to]; an unset bound is open.
struct DateRange {
  std::optional<model::CivilDate> from;
  std::optional<model::CivilDate> to;

  bool empty() const { return !from && !to; }
};

// Equality with a custom field's value. The value's alternative must fit the field's type
// (a Reference by id); a row without a value for the field never matches.
struct CustomFieldFilter {
  std::string name;
  model::Value value;
};

// The entity an activity concerns.
struct SubjectFilter {
  model::EntityKind kind = model::EntityKind::kOpportunity;
  int64_t id = 0;
};

// Every unset or empty member matches every row. Members that do not apply to the query's kind
// make ValidateRecordQuery fail (RecordFilterApplies lists which apply).
struct RecordFilter {
  std::vector<int64_t> ids;             // any kind: only these rows
  std::optional<int64_t> owner_id;      // lead and opportunity owner, activity actor; accounts
                                        // and contacts with an opportunity of that owner
  std::optional<int64_t> org_unit_id;   // the same, for owners in the unit's subtree
  std::vector<std::string> stages;      // opportunity stage codes
  std::vector<std::string> statuses;    // lead status
  std::vector<std::string> types;       // activity type
  std::optional<int64_t> account_id;    // contact and opportunity account
  std::optional<int64_t> product_id;    // opportunity product
  std::optional<SubjectFilter> subject; // activity subject
  std::string name_contains;            // name (activity: subject_text) contains, ignoring case
                                        // and full-width forms as model::NameKey folds them
  TimeRange created;                    // created_at
  TimeRange updated;                    // updated_at
  TimeRange occurred;                   // activity occurred_at
  DateRange close_date;                 // opportunity close_date
  std::vector<CustomFieldFilter> custom_fields;
};

struct RecordQuery {
  model::EntityKind kind = model::EntityKind::kOpportunity;
  RecordFilter filter;
  RecordSort sort;
  std::optional<RecordPosition> after;  // the previous page's `next`; unset for the first page
  int limit = 50;                       // 1..1000
};

// One row of a page.
struct RecordRow {
  int64_t id = 0;
  Timestamp created_at;
  Timestamp updated_at;
  // Every built-in field (Null when unset) and every custom field with a value. References carry
  // the row id only.
  model::Record record;
  // Display names of referenced rows by built-in field name: "owner", "account", "product",
  // "actor", and "subject" for an activity's subject. Absent when unset or nameless.
  std::map<std::string, std::string, std::less<>> reference_names;
};

struct RecordPage {
  std::vector<RecordRow> rows;
  std::optional<RecordPosition> next;  // set when more rows may follow
};

// Returns true for the kinds that ListRecords serves: account, contact, lead, opportunity,
// activity.
bool IsListableKind(model::EntityKind kind);

// Returns the sort fields allowed for `kind`, for example {"id", "name", "amount", ...}.
std::span<const std::string_view> SortFields(model::EntityKind kind);

// Returns the sort used when a request names none: "-occurred_at" for activities, "name" for
// accounts and contacts, "-created_at" for leads and opportunities.
RecordSort DefaultSort(model::EntityKind kind);

// Returns true when the filter named `filter_name` (a RecordFilter member: "owner_id", "stages",
// "close_date" ...) applies to `kind`.
bool RecordFilterApplies(model::EntityKind kind, std::string_view filter_name);

// Checks the kind, the sort field, the limit and that every set filter applies to the kind.
// Returns kInvalidArgument naming the value and listing what is allowed.
Status ValidateRecordQuery(const RecordQuery& query);

}  // namespace salesradar::store
