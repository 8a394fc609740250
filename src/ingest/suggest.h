// "Did you mean" suggestions for misspelt names in mapping files.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace salesradar::ingest {

// Returns the candidate closest to `name` by edit distance, compared case-insensitively, or ""
// when even the closest needs more than max(2, name.size() / 3) edits.
std::string NearestName(std::string_view name, std::span<const std::string> candidates);

// Returns the candidates joined with ", ".
std::string JoinNames(std::span<const std::string> names);

}  // namespace salesradar::ingest
