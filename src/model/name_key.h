// The normalised form of a name, used to match references written slightly differently.
#pragma once

#include <string>
#include <string_view>

namespace salesradar::model {

// Returns `name` in NFKC with case folding (full-width letters, digits and spaces become
// half-width, "ＡＣＭＥ Corp" and "acme corp" match), surrounding white space trimmed and inner
// runs of white space collapsed to one space. Spaces inside a name are kept, so "GTXPro" and
// "GTX Pro" stay different. Invalid UTF-8 sequences become U+FFFD.
std::string NameKey(std::string_view name);

}  // namespace salesradar::model
