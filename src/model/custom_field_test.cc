#include "model/custom_field.h"

#include <vector>

#include <gtest/gtest.h>

namespace salesradar::model {
namespace {

CustomFieldDefinition Tier() {
  CustomFieldDefinition definition;
  definition.entity = EntityKind::kAccount;
  definition.name = "tier";
  definition.type = FieldType::kEnum;
  definition.allowed_values = {"gold", "silver"};
  definition.label = {"客户等级", "Tier"};
  return definition;
}

TEST(ValidateDefinition, AcceptsEnum) { EXPECT_TRUE(ValidateDefinition(Tier()).ok()); }

TEST(ValidateDefinition, RejectsBadNames) {
  std::vector<std::string> names = {"", "Tier", "1tier", "tier-level", "客户等级",
                                    std::string(65, 'a')};
  for (const std::string& name : names) {
    CustomFieldDefinition definition = Tier();
    definition.name = name;
    EXPECT_FALSE(ValidateDefinition(definition).ok()) << name;
  }
}

TEST(ValidateDefinition, RejectsBuiltInName) {
  CustomFieldDefinition definition = Tier();
  definition.name = "industry";
  Status status = ValidateDefinition(definition);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message_en().find("built-in"), std::string::npos);
}

TEST(ValidateDefinition, EnumNeedsDistinctValues) {
  CustomFieldDefinition empty = Tier();
  empty.allowed_values.clear();
  EXPECT_FALSE(ValidateDefinition(empty).ok());

  CustomFieldDefinition duplicate = Tier();
  duplicate.allowed_values = {"gold", "gold"};
  EXPECT_FALSE(ValidateDefinition(duplicate).ok());

  CustomFieldDefinition not_enum = Tier();
  not_enum.type = FieldType::kString;
  EXPECT_FALSE(ValidateDefinition(not_enum).ok());
}

TEST(ValidateDefinition, ReferenceNeedsTarget) {
  CustomFieldDefinition definition = Tier();
  definition.type = FieldType::kReference;
  definition.allowed_values.clear();
  EXPECT_FALSE(ValidateDefinition(definition).ok());
  definition.target = EntityKind::kUser;
  EXPECT_TRUE(ValidateDefinition(definition).ok());
}

TEST(ValidateDefinition, NeedsChineseLabel) {
  CustomFieldDefinition definition = Tier();
  definition.label.zh.clear();
  EXPECT_FALSE(ValidateDefinition(definition).ok());
}

TEST(ValidateCustomValue, EnumValueMustBeAllowed) {
  EXPECT_TRUE(ValidateCustomValue(Tier(), std::string("gold")).ok());
  Status status = ValidateCustomValue(Tier(), std::string("Platinum"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message_en(),
            "custom field 'tier' of account: value 'Platinum' is not allowed; allowed values: "
            "gold, silver");
  EXPECT_NE(status.error().message_zh().find("Platinum"), std::string::npos);
}

TEST(ValidateCustomValue, TypeMustMatch) {
  CustomFieldDefinition budget = Tier();
  budget.name = "budget";
  budget.type = FieldType::kMoney;
  budget.allowed_values.clear();
  EXPECT_TRUE(ValidateCustomValue(budget, Money{100, "CNY"}).ok());
  EXPECT_FALSE(ValidateCustomValue(budget, int64_t{100}).ok());
  EXPECT_FALSE(ValidateCustomValue(budget, Money{100, "cny"}).ok());
}

TEST(ValidateCustomValue, NullOnlyWhenOptional) {
  CustomFieldDefinition definition = Tier();
  EXPECT_TRUE(ValidateCustomValue(definition, Null{}).ok());
  definition.required = true;
  EXPECT_FALSE(ValidateCustomValue(definition, Null{}).ok());
}

}  // namespace
}  // namespace salesradar::model
