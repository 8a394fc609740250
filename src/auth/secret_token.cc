#include "auth/secret_token.h"

#include <vector>

#include <sodium.h>

#include "auth/digest.h"
#include "auth/sodium_init.h"

namespace salesradar::auth {
namespace {

bool IsBase64UrlCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

std::string RandomBase64Url(size_t bytes) {
  EnsureSodium();
  std::vector<unsigned char> random(bytes);
  randombytes_buf(random.data(), random.size());

  std::string encoded(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), random.data(), random.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(random.data(), random.size());
  encoded.resize(encoded.find('\0'));
  return encoded;
}

std::string GenerateSessionId() {
  return std::string(kSessionIdPrefix) + RandomBase64Url(kSecretRandomBytes);
}

std::string GenerateApiToken() {
  return std::string(kApiTokenPrefix) + RandomBase64Url(kSecretRandomBytes);
}

bool HasSecretFormat(std::string_view secret, std::string_view prefix) {
  if (secret.size() != prefix.size() + kSecretEncodedLength || !secret.starts_with(prefix)) {
    return false;
  }
  for (char c : secret.substr(prefix.size())) {
    if (!IsBase64UrlCharacter(c)) {
      return false;
    }
  }
  return true;
}

std::string HashSecret(std::string_view secret) { return Sha256Hex(secret); }

}  // namespace salesradar::auth
