#include <fmt/format.h>

#include "store/postgres/pg_store.h"
#include "store/postgres/pg_url.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace salesradar::store {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<std::unique_ptr<Store>> Open(std::string_view url_or_path, const OpenOptions& options) {
  if (url_or_path.empty()) {
    return InvalidArgument("数据库地址为空；请给出 SQLite 文件路径（如 salesradar.db）或 "
                           "postgresql:// 地址",
                           "the database URL is empty; give an SQLite file path such as "
                           "salesradar.db, or a postgresql:// URL");
  }

  if (postgres::IsPostgresUrl(url_or_path)) {
    return postgres::PgStore::Open(std::string(url_or_path), options);
  }

  std::string_view path = url_or_path;
  if (StartsWith(path, "sqlite://")) {
    path.remove_prefix(std::string_view("sqlite://").size());
  } else if (StartsWith(path, "sqlite:")) {
    path.remove_prefix(std::string_view("sqlite:").size());
  } else if (path.find("://") != std::string_view::npos) {
    return InvalidArgument(
        fmt::format("不支持的数据库地址 '{}'；请使用文件路径、sqlite:路径或 postgresql:// 地址",
                    url_or_path),
        fmt::format("unsupported database URL '{}'; use a file path, sqlite:PATH or a "
                    "postgresql:// URL",
                    url_or_path));
  }
  if (path.empty()) {
    return InvalidArgument(
        fmt::format("数据库地址 '{}' 缺少文件路径", url_or_path),
        fmt::format("the database URL '{}' has no file path", url_or_path));
  }

  return sqlite::SqliteStore::Open(std::string(path), options);
}

int LatestSchemaVersion() {
  auto migrations = sqlite::EmbeddedMigrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

}  // namespace salesradar::store
