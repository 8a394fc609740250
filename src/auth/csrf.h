// CSRF tokens for cookie-authenticated writes. Each session has its own random CSRF secret,
// stored with the session. The token the client sends back in a header is an HMAC-SHA-256 of
// the session id's digest under that secret, so a token taken from one session fails for every
// other session.
#pragma once

#include <string>
#include <string_view>

namespace salesradar::auth {

// Returns a new random CSRF secret (32 bytes, base64url) to store with a new session.
std::string GenerateCsrfSecret();

// Returns the CSRF token of the session whose id digest is `session_id_hash` (HashSecret of the
// session id) and whose secret is `csrf_secret`: 43 base64url characters.
std::string CsrfTokenFor(std::string_view csrf_secret, std::string_view session_id_hash);

// Returns true when `token` is the CSRF token of that session. Compares in constant time.
bool VerifyCsrfToken(std::string_view token, std::string_view csrf_secret,
                     std::string_view session_id_hash);

}  // namespace salesradar::auth
