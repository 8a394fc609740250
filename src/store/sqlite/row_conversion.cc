#include "store/sqlite/row_conversion.h"

namespace salesradar::store::sqlite {
namespace {

// Each getter returns the field's value, or the empty value when it is Null or absent.

std::string TextOf(const StoredRow& row, std::string_view name) {
  auto found = row.fields.find(name);
  if (found == row.fields.end()) {
    return {};
  }
  const auto* text = std::get_if<std::string>(&found->second);
  return text != nullptr ? *text : std::string();
}

template <typename T>
std::optional<T> OptionalOf(const StoredRow& row, std::string_view name) {
  auto found = row.fields.find(name);
  if (found == row.fields.end()) {
    return std::nullopt;
  }
  const auto* value = std::get_if<T>(&found->second);
  return value != nullptr ? std::optional<T>(*value) : std::nullopt;
}

std::optional<int64_t> ReferenceOf(const StoredRow& row, std::string_view name) {
  std::optional<model::Reference> reference = OptionalOf<model::Reference>(row, name);
  return reference ? std::optional<int64_t>(reference->id) : std::nullopt;
}

}  // namespace

model::OrgUnit ToOrgUnit(const StoredRow& row) {
  model::OrgUnit unit;
  unit.id = row.id;
  unit.external_id = row.external_id;
  unit.name = TextOf(row, "name");
  unit.type = TextOf(row, "type");
  unit.parent_id = ReferenceOf(row, "parent");
  return unit;
}

model::User ToUser(const StoredRow& row) {
  model::User user;
  user.id = row.id;
  user.external_id = row.external_id;
  user.name = TextOf(row, "name");
  user.role = TextOf(row, "role");
  user.org_unit_id = ReferenceOf(row, "org_unit");
  user.manager_id = ReferenceOf(row, "manager");
  user.email = TextOf(row, "email");
  return user;
}

model::Account ToAccount(const StoredRow& row) {
  model::Account account;
  account.id = row.id;
  account.external_id = row.external_id;
  account.name = TextOf(row, "name");
  account.industry = TextOf(row, "industry");
  account.employees = OptionalOf<int64_t>(row, "employees");
  account.revenue = OptionalOf<model::Money>(row, "revenue");
  account.region = TextOf(row, "region");
  account.parent_id = ReferenceOf(row, "parent");
  account.year_established = OptionalOf<int64_t>(row, "year_established");
  return account;
}

model::Product ToProduct(const StoredRow& row) {
  model::Product product;
  product.id = row.id;
  product.external_id = row.external_id;
  product.name = TextOf(row, "name");
  product.series = TextOf(row, "series");
  product.list_price = OptionalOf<model::Money>(row, "list_price");
  return product;
}

model::Opportunity ToOpportunity(const StoredRow& row) {
  model::Opportunity opportunity;
  opportunity.id = row.id;
  opportunity.external_id = row.external_id;
  opportunity.name = TextOf(row, "name");
  opportunity.stage = TextOf(row, "stage");
  opportunity.amount = OptionalOf<model::Money>(row, "amount");
  opportunity.owner_id = ReferenceOf(row, "owner");
  opportunity.account_id = ReferenceOf(row, "account");
  opportunity.product_id = ReferenceOf(row, "product");
  opportunity.engage_date = OptionalOf<model::CivilDate>(row, "engage_date");
  opportunity.close_date = OptionalOf<model::CivilDate>(row, "close_date");
  opportunity.created_at = row.created_at;
  opportunity.updated_at = row.updated_at;
  return opportunity;
}

}  // namespace salesradar::store::sqlite
