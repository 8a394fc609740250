#include "common/error.h"

namespace salesradar {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kFailedPrecondition: return "failed_precondition";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kResourceExhausted: return "resource_exhausted";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kDataLoss: return "data_loss";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

Error& Error::Wrap(std::string_view context_zh, std::string_view context_en) {
  message_zh_ = std::string(context_zh) + "：" + message_zh_;
  message_en_ = std::string(context_en) + ": " + message_en_;
  return *this;
}

std::string Error::ToLogString() const {
  std::string out(ErrorCodeName(code_));
  out += ": ";
  out += message_en_;
  for (const auto& detail : details_) {
    out += " [" + detail.key + "=" + detail.value + "]";
  }
  return out;
}

}  // namespace salesradar
