#include "ingest/text_source.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

class FileTextSourceTest : public ::testing::Test {
 protected:
  std::string WriteFile(const std::string& name, const std::string& bytes) {
    std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  // Reads the whole source, or returns the error.
  static Result<std::string> ReadAll(FileTextSource& source) {
    std::string text;
    while (true) {
      SR_ASSIGN_OR_RETURN(size_t read, source.Read(text));
      if (read == 0) {
        return text;
      }
    }
  }
};

TEST_F(FileTextSourceTest, Utf8BomIsSkipped) {
  std::string path = WriteFile("bom.csv", "\xEF\xBB\xBFid,名称\r\n1,华为\r\n");
  auto source = FileTextSource::Open(path, EncodingChoice::kAuto);
  ASSERT_TRUE(source.ok()) << source.error().message_en();
  EXPECT_EQ((*source)->detected().bom_length, 3u);
  Result<std::string> text = ReadAll(**source);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "id,名称\r\n1,华为\r\n");
}

TEST_F(FileTextSourceTest, GbkIsConvertedAcrossSmallChunks) {
  // "id,名称\n1,华为技术\n" in GBK, read in chunks of 16 bytes so characters are split.
  std::string gbk = "id,\xC3\xFB\xB3\xC6\n1,\xBB\xAA\xCE\xAA\xBC\xBC\xCA\xF5\n";
  std::string repeated;
  for (int i = 0; i < 50; ++i) {
    repeated += gbk;
  }
  std::string path = WriteFile("gbk.csv", repeated);
  auto source = FileTextSource::Open(path, EncodingChoice::kAuto, 16);
  ASSERT_TRUE(source.ok()) << source.error().message_en();
  EXPECT_EQ((*source)->detected().encoding, Encoding::kGb18030);

  Result<std::string> text = ReadAll(**source);
  ASSERT_TRUE(text.ok()) << text.error().message_en();
  std::string expected;
  for (int i = 0; i < 50; ++i) {
    expected += "id,名称\n1,华为技术\n";
  }
  EXPECT_EQ(*text, expected);
  EXPECT_EQ((*source)->bytes_read(), repeated.size());
}

TEST_F(FileTextSourceTest, Utf8SplitAcrossChunksIsKeptWhole) {
  std::string utf8;
  for (int i = 0; i < 200; ++i) {
    utf8 += "行" + std::to_string(i) + ",张三\n";
  }
  std::string path = WriteFile("split.csv", utf8);
  auto source = FileTextSource::Open(path, EncodingChoice::kUtf8, 17);
  ASSERT_TRUE(source.ok());
  Result<std::string> text = ReadAll(**source);
  ASSERT_TRUE(text.ok()) << text.error().message_en();
  EXPECT_EQ(*text, utf8);
}

TEST_F(FileTextSourceTest, InvalidUtf8LaterInFileNamesLine) {
  // The first 64 KiB are ASCII, so detection picks UTF-8, but line 3001 contains GBK bytes.
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += "row,with some ascii text\n";
  }
  text += "1,\xD5\xC5\xC8\xFD\n";
  std::string path = WriteFile("late.csv", text);
  auto source = FileTextSource::Open(path, EncodingChoice::kAuto);
  ASSERT_TRUE(source.ok());
  Result<std::string> read = ReadAll(**source);
  ASSERT_FALSE(read.ok());
  const std::string& message = read.error().message_en();
  EXPECT_NE(message.find("line 3001"), std::string::npos) << message;
  EXPECT_NE(message.find("--encoding gbk"), std::string::npos) << message;
}

TEST_F(FileTextSourceTest, InvalidGbkBytesNameLine) {
  std::string path = WriteFile("badgbk.csv", "a\nb\n\xD5\xC5\x81\x20\n");
  auto source = FileTextSource::Open(path, EncodingChoice::kGb18030);
  ASSERT_TRUE(source.ok());
  Result<std::string> read = ReadAll(**source);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message_en().find("line 3"), std::string::npos)
      << read.error().message_en();
}

TEST_F(FileTextSourceTest, MissingFileIsNotFound) {
  auto source = FileTextSource::Open("/nonexistent/dir/x.csv", EncodingChoice::kAuto);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(source.error().message_en().find("/nonexistent/dir/x.csv"), std::string::npos);
}

TEST_F(FileTextSourceTest, EmptyFileReadsNothing) {
  std::string path = WriteFile("empty.csv", "");
  auto source = FileTextSource::Open(path, EncodingChoice::kAuto);
  ASSERT_TRUE(source.ok());
  Result<std::string> text = ReadAll(**source);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "");
}

}  // namespace
}  // namespace salesradar::ingest
