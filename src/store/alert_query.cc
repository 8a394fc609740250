#include "store/alert_query.h"

namespace salesradar::store {

AlertPosition PositionAfter(const AlertRow& row, AlertSort sort) {
  AlertPosition position;
  position.id = row.alert.id;
  position.raised_at = ToUnixMicros(row.alert.raised_at);
  bool by_level = sort == AlertSort::kLevelAscending || sort == AlertSort::kLevelDescending;
  position.sort_key = by_level ? static_cast<int64_t>(row.alert.level) : position.raised_at;
  return position;
}

}  // namespace salesradar::store
