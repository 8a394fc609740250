#include "store/postgres/pg_url.h"

#include <map>

#include <fmt/format.h>
#include <libpq-fe.h>

namespace salesradar::store::postgres {

bool IsPostgresUrl(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

Result<std::string> DisplayUrl(std::string_view url) {
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(url).c_str(), &message);
  PQfreemem(message);  // libpq's text may quote the URL, password included
  if (options == nullptr) {
    return InvalidArgument(
        "PostgreSQL 地址无效；格式应为 postgresql://用户@主机:端口/数据库",
        "the PostgreSQL URL is invalid; the form is postgresql://USER@HOST:PORT/DBNAME");
  }

  std::map<std::string, std::string, std::less<>> values;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr && option->val[0] != '\0') {
      values.emplace(option->keyword, option->val);
    }
  }
  PQconninfoFree(options);

  auto value = [&](std::string_view key) {
    auto found = values.find(key);
    return found != values.end() ? found->second : std::string();
  };
  std::string user = value("user");
  std::string port = value("port");
  return fmt::format("postgresql://{}{}{}{}/{}", user, user.empty() ? "" : "@", value("host"),
                     port.empty() ? "" : ":" + port, value("dbname"));
}

}  // namespace salesradar::store::postgres
