#include "auth/password.h"

#include <sodium.h>

#include <fmt/format.h>

#include "auth/sodium_init.h"
#include "common/logging.h"

namespace salesradar::auth {

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  if (password.size() > kMaxPasswordBytes) {
    return InvalidArgument(
        fmt::format("密码长度超过 {} 字节；请使用更短的密码", kMaxPasswordBytes),
        fmt::format("the password is longer than {} bytes; choose a shorter one",
                    kMaxPasswordBytes));
  }

  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), kPasswordOpsLimit,
                        kPasswordMemLimitBytes) != 0) {
    Logger("auth")->error("password hashing failed: cannot allocate {} MiB",
                          kPasswordMemLimitBytes >> 20);
    return Error(ErrorCode::kResourceExhausted,
                 fmt::format("无法为密码哈希分配 {} MiB 内存；请稍后重试",
                             kPasswordMemLimitBytes >> 20),
                 fmt::format("cannot allocate {} MiB of memory to hash the password; retry later",
                             kPasswordMemLimitBytes >> 20));
  }
  return std::string(hash);
}

bool VerifyPassword(std::string_view password, const std::string& stored_hash) {
  EnsureSodium();
  if (password.size() > kMaxPasswordBytes) {
    return false;
  }
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(const std::string& stored_hash) {
  EnsureSodium();
  // Returns 1 for other costs and -1 for a string that is not an Argon2id hash.
  return crypto_pwhash_str_needs_rehash(stored_hash.c_str(), kPasswordOpsLimit,
                                        kPasswordMemLimitBytes) != 0;
}

std::string GeneratePassword() {
  EnsureSodium();
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string password;
  for (int i = 0; i < 20; ++i) {
    uint32_t index = randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()));
    password += kAlphabet[index];
  }
  return password;
}

}  // namespace salesradar::auth
