// Message digests used for stored secrets and the audit chain.
#pragma once

#include <string>
#include <string_view>

namespace salesradar::auth {

// Returns the SHA-256 digest of `data` as 64 lower-case hexadecimal digits.
std::string Sha256Hex(std::string_view data);

// Compares two strings in time that depends only on their lengths, for secrets and digests.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace salesradar::auth
