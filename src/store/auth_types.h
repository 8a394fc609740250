// Stored sign-in state: credentials, sessions and API tokens. No secret is stored in the clear:
// passwords as Argon2id hashes, session ids and tokens as SHA-256 digests (auth/secret_token.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace salesradar::store {

// The sign-in of one user. The login is unique ignoring ASCII case.
struct Credentials {
  int64_t user_id = 0;
  std::string login;
  std::string password_hash;  // auth::HashPassword's output
  bool disabled = false;
  Timestamp created_at;
  Timestamp updated_at;
};

struct Session {
  std::string id_hash;  // auth::HashSecret of the session id
  int64_t user_id = 0;
  Timestamp created_at;
  Timestamp expires_at;
  Timestamp last_seen_at;
  std::string csrf_secret;  // auth::GenerateCsrfSecret's output
};

struct NewApiToken {
  std::string token_hash;  // auth::HashSecret of the token
  std::string name;        // what the token is for, such as "erp-sync"
  int64_t user_id = 0;     // the user whose rights the token carries
  std::vector<std::string> scopes;
};

struct ApiToken {
  int64_t id = 0;
  std::string token_hash;
  std::string name;
  int64_t user_id = 0;
  std::vector<std::string> scopes;
  Timestamp created_at;
  std::optional<Timestamp> last_used_at;
  std::optional<Timestamp> revoked_at;
};

}  // namespace salesradar::store
