#include "ingest/mapping.h"

#include <string>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

// Returns the field mapping named `name` of the first target, or nullptr.
const FieldMapping* FindField(const Mapping& mapping, std::string_view name) {
  for (const FieldMapping& field : mapping.targets.at(0).fields) {
    if (field.field == name) {
      return &field;
    }
  }
  return nullptr;
}

// Parses `yaml` and returns the English error message, or "" when it parsed.
std::string ErrorOf(const std::string& yaml) {
  Result<Mapping> mapping = ParseMapping(yaml, "m.yaml");
  return mapping.ok() ? std::string() : mapping.error().message_en();
}

constexpr const char* kPipeline = R"(source: ../data/pipeline.csv
csv: {encoding: gbk, delimiter: ";"}
entity: opportunity
external_id: opportunity_id
fields:
  stage: deal_stage
  owner: {column: sales_agent, required: true}
  product: {column: product, values: {GTXPro: GTX Pro}}
  account: {column: account}
  engage_date: {column: engage_date, formats: [YYYY-MM-DD, DD.MM.YYYY]}
  amount: {column: close_value, currency: USD, unit: wan}
custom_fields:
  priority: {column: prio, type: enum, allowed_values: [high, low], label: 优先级}
)";

TEST(MappingTest, ShortFormParses) {
  Result<Mapping> mapping = ParseMapping(kPipeline, "maps/pipeline.yaml");
  ASSERT_TRUE(mapping.ok()) << mapping.error().message_en();
  EXPECT_EQ(mapping->source_file, "data/pipeline.csv");
  EXPECT_EQ(mapping->encoding, EncodingChoice::kGb18030);
  EXPECT_EQ(mapping->delimiter, ';');
  ASSERT_EQ(mapping->targets.size(), 1u);

  const TargetMapping& target = mapping->targets[0];
  EXPECT_EQ(target.entity, model::EntityKind::kOpportunity);
  EXPECT_EQ(target.external_id.kind, ValueSource::Kind::kColumn);
  EXPECT_EQ(target.external_id.text, "opportunity_id");
  EXPECT_EQ(target.fields.size(), 7u);
}

TEST(MappingTest, FieldsTakeTypesFromTheModel) {
  Result<Mapping> mapping = ParseMapping(kPipeline, "m.yaml");
  ASSERT_TRUE(mapping.ok());

  const FieldMapping* stage = FindField(*mapping, "stage");
  ASSERT_NE(stage, nullptr);
  EXPECT_EQ(stage->type, model::FieldType::kEnum);
  EXPECT_EQ(stage->source.text, "deal_stage");
  EXPECT_TRUE(stage->required);

  const FieldMapping* owner = FindField(*mapping, "owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->type, model::FieldType::kReference);
  EXPECT_EQ(owner->target, model::EntityKind::kUser);
  EXPECT_EQ(owner->reference_key, ReferenceKey::kName);
  EXPECT_TRUE(owner->required);

  const FieldMapping* account = FindField(*mapping, "account");
  ASSERT_NE(account, nullptr);
  EXPECT_FALSE(account->required);

  const FieldMapping* amount = FindField(*mapping, "amount");
  ASSERT_NE(amount, nullptr);
  EXPECT_EQ(amount->currency, "USD");
  EXPECT_EQ(amount->fen_exponent, 6);
  EXPECT_TRUE(amount->non_negative);

  const FieldMapping* engage = FindField(*mapping, "engage_date");
  ASSERT_NE(engage, nullptr);
  ASSERT_EQ(engage->date_formats.size(), 2u);
  EXPECT_EQ(engage->date_formats[1].pattern(), "DD.MM.YYYY");

  const FieldMapping* product = FindField(*mapping, "product");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->value_map.at("GTXPro"), "GTX Pro");
}

TEST(MappingTest, CustomFieldDeclaresDefinition) {
  Result<Mapping> mapping = ParseMapping(kPipeline, "m.yaml");
  ASSERT_TRUE(mapping.ok());
  const TargetMapping& target = mapping->targets[0];
  ASSERT_EQ(target.custom_fields.size(), 1u);
  EXPECT_EQ(target.custom_fields[0].name, "priority");
  EXPECT_EQ(target.custom_fields[0].type, model::FieldType::kEnum);
  EXPECT_EQ(target.custom_fields[0].label.zh, "优先级");
  const FieldMapping* priority = FindField(*mapping, "priority");
  ASSERT_NE(priority, nullptr);
  EXPECT_TRUE(priority->custom);
  EXPECT_EQ(priority->allowed_values, (std::vector<std::string>{"high", "low"}));
}

TEST(MappingTest, HalfWidthDefaultsByType) {
  Result<Mapping> mapping = ParseMapping(R"(entity: account
external_id: id
fields:
  name: name
  employees: employees
  industry: {column: industry, normalize: {half_width: true, case: lower}}
)",
                                         "m.yaml");
  ASSERT_TRUE(mapping.ok()) << mapping.error().message_en();
  // Free text keeps full-width punctuation such as （）; parsed values are folded.
  EXPECT_FALSE(FindField(*mapping, "name")->normalize.half_width);
  EXPECT_TRUE(FindField(*mapping, "employees")->normalize.half_width);
  EXPECT_TRUE(FindField(*mapping, "industry")->normalize.half_width);
  EXPECT_EQ(FindField(*mapping, "industry")->normalize.letter_case, LetterCase::kLower);
  EXPECT_TRUE(mapping->targets[0].external_id_normalize.half_width);
}

TEST(MappingTest, ValueMapKeysAreNormalised) {
  Result<Mapping> mapping = ParseMapping(R"(entity: account
external_id: id
fields:
  name: name
  industry: {column: sector, values: {" TECHNOLGY ": technology}, normalize: {case: lower}}
)",
                                         "m.yaml");
  ASSERT_TRUE(mapping.ok()) << mapping.error().message_en();
  EXPECT_EQ(FindField(*mapping, "industry")->value_map.count("technolgy"), 1u);
}

TEST(MappingTest, TargetsListAndTemplates) {
  Result<Mapping> mapping = ParseMapping(R"(targets:
  - description: regions
    entity: org_unit
    distinct: true
    external_id: {template: "region:{office}"}
    fields:
      name: office
      type: {value: region}
  - entity: user
    external_id: {columns: [office, agent]}
    fields:
      name: agent
      role: {value: rep}
      org_unit: {template: "region:{office}", by: external_id}
)",
                                         "m.yaml");
  ASSERT_TRUE(mapping.ok()) << mapping.error().message_en();
  ASSERT_EQ(mapping->targets.size(), 2u);
  EXPECT_TRUE(mapping->targets[0].distinct);
  EXPECT_EQ(mapping->targets[0].description, "regions");
  EXPECT_EQ(mapping->targets[0].external_id.columns, (std::vector<std::string>{"office"}));
  EXPECT_EQ(mapping->targets[1].external_id.text, "{office}:{agent}");
  const FieldMapping& org_unit = mapping->targets[1].fields[2];
  EXPECT_EQ(org_unit.reference_key, ReferenceKey::kExternalId);
  EXPECT_EQ(org_unit.source.kind, ValueSource::Kind::kTemplate);
}

TEST(MappingErrorTest, UnknownEntitySuggestsNearest) {
  std::string message = ErrorOf("entity: oportunity\nexternal_id: id\nfields: {name: n}\n");
  EXPECT_NE(message.find("m.yaml:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown entity 'oportunity'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'opportunity'?"), std::string::npos) << message;
}

TEST(MappingErrorTest, UnknownFieldSuggestsNearestWithLine) {
  std::string message =
      ErrorOf("entity: opportunity\nexternal_id: id\nfields:\n  stage: s\n  ammount: a\n");
  EXPECT_NE(message.find("m.yaml:5:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown field 'ammount' of opportunity"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'amount'?"), std::string::npos) << message;
  EXPECT_NE(message.find("custom_fields"), std::string::npos) << message;
}

TEST(MappingErrorTest, UnknownKeySuggestsNearest) {
  std::string message =
      ErrorOf("entity: opportunity\nexternal_id: id\nfields:\n  stage: {colum: s}\n");
  EXPECT_NE(message.find("m.yaml:4:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown key 'colum'"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'column'?"), std::string::npos) << message;
}

TEST(MappingErrorTest, OptionThatDoesNotFitTheType) {
  std::string message =
      ErrorOf("entity: account\nexternal_id: id\nfields:\n  name: {column: n, formats: [YYYY]}\n");
  EXPECT_NE(message.find("'formats' does not apply to field 'name' of type string"),
            std::string::npos)
      << message;
}

TEST(MappingErrorTest, InvalidValuesAreNamed) {
  EXPECT_NE(ErrorOf("entity: account\nexternal_id: id\nfields:\n  name: n\n"
                    "  revenue: {column: r, currency: usd}\n")
                .find("invalid currency 'usd'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("entity: account\nexternal_id: id\nfields:\n  name: n\n"
                    "  revenue: {column: r, unit: lakh}\n")
                .find("invalid amount unit 'lakh'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("entity: lead\nexternal_id: id\nfields:\n  name: n\n"
                    "  created_on: {column: c, formats: [dd/mm/yyyy]}\n")
                .find("invalid date format 'dd/mm/yyyy'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("entity: account\nexternal_id: id\ncsv: {delimiter: ';;'}\nfields: {name: n}\n")
                .find("invalid delimiter"),
            std::string::npos);
}

TEST(MappingErrorTest, RequiredFieldsMustBeMapped) {
  std::string message = ErrorOf("entity: opportunity\nexternal_id: id\nfields:\n  name: n\n");
  EXPECT_NE(message.find("required field 'stage' of opportunity is not mapped"), std::string::npos)
      << message;

  std::string optional = ErrorOf(
      "entity: opportunity\nexternal_id: id\nfields:\n  stage: {column: s, required: false}\n");
  EXPECT_NE(optional.find("always required"), std::string::npos) << optional;
}

TEST(MappingErrorTest, SourceMustBeExactlyOne) {
  std::string message =
      ErrorOf("entity: account\nexternal_id: id\nfields:\n  name: {column: a, value: b}\n");
  EXPECT_NE(message.find("exactly one of column, template and value"), std::string::npos)
      << message;
  std::string no_placeholder =
      ErrorOf("entity: account\nexternal_id: {template: fixed}\nfields:\n  name: n\n");
  EXPECT_NE(no_placeholder.find("has no {column} placeholder"), std::string::npos)
      << no_placeholder;
  std::string unmatched =
      ErrorOf("entity: account\nexternal_id: {template: \"a{b\"}\nfields:\n  name: n\n");
  EXPECT_NE(unmatched.find("unmatched or empty brace"), std::string::npos) << unmatched;
}

TEST(MappingErrorTest, YamlSyntaxErrorHasLine) {
  std::string message = ErrorOf("entity: account\nfields:\n  name: [unclosed\n");
  EXPECT_NE(message.find("m.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("YAML syntax error"), std::string::npos) << message;
}

TEST(MappingErrorTest, TargetsExcludeTopLevelEntity) {
  std::string message = ErrorOf(
      "entity: account\ntargets:\n  - entity: account\n    external_id: id\n    fields: {name: n}\n");
  EXPECT_NE(message.find("belongs inside each target"), std::string::npos) << message;
}

TEST(MappingErrorTest, CustomFieldNameCollidesWithBuiltIn) {
  std::string message = ErrorOf(
      "entity: account\nexternal_id: id\nfields: {name: n, industry: i}\n"
      "custom_fields:\n  industry: {column: i, type: string}\n");
  EXPECT_NE(message.find("mapped twice"), std::string::npos) << message;

  std::string builtin = ErrorOf(
      "entity: account\nexternal_id: id\nfields: {name: n}\n"
      "custom_fields:\n  region: {column: i, type: string}\n");
  EXPECT_NE(builtin.find("built-in field"), std::string::npos) << builtin;
}

TEST(MappingErrorTest, MissingFileIsNotFound) {
  Result<Mapping> mapping = LoadMapping("/nonexistent/mapping.yaml");
  ASSERT_FALSE(mapping.ok());
  EXPECT_EQ(mapping.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(mapping.error().message_en().find("/nonexistent/mapping.yaml"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::ingest
