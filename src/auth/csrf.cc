#include "auth/csrf.h"

#include <sodium.h>

#include "auth/digest.h"
#include "auth/secret_token.h"
#include "auth/sodium_init.h"

namespace salesradar::auth {

std::string GenerateCsrfSecret() { return RandomBase64Url(kSecretRandomBytes); }

std::string CsrfTokenFor(std::string_view csrf_secret, std::string_view session_id_hash) {
  EnsureSodium();
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(csrf_secret.data()),
                              csrf_secret.size());
  crypto_auth_hmacsha256_update(&state,
                                reinterpret_cast<const unsigned char*>(session_id_hash.data()),
                                session_id_hash.size());
  crypto_auth_hmacsha256_final(&state, mac);

  std::string encoded(
      sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), mac, sizeof mac,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool VerifyCsrfToken(std::string_view token, std::string_view csrf_secret,
                     std::string_view session_id_hash) {
  if (csrf_secret.empty() || token.empty()) {
    return false;
  }
  return ConstantTimeEquals(token, CsrfTokenFor(csrf_secret, session_id_hash));
}

}  // namespace salesradar::auth
