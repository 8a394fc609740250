// Sealing of channel secrets with libsodium's crypto_secretbox (XSalsa20-Poly1305) under one key
// kept in a file, so that a copy of the database alone does not reveal robot keys or passwords.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace salesradar::notify {

class SecretBox {
 public:
  // Reads the 32-byte key from `path`, or creates the file with a random key and mode 0600 when
  // it does not exist. Returns kUnavailable when the file cannot be read or written, and
  // kDataLoss when it exists with another size.
  static Result<SecretBox> LoadOrCreate(const std::string& path);

  // A box with a given key, for tests. REQUIRES: key.size() == 32.
  static SecretBox FromKey(std::string key);

  // Returns base64 of a random nonce followed by the ciphertext of `plain`.
  std::string Seal(std::string_view plain) const;

  // Returns the plain text of a Seal output. kDataLoss when it is not valid base64, too short, or
  // does not authenticate under this key (a different secret.key file).
  Result<std::string> Open(std::string_view sealed) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace salesradar::notify
