// The query parameters of the record list routes (GET /api/v1/accounts, contacts, leads,
// opportunities, activities) and their cursors.
#pragma once

#include <span>
#include <string>

#include "common/result.h"
#include "model/custom_field.h"
#include "server/http_types.h"
#include "store/record_query.h"

namespace salesradar::api {

// Reads limit, cursor, sort ("name", "-amount"), q and the filters of `kind` into a query.
// `definitions` are the kind's custom fields, for cf.<name>=value. Returns kInvalidArgument
// naming the parameter and listing the accepted parameters or values.
//
// Filters by kind (times RFC 3339, dates YYYY-MM-DD; *_from inclusive, *_before exclusive,
// close_date_to inclusive):
//   every kind    q, owner_id, org_unit_id, created_from, created_before, updated_from,
//                 updated_before, cf.<name>
//   opportunity   stage (comma-separated), account_id, product_id, close_date_from, close_date_to
//   lead          status (comma-separated)
//   contact       account_id
//   activity      type (comma-separated), occurred_from, occurred_before, and one subject:
//                 opportunity_id, lead_id, account_id or contact_id
Result<store::RecordQuery> ParseRecordListQuery(
    const server::Request& request, model::EntityKind kind,
    std::span<const model::CustomFieldDefinition> definitions);

// Returns the opaque next_cursor of `position` for the query's sort.
std::string EncodeRecordCursor(const store::RecordSort& sort,
                               const store::RecordPosition& position);

// Returns "name" or "-amount".
std::string SortText(const store::RecordSort& sort);

}  // namespace salesradar::api
