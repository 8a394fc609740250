// Mapping files for `salesradar events import`: which CSV columns make an event of the log.
//
//   subject_type: lead                 # every event's subject type
//   columns:
//     subject_id: case_id              # required
//     type: activity                   # required
//     occurred_at: timestamp           # required; a time with a UTC offset
//     actor: resource                  # optional; an empty cell is a system event
//   type_suffix:                       # optional: type becomes "TYPE:SUFFIX" ...
//     column: lifecycle
//     for_type_prefixes: [W_]          # ... for types that start with one of these
//   payload:                           # optional: payload key -> column (text)
//     lifecycle: lifecycle
//   numeric_payload:                   # optional: payload key -> column, parsed as a number
//     amount_requested: amount_req
//   id_prefix: bpi2012                 # event id = PREFIX:LINE, the CSV line number
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace salesradar::cli {

struct EventMapping {
  std::string subject_type;
  std::string subject_id_column;
  std::string type_column;
  std::string occurred_at_column;
  std::string actor_column;  // empty: no actor
  std::string type_suffix_column;
  std::vector<std::string> type_suffix_prefixes;  // empty: the suffix applies to every type
  std::map<std::string, std::string> payload;          // payload key -> column
  std::map<std::string, std::string> numeric_payload;  // payload key -> column
  std::string id_prefix;
};

// Parses a mapping file's text. kInvalidArgument naming `file_name` and the missing or
// malformed key otherwise.
Result<EventMapping> ParseEventMapping(const std::string& text, const std::string& file_name);

}  // namespace salesradar::cli
