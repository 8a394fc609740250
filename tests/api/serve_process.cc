#include "serve_process.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <span>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "auth/password.h"
#include "auth/secret_token.h"
#include "server/test_client.h"
#include "store/store.h"

namespace salesradar::api::testing {

uint16_t FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

ServeProcess::ServeProcess(std::string binary, std::string data_dir, uint16_t port, std::string log_level)
    : binary_(std::move(binary)), data_dir_(std::move(data_dir)), port_(port), log_level_(std::move(log_level)) {}

ServeProcess::~ServeProcess() { Kill(SIGKILL); }

void ServeProcess::Start() {
  pid_ = ::fork();
  if (pid_ != 0) {
    return;
  }

  std::string listen = fmt::format("127.0.0.1:{}", port_);
  std::string log = data_dir_ + "/server.log";
  FILE* out = std::freopen(log.c_str(), "a", stderr);
  (void)out;
  ::execl(binary_.c_str(), binary_.c_str(), "serve", "--listen", listen.c_str(), "--data-dir", data_dir_.c_str(),
          "--log-level", log_level_.c_str(), static_cast<char*>(nullptr));
  ::_exit(127);
}

bool ServeProcess::WaitReady(std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }

    server::testing::TestClient client(port_, std::chrono::seconds(1));
    if (client.Request("GET", "/readyz").ok()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void ServeProcess::Kill(int signal) {
  if (pid_ <= 0) {
    return;
  }
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string SeedAdminWithToken(const std::string& database, const SeedUser& user) {
  auto store = store::Open(database);
  EXPECT_TRUE(store.ok()) << store.error().ToLogString();
  model::Record record{model::EntityKind::kUser, user.external_id, {}, {}};
  record.fields["name"] = user.name;
  record.fields["role"] = std::string("admin");
  auto upserted = (*store)->Upsert(std::span<const model::Record>(&record, 1));
  EXPECT_TRUE(upserted.ok());

  // A token works only for a user with an enabled sign-in.
  auto hash = auth::HashPassword(user.password);
  EXPECT_TRUE(hash.ok());
  store::Credentials credentials;
  credentials.user_id = upserted->front().id;
  credentials.login = user.login;
  credentials.password_hash = *hash;
  EXPECT_TRUE((*store)->CreateCredentials(credentials, store::AuditContext::System()).ok());

  std::string secret = auth::GenerateApiToken();
  store::NewApiToken token;
  token.token_hash = auth::HashSecret(secret);
  token.name = user.login;
  token.user_id = upserted->front().id;
  EXPECT_TRUE((*store)->CreateApiToken(token, store::AuditContext::System()).ok());
  return secret;
}

}  // namespace salesradar::api::testing
