// Random secrets handed to clients: session ids and API tokens. Only their SHA-256 digest
// (HashSecret) is stored, so a copy of the database does not let anyone sign in.
//
// Format: a prefix that names the kind of secret, then 32 random bytes from the operating
// system (libsodium randombytes_buf) in unpadded base64url, 43 characters:
//   session id  "srs_" + 43 characters
//   API token   "srt_" + 43 characters
// The prefix lets secret scanners recognise a leaked token.
#pragma once

#include <string>
#include <string_view>

namespace salesradar::auth {

inline constexpr std::string_view kSessionIdPrefix = "srs_";
inline constexpr std::string_view kApiTokenPrefix = "srt_";
inline constexpr size_t kSecretRandomBytes = 32;
inline constexpr size_t kSecretEncodedLength = 43;  // base64url of 32 bytes without padding

// Returns a new random session id.
std::string GenerateSessionId();

// Returns a new random API token.
std::string GenerateApiToken();

// Returns `bytes` random bytes as unpadded base64url, for secrets without a prefix (the CSRF
// secret of a session).
std::string RandomBase64Url(size_t bytes);

// Returns true when `secret` has the shape of a secret with `prefix`: the prefix followed by
// exactly kSecretEncodedLength base64url characters. Cheap; run it before any database lookup.
bool HasSecretFormat(std::string_view secret, std::string_view prefix);

// Returns the digest stored in place of `secret`: SHA-256 as 64 lower-case hex digits.
// The secrets have 256 random bits, so a fast unsalted digest is enough.
std::string HashSecret(std::string_view secret);

}  // namespace salesradar::auth
