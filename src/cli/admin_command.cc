// `salesradar admin create`: creates an administrator who can sign in, with an Argon2id
// password hash. The first admin of a new installation comes from here.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "auth/password.h"
#include "cli/commands.h"
#include "common/logging.h"
#include "common/result.h"
#include "store/store.h"

namespace salesradar::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

struct AdminFlags {
  std::string login;
  std::string name;
  bool password_stdin = false;
};

int PrintError(const Error& error, Locale locale, int exit_code) {
  std::cerr << (locale == Locale::kEnglish ? "error: " : "错误：") << error.message(locale)
            << "\n";
  return exit_code;
}

// A login is 1 to 64 characters from A-Z, a-z, 0-9 and ". _ @ -", so that it is easy to type
// and never needs quoting in a URL or a log line.
Status CheckLogin(const std::string& login) {
  bool valid = !login.empty() && login.size() <= 64;
  for (char c : login) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '@' || c == '-';
    valid = valid && allowed;
  }
  if (!valid) {
    return InvalidArgument(
        fmt::format("登录名 '{}' 无效；请使用 1 到 64 个字母、数字或 . _ @ -", login),
        fmt::format("invalid login '{}'; use 1 to 64 letters, digits or . _ @ -", login));
  }
  return OkStatus();
}

// Reads the password from the first line of standard input, without its line ending.
Result<std::string> ReadPasswordFromStdin() {
  std::string password;
  if (!std::getline(std::cin, password)) {
    return InvalidArgument("--password-stdin：标准输入为空；请在第一行输入密码",
                           "--password-stdin: standard input is empty; write the password on "
                           "its first line");
  }
  if (!password.empty() && password.back() == '\r') {
    password.pop_back();
  }
  return password;
}

// Creates the user record and its credentials in one transaction; returns the user id.
Result<int64_t> CreateAdmin(store::Store& store, const AdminFlags& flags,
                            const std::string& password_hash) {
  model::Record user{model::EntityKind::kUser, "local:" + flags.login, {}, {}};
  user.fields["name"] = flags.name;
  user.fields["role"] = std::string("admin");

  store::Transaction transaction(store);
  SR_RETURN_IF_ERROR(transaction.Begin());
  SR_ASSIGN_OR_RETURN(std::vector<store::UpsertResult> results,
                      store.Upsert(std::span<const model::Record>(&user, 1),
                                   store::AuditContext::System()));
  if (results.front().outcome == store::UpsertOutcome::kRejected) {
    return *results.front().error;
  }
  int64_t user_id = results.front().id;

  store::Credentials credentials;
  credentials.user_id = user_id;
  credentials.login = flags.login;
  credentials.password_hash = password_hash;
  SR_RETURN_IF_ERROR(store.CreateCredentials(credentials, store::AuditContext::System()));
  SR_RETURN_IF_ERROR(transaction.Commit());
  return user_id;
}

int RunAdminCreate(const GlobalOptions& global, const AdminFlags& flags) {
  Locale locale = global.locale;
  if (Status login = CheckLogin(flags.login); !login.ok()) {
    return PrintError(login.error(), locale, kExitBadInput);
  }

  bool generated = !flags.password_stdin;
  std::string password;
  if (generated) {
    password = auth::GeneratePassword();
  } else {
    Result<std::string> read = ReadPasswordFromStdin();
    if (!read.ok()) {
      return PrintError(read.error(), locale, kExitBadInput);
    }
    password = std::move(read).value();
  }
  if (Status policy = auth::CheckPasswordPolicy(password, flags.login); !policy.ok()) {
    return PrintError(policy.error(), locale, kExitBadInput);
  }
  Result<std::string> hash = auth::HashPassword(password);
  if (!hash.ok()) {
    return PrintError(hash.error(), locale, kExitFailure);
  }

  Result<std::unique_ptr<store::Store>> db = store::Open(global.database);
  if (!db.ok()) {
    return PrintError(db.error(), locale, kExitFailure);
  }
  Result<int64_t> user_id = CreateAdmin(**db, flags, *hash);
  if (!user_id.ok()) {
    ErrorCode code = user_id.error().code();
    bool bad_input = code == ErrorCode::kAlreadyExists || code == ErrorCode::kInvalidArgument;
    return PrintError(user_id.error(), locale, bad_input ? kExitBadInput : kExitFailure);
  }

  Logger("auth")->info("user {}: administrator '{}' created", *user_id, flags.login);
  if (locale == Locale::kEnglish) {
    std::cout << fmt::format("created administrator '{}' (user id {})\n", flags.login, *user_id);
    if (generated) {
      std::cout << fmt::format("initial password, shown only this once: {}\n", password);
    }
  } else {
    std::cout << fmt::format("已创建管理员 '{}'（用户 id {}）\n", flags.login, *user_id);
    if (generated) {
      std::cout << fmt::format("初始密码（只显示这一次）：{}\n", password);
    }
  }
  return 0;
}

}  // namespace

void AddAdminCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* admin = app.add_subcommand("admin", "Manage administrators (管理员)");
  admin->require_subcommand(1);

  auto flags = std::make_shared<AdminFlags>();
  CLI::App* create = admin->add_subcommand(
      "create", "Create an administrator who can sign in; prints a generated password once "
                "unless --password-stdin is given");
  create->add_option("--login", flags->login, "Sign-in name: letters, digits or . _ @ -")
      ->required();
  create->add_option("--name", flags->name, "Display name, for example 王芳")->required();
  create->add_flag("--password-stdin", flags->password_stdin,
                   "Read the password from the first line of standard input");
  create->callback([&global, flags, exit_code] { *exit_code = RunAdminCreate(global, *flags); });
}

}  // namespace salesradar::cli
