// Conversion of stored rows into the typed read structs of model/entities.h.
#pragma once

#include "model/entities.h"
#include "store/sqlite/columns.h"

namespace salesradar::store::sqlite {

model::OrgUnit ToOrgUnit(const StoredRow& row);
model::User ToUser(const StoredRow& row);
model::Account ToAccount(const StoredRow& row);
model::Product ToProduct(const StoredRow& row);
model::Opportunity ToOpportunity(const StoredRow& row);

}  // namespace salesradar::store::sqlite
