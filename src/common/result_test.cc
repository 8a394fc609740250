#include "common/result.h"

#include <string>

#include <gtest/gtest.h>

namespace salesradar {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) {
    return InvalidArgument("必须为正数", "must be positive");
  }
  return value;
}

Result<int> Doubled(int value) {
  SR_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

Status CheckPositive(int value) {
  SR_RETURN_IF_ERROR(ParsePositive(value));
  return OkStatus();
}

TEST(ResultTest, HoldsValue) {
  Result<int> result = Doubled(21);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result, 42);
}

TEST(ResultTest, PropagatesErrorInBothLocales) {
  Result<int> result = Doubled(-1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().message(Locale::kChinese), "必须为正数");
  EXPECT_EQ(result.error().message(Locale::kEnglish), "must be positive");
}

TEST(ResultTest, StatusPropagates) {
  EXPECT_TRUE(CheckPositive(3).ok());
  Status failed = CheckPositive(0);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(ErrorCodeName(failed.error().code()), "invalid_argument");
}

TEST(ErrorTest, WrapKeepsCodeAndPrefixesMessages) {
  Error error = NotFound("找不到文件", "file not found");
  error.Wrap("导入 a.csv", "import a.csv").AddDetail("file", "a.csv");
  EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  EXPECT_EQ(error.message_zh(), "导入 a.csv：找不到文件");
  EXPECT_EQ(error.message_en(), "import a.csv: file not found");
  EXPECT_EQ(error.ToLogString(), "not_found: import a.csv: file not found [file=a.csv]");
}

}  // namespace
}  // namespace salesradar
