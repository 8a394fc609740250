#include "notify/secret_box.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace salesradar::notify {
namespace {

std::string TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sr-secretbox-XXXXXX").string();
  return mkdtemp(pattern.data());
}

TEST(SecretBox, SealAndOpenRoundTrip) {
  SecretBox box = SecretBox::FromKey(std::string(32, 'k'));
  std::string sealed = box.Seal(R"({"key":"robot-key"})");
  EXPECT_EQ(sealed.find("robot-key"), std::string::npos);
  Result<std::string> opened = box.Open(sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, R"({"key":"robot-key"})");
}

TEST(SecretBox, OtherKeyCannotOpen) {
  std::string sealed = SecretBox::FromKey(std::string(32, 'a')).Seal("secret");
  Result<std::string> opened = SecretBox::FromKey(std::string(32, 'b')).Open(sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kDataLoss);
}

TEST(SecretBox, KeyFileCreatedWithMode0600AndReused) {
  std::string dir = TempDir();
  std::string path = dir + "/secret.key";
  Result<SecretBox> first = SecretBox::LoadOrCreate(path);
  ASSERT_TRUE(first.ok());

  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);

  Result<SecretBox> second = SecretBox::LoadOrCreate(path);
  ASSERT_TRUE(second.ok());
  Result<std::string> opened = second->Open(first->Seal("same key"));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "same key");
  std::filesystem::remove_all(dir);
}

TEST(SecretBox, KeyFileOfWrongSizeIsDataLoss) {
  std::string dir = TempDir();
  std::string path = dir + "/secret.key";
  FILE* file = fopen(path.c_str(), "w");
  fputs("short", file);
  fclose(file);
  Result<SecretBox> box = SecretBox::LoadOrCreate(path);
  ASSERT_FALSE(box.ok());
  EXPECT_EQ(box.error().code(), ErrorCode::kDataLoss);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace salesradar::notify
