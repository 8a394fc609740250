// "Did you mean" suggestions for misspelt names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salesradar::cel {

// Returns the Levenshtein distance between `a` and `b`, counting bytes.
size_t EditDistance(std::string_view a, std::string_view b);

// Returns up to three of `names` nearest to `target`, nearest first, leaving out names so far
// away that they are unlikely to be what was meant.
std::vector<std::string> NearestNames(std::string_view target, const std::vector<std::string>& names);

// Formats names as "'a', 'b'" (joined with `separator`).
std::string QuoteList(const std::vector<std::string>& names, std::string_view separator = ", ");

}  // namespace salesradar::cel
