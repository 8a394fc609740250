#include "cel/suggest.h"

#include <algorithm>

namespace salesradar::cel {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> NearestNames(std::string_view target, const std::vector<std::string>& names) {
  // A name qualifies when at most a third of its characters (and at least 2) differ.
  size_t limit = std::max<size_t>(2, target.size() / 3);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const std::string& name : names) {
    size_t distance = EditDistance(target, name);
    if (distance <= limit) scored.emplace_back(distance, name);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> nearest;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) nearest.push_back(scored[i].second);
  return nearest;
}

std::string QuoteList(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.append(separator);
    out += "'" + names[i] + "'";
  }
  return out;
}

}  // namespace salesradar::cel
