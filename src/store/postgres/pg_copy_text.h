// COPY's text format, for PgConnection::CopyIn.
#pragma once

#include <string>
#include <string_view>

namespace salesradar::store::postgres {

// The text that COPY's text format reads as NULL.
inline constexpr std::string_view kCopyNull = "\\N";

// Appends `value` to `out` as one field of COPY's text format: backslash, tab, newline and
// carriage return are escaped, so the field cannot end early or split a row. `value` must be
// in the connection's client encoding (UTF-8 for the store).
inline void AppendCopyText(std::string_view value, std::string* out) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      default:
        out->push_back(c);
    }
  }
}

}  // namespace salesradar::store::postgres
