#include "model/entity.h"

#include <set>

#include <gtest/gtest.h>

#include "model/entities.h"

namespace salesradar::model {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Record ValidOpportunity() {
  Record record{EntityKind::kOpportunity, "1C1I7A6R", {}, {}};
  record.fields["stage"] = std::string("won");
  record.fields["amount"] = Money{105400, "USD"};
  record.fields["owner"] = Reference{0, "Moses Frase"};
  record.fields["close_date"] = CivilDate{year(2017), month(3), day(1)};
  return record;
}

void ExpectInvalid(const Record& record, bool is_insert, std::string_view needle) {
  Status status = ValidateBuiltInFields(record, is_insert);
  ASSERT_FALSE(status.ok()) << needle;
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message_en().find(std::string(needle)), std::string::npos)
      << status.error().message_en();
  EXPECT_FALSE(status.error().message_zh().empty());
}

TEST(EntityKind, NamesRoundTrip) {
  std::set<std::string_view> names;
  for (EntityKind kind : AllEntityKinds()) {
    Result<EntityKind> parsed = ParseEntityKind(EntityKindName(kind));
    ASSERT_TRUE(parsed.ok()) << EntityKindName(kind);
    EXPECT_EQ(*parsed, kind);
    names.insert(EntityKindName(kind));
  }
  EXPECT_EQ(names.size(), 8u);
  EXPECT_FALSE(ParseEntityKind("deal").ok());
}

TEST(BuiltInFields, NamesUniqueAndReferencesHaveTargets) {
  for (EntityKind kind : AllEntityKinds()) {
    std::set<std::string_view> names;
    for (const FieldSpec& spec : BuiltInFields(kind)) {
      EXPECT_TRUE(names.insert(spec.name).second) << EntityKindName(kind) << "." << spec.name;
      EXPECT_EQ(spec.type == FieldType::kReference, spec.target.has_value()) << spec.name;
      EXPECT_EQ(spec.type == FieldType::kEnum, !spec.allowed_values.empty()) << spec.name;
    }
    EXPECT_EQ(HasNameField(kind), kind != EntityKind::kActivity);
  }
}

TEST(CanonicalEnumValue, IgnoresCaseAndSpaces) {
  const FieldSpec* stage = FindBuiltInField(EntityKind::kOpportunity, "stage");
  ASSERT_NE(stage, nullptr);
  EXPECT_EQ(*CanonicalEnumValue(*stage, "Won"), "won");
  EXPECT_EQ(*CanonicalEnumValue(*stage, " PROSPECTING "), "prospecting");

  Result<std::string> unknown = CanonicalEnumValue(*stage, "Closed");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message_en().find("'Closed'"), std::string::npos);
  EXPECT_NE(unknown.error().message_en().find("prospecting, engaging, won, lost"),
            std::string::npos);
}

TEST(ValidateBuiltInFields, AcceptsValidOpportunity) {
  Status status = ValidateBuiltInFields(ValidOpportunity(), /*is_insert=*/true);
  EXPECT_TRUE(status.ok()) << status.error().message_en();
}

TEST(ValidateBuiltInFields, RejectsEmptyExternalId) {
  Record record = ValidOpportunity();
  record.external_id.clear();
  ExpectInvalid(record, true, "empty external id");
}

TEST(ValidateBuiltInFields, RejectsUnknownField) {
  Record record = ValidOpportunity();
  record.fields["probability"] = int64_t{50};
  ExpectInvalid(record, true, "'probability'");
}

TEST(ValidateBuiltInFields, RejectsWrongType) {
  Record record = ValidOpportunity();
  record.fields["amount"] = std::string("1054");
  ExpectInvalid(record, true, "not of type money");
}

TEST(ValidateBuiltInFields, RejectsNonCanonicalEnum) {
  Record record = ValidOpportunity();
  record.fields["stage"] = std::string("Won");
  ExpectInvalid(record, true, "value 'Won' is not allowed");
}

TEST(ValidateBuiltInFields, RejectsNegativeAmount) {
  Record record = ValidOpportunity();
  record.fields["amount"] = Money{-500, "CNY"};
  ExpectInvalid(record, true, "negative");
}

TEST(ValidateBuiltInFields, RejectsBadCurrency) {
  Record record = ValidOpportunity();
  record.fields["amount"] = Money{500, "rmb"};
  ExpectInvalid(record, true, "'rmb'");
}

TEST(ValidateBuiltInFields, RejectsEmptyReference) {
  Record record = ValidOpportunity();
  record.fields["account"] = Reference{};
  ExpectInvalid(record, true, "neither an id nor an external id");
}

TEST(ValidateBuiltInFields, RequiredFieldMissingOnInsertOnly) {
  Record record = ValidOpportunity();
  record.fields.erase("stage");
  ExpectInvalid(record, /*is_insert=*/true, "'stage'");
  EXPECT_TRUE(ValidateBuiltInFields(record, /*is_insert=*/false).ok());
}

TEST(ValidateBuiltInFields, RequiredFieldNeverNull) {
  Record record = ValidOpportunity();
  record.fields["stage"] = Null{};
  ExpectInvalid(record, /*is_insert=*/false, "required");
}

TEST(ValidateBuiltInFields, ChecksActivitySubjectAndPayload) {
  Record activity{EntityKind::kActivity, "evt-1", {}, {}};
  activity.fields["type"] = std::string("visit");
  activity.fields["occurred_at"] = FromUnixMicros(1'500'000'000'000'000);
  activity.fields["subject_type"] = std::string("opportunity");
  activity.fields["subject_id"] = int64_t{7};
  activity.fields["payload"] = std::string(R"({"photos": 2})");
  Status valid = ValidateBuiltInFields(activity, true);
  EXPECT_TRUE(valid.ok()) << valid.error().message_en();

  Record bad_subject = activity;
  bad_subject.fields["subject_type"] = std::string("deal");
  ExpectInvalid(bad_subject, true, "'deal' is not an entity kind");

  Record bad_payload = activity;
  bad_payload.fields["payload"] = std::string("{photos: 2");
  ExpectInvalid(bad_payload, true, "not valid JSON");
}

TEST(OutcomeOfStage, WonLostOrOpen) {
  EXPECT_EQ(OutcomeOfStage("won"), StageOutcome::kWon);
  EXPECT_EQ(OutcomeOfStage("lost"), StageOutcome::kLost);
  EXPECT_EQ(OutcomeOfStage("engaging"), StageOutcome::kOpen);
  EXPECT_EQ(StageLabel("won").zh, "赢单");
  EXPECT_EQ(StageLabel("custom").en, "custom");
}

}  // namespace
}  // namespace salesradar::model
