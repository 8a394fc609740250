#include <gtest/gtest.h>

#include "rules/subject.h"

namespace salesradar::rules {
namespace {

TEST(SubjectSchema, FromModelWithCustomFields) {
  model::CustomFieldDefinition region;
  region.entity = model::EntityKind::kOpportunity;
  region.name = "region";
  region.type = model::FieldType::kEnum;
  model::CustomFieldDefinition other_entity;
  other_entity.entity = model::EntityKind::kLead;
  other_entity.name = "campaign";
  std::vector<model::CustomFieldDefinition> custom = {region, other_entity};

  SubjectSchema schema = SubjectSchemaFromModel("opportunity", model::EntityKind::kOpportunity, custom);
  EXPECT_EQ(schema.type, "opportunity");
  EXPECT_EQ(schema.message.name, "Opportunity");
  ASSERT_NE(schema.message.FindField("amount"), nullptr);
  EXPECT_EQ(schema.message.FindField("amount")->type, cel::Type::Money());
  ASSERT_NE(schema.message.FindField("close_date"), nullptr);
  EXPECT_EQ(schema.message.FindField("close_date")->type, cel::Type::Timestamp());
  ASSERT_NE(schema.message.FindField("owner"), nullptr);
  EXPECT_EQ(schema.message.FindField("owner")->type, cel::Type::String());
  ASSERT_NE(schema.message.FindField("region"), nullptr);
  EXPECT_EQ(schema.message.FindField("region")->type, cel::Type::String());
  EXPECT_EQ(schema.message.FindField("campaign"), nullptr);
}

}  // namespace
}  // namespace salesradar::rules
