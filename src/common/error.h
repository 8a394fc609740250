// Error values shared by every module.
//
// Expected failures (bad input, a missing record, a conflict, an unavailable database) are
// returned as `Error` values inside `Result<T>`; bugs are assertions. Each error carries a
// message in Simplified Chinese and in English, because users see it in either locale, and the
// API edge maps `ErrorCode` to an HTTP status in one switch.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/locale.h"

namespace salesradar {

enum class ErrorCode {
  kInvalidArgument,     // the input is malformed or out of range; the message names the value
  kNotFound,            // the named record, file or rule does not exist
  kAlreadyExists,       // a record with the same key exists
  kConflict,            // the change collides with a concurrent change or the current state
  kFailedPrecondition,  // the system is not in a state that allows the operation
  kPermissionDenied,    // the caller may not do this
  kUnauthenticated,     // no valid sign-in or token
  kResourceExhausted,   // a queue, quota or size limit is reached
  kUnavailable,         // a dependency (database, remote service) cannot be reached right now
  kDataLoss,            // stored data is corrupt or newer than this binary understands
  kInternal,            // a bug or an unexpected failure of a library
};

// Returns the stable snake_case name of `code` used in logs and API responses.
std::string_view ErrorCodeName(ErrorCode code);

// One detail of an error, for example the column and the value that failed.
struct ErrorDetail {
  std::string key;
  std::string value;
};

class Error {
 public:
  Error(ErrorCode code, std::string message_zh, std::string message_en)
      : code_(code), message_zh_(std::move(message_zh)), message_en_(std::move(message_en)) {}

  ErrorCode code() const { return code_; }

  // Returns the message in `locale`.
  const std::string& message(Locale locale) const {
    return locale == Locale::kEnglish ? message_en_ : message_zh_;
  }
  const std::string& message_zh() const { return message_zh_; }
  const std::string& message_en() const { return message_en_; }

  const std::vector<ErrorDetail>& details() const { return details_; }
  Error& AddDetail(std::string key, std::string value) {
    details_.push_back({std::move(key), std::move(value)});
    return *this;
  }

  // Prefixes both messages with `context_zh` / `context_en` and a colon, keeping the code.
  Error& Wrap(std::string_view context_zh, std::string_view context_en);

  // Returns "code: English message", for logs.
  std::string ToLogString() const;

 private:
  ErrorCode code_;
  std::string message_zh_;
  std::string message_en_;
  std::vector<ErrorDetail> details_;
};

// Shorthands for the common codes.
inline Error InvalidArgument(std::string zh, std::string en) {
  return Error(ErrorCode::kInvalidArgument, std::move(zh), std::move(en));
}
inline Error NotFound(std::string zh, std::string en) {
  return Error(ErrorCode::kNotFound, std::move(zh), std::move(en));
}
inline Error Internal(std::string zh, std::string en) {
  return Error(ErrorCode::kInternal, std::move(zh), std::move(en));
}
inline Error Unavailable(std::string zh, std::string en) {
  return Error(ErrorCode::kUnavailable, std::move(zh), std::move(en));
}

}  // namespace salesradar
