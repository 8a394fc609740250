// PostgreSQL checks that need no server: URLs, passwords in messages, migration numbering.
#include <gtest/gtest.h>

#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_url.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"

namespace salesradar::store::postgres {
namespace {

TEST(PgUrl, RecognisesBothSchemes) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://127.0.0.1/salesradar"));
  EXPECT_TRUE(IsPostgresUrl("postgres://127.0.0.1/salesradar"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:salesradar.db"));
  EXPECT_FALSE(IsPostgresUrl("postgresql:salesradar"));
}

TEST(PgUrl, DisplayUrlDropsPassword) {
  Result<std::string> shown =
      DisplayUrl("postgresql://alice:s3cret@127.0.0.1:6543/sales?password=other&sslmode=disable");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(*shown, "postgresql://alice@127.0.0.1:6543/sales");

  Result<std::string> minimal = DisplayUrl("postgres://127.0.0.1/sales");
  ASSERT_TRUE(minimal.ok());
  EXPECT_EQ(*minimal, "postgresql://127.0.0.1/sales");
}

TEST(PgUrl, InvalidUrlHidesItsText) {
  Result<std::string> shown = DisplayUrl("postgresql://alice:s3cret@127.0.0.1/sales?nonsense=1");
  ASSERT_FALSE(shown.ok());
  EXPECT_EQ(shown.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(shown.error().message_en().find("s3cret"), std::string::npos);
}

// Port 1 on the loopback address refuses connections, so this fails fast without a server.
TEST(PgOpen, UnreachableServerIsUnavailableWithoutPassword) {
  Result<std::unique_ptr<Store>> opened =
      Open("postgresql://alice:s3cret@127.0.0.1:1/sales?connect_timeout=2");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kUnavailable) << opened.error().message_en();
  EXPECT_NE(opened.error().message_en().find("postgresql://alice@127.0.0.1:1/sales"),
            std::string::npos)
      << opened.error().message_en();
  EXPECT_EQ(opened.error().message_en().find("s3cret"), std::string::npos);
  EXPECT_EQ(opened.error().message_zh().find("s3cret"), std::string::npos);
}

// Both backends must reach the same schema version, migration by migration.
TEST(PgMigrations, SameVersionsAsSqlite) {
  std::span<const Migration> postgres = EmbeddedMigrations();
  std::span<const sqlite::Migration> sqlite = sqlite::EmbeddedMigrations();
  ASSERT_EQ(postgres.size(), sqlite.size()) << "add the missing migrations/postgres/ files";
  for (size_t i = 0; i < postgres.size(); ++i) {
    EXPECT_EQ(postgres[i].version, sqlite[i].version);
    EXPECT_EQ(postgres[i].name, sqlite[i].name);
  }
}

}  // namespace
}  // namespace salesradar::store::postgres
