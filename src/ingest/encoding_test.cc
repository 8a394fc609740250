#include "ingest/encoding.h"

#include <string>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

// "张三" in GBK: the short text that uchardet 0.0.7 reports as KOI8-R.
const std::string kZhangSanGbk = "\xD5\xC5\xC8\xFD";
// "华为技术有限公司" in GBK.
const std::string kHuaweiGbk = "\xBB\xAA\xCE\xAA\xBC\xBC\xCA\xF5\xD3\xD0\xCF\xDE\xB9\xAB\xCB\xBE";

TEST(FindInvalidUtf8Test, AcceptsAsciiAndMultibyte) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii, long enough for the fast path"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("张三,华为,😀"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8(""), std::string_view::npos);
}

TEST(FindInvalidUtf8Test, RejectsMalformedSequences) {
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);         // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);       // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("x\xF4\x90\x80\x80"), 1u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("abc\x80"), 3u);            // stray continuation byte
  EXPECT_EQ(FindInvalidUtf8("a" + kZhangSanGbk), 1u);
}

TEST(FindInvalidUtf8Test, TruncatedTailOnlyWhenAllowed) {
  std::string cut = "ab\xE5\xBC";  // the first two bytes of "张"
  EXPECT_EQ(FindInvalidUtf8(cut), 2u);
  size_t tail = 0;
  EXPECT_EQ(FindInvalidUtf8(cut, /*allow_truncated_tail=*/true, &tail), std::string_view::npos);
  EXPECT_EQ(tail, 2u);
}

TEST(DetectEncodingTest, Utf8WithAndWithoutBom) {
  Result<DetectedEncoding> plain = DetectEncoding("id,name\n1,张三\n", true, "a.csv");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->encoding, Encoding::kUtf8);
  EXPECT_EQ(plain->bom_length, 0u);

  Result<DetectedEncoding> bom = DetectEncoding("\xEF\xBB\xBFid,name\n", true, "a.csv");
  ASSERT_TRUE(bom.ok());
  EXPECT_EQ(bom->encoding, Encoding::kUtf8);
  EXPECT_EQ(bom->bom_length, 3u);
}

TEST(DetectEncodingTest, LongGbkTextByUchardet) {
  std::string sample = "id,name\n1," + kHuaweiGbk + "\n2," + kHuaweiGbk + "\n";
  Result<DetectedEncoding> detected = DetectEncoding(sample, true, "a.csv");
  ASSERT_TRUE(detected.ok());
  EXPECT_EQ(detected->encoding, Encoding::kGb18030);
}

TEST(DetectEncodingTest, ShortGbkTextByGb2312Range) {
  Result<DetectedEncoding> detected =
      DetectEncoding("id,name\n1," + kZhangSanGbk + "\n", true, "a.csv");
  ASSERT_TRUE(detected.ok());
  EXPECT_EQ(detected->encoding, Encoding::kGb18030);
}

TEST(DetectEncodingTest, Latin1IsRejectedWithFix) {
  Result<DetectedEncoding> detected =
      DetectEncoding("id,name\n1,Caf\xE9 M\xFCller\n", true, "people.csv");
  ASSERT_FALSE(detected.ok());
  const std::string& message = detected.error().message_en();
  EXPECT_NE(message.find("people.csv"), std::string::npos) << message;
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("uchardet reported"), std::string::npos) << message;
  EXPECT_NE(message.find("--encoding gbk"), std::string::npos) << message;
  EXPECT_NE(detected.error().message_zh().find("另存为 UTF-8"), std::string::npos);
}

TEST(DetectEncodingTest, Utf16IsRejected) {
  Result<DetectedEncoding> detected =
      DetectEncoding(std::string("\xFF\xFEi\0d\0", 6), true, "u.csv");
  ASSERT_FALSE(detected.ok());
  EXPECT_NE(detected.error().message_en().find("UTF-16"), std::string::npos);
}

TEST(ParseEncodingChoiceTest, NamesAndAliases) {
  EXPECT_EQ(*ParseEncodingChoice("auto"), EncodingChoice::kAuto);
  EXPECT_EQ(*ParseEncodingChoice("UTF-8"), EncodingChoice::kUtf8);
  EXPECT_EQ(*ParseEncodingChoice("utf8"), EncodingChoice::kUtf8);
  EXPECT_EQ(*ParseEncodingChoice("GBK"), EncodingChoice::kGb18030);
  EXPECT_EQ(*ParseEncodingChoice("gb18030"), EncodingChoice::kGb18030);
  Result<EncodingChoice> bad = ParseEncodingChoice("latin1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message_en().find("'latin1'"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::ingest
