// Password hashing with Argon2id through libsodium (crypto_pwhash_str), and the password policy.
//
// A stored hash is libsodium's self-describing string ("$argon2id$v=19$m=...,t=...,p=1$..."),
// so it records its own salt and cost, and a hash made with older costs still verifies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace salesradar::auth {

// The Argon2id cost of new hashes. 3 passes over 64 MiB is libsodium's "moderate" pass count
// with its "interactive" memory size: one sign-in costs about 0.1 to 0.3 s of one core and
// 64 MiB of memory for that time. The sign-in rate limiter (rate_limiter.h) bounds how many
// run at once per user name and per client address.
inline constexpr uint64_t kPasswordOpsLimit = 3;
inline constexpr size_t kPasswordMemLimitBytes = size_t{64} << 20;

// The policy. Length is counted in Unicode code points, so "密码" is 2, not 6 bytes.
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordBytes = 1024;  // bounds the hashing work per attempt

// Checks `password` against the policy: at least kMinPasswordLength code points, at most
// kMaxPasswordBytes bytes, valid UTF-8, not only one repeated character, and not equal to
// `login` ignoring ASCII case. Returns kInvalidArgument saying which rule failed and what to
// do; the message never contains the password.
Status CheckPasswordPolicy(std::string_view password, std::string_view login);

// Hashes `password` with Argon2id at kPasswordOpsLimit and kPasswordMemLimitBytes.
// Returns kResourceExhausted when the memory for hashing cannot be allocated and
// kInvalidArgument when the password is longer than kMaxPasswordBytes.
Result<std::string> HashPassword(std::string_view password);

// Returns true when `password` matches `stored_hash`, false when it does not or when
// `stored_hash` is not a libsodium password hash. Takes as long as hashing.
bool VerifyPassword(std::string_view password, const std::string& stored_hash);

// Returns true when `stored_hash` was made with other costs than the current ones, so that the
// caller can rehash the password after a successful sign-in.
bool PasswordNeedsRehash(const std::string& stored_hash);

// Returns a random password of 20 characters from an alphabet without look-alike characters
// (no 0/O, 1/l/I), about 115 bits of entropy, for `admin create` without --password-stdin.
std::string GeneratePassword();

}  // namespace salesradar::auth
