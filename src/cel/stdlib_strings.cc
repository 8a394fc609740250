// contains, startsWith, endsWith and matches (RE2 syntax).
#include <re2/re2.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cel/containers.h"
#include "cel/env.h"

namespace salesradar::cel {
namespace {

Value Contains(const Value* a, CallContext&) {
  return Value::Bool(a[0].string_value().find(a[1].string_value()) != std::string_view::npos);
}

Value StartsWith(const Value* a, CallContext&) {
  return Value::Bool(a[0].string_value().starts_with(a[1].string_value()));
}

Value EndsWith(const Value* a, CallContext&) {
  return Value::Bool(a[0].string_value().ends_with(a[1].string_value()));
}

// Maximum number of compiled patterns kept. Patterns past it are compiled for each call.
constexpr size_t kMaxCachedPatterns = 256;
// Memory budget of one compiled pattern (RE2's default is 8 MiB), so that a full cache stays
// within 256 MiB.
constexpr int64_t kPatternMaxMemory = int64_t{1} << 20;

// Returns the compiled pattern, compiling and caching it on first use. The cache makes
// repeated matches allocation-free.
std::shared_ptr<const RE2> CompiledPattern(std::string_view pattern) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const RE2>, std::less<>> cache;  // guarded by mutex
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(pattern); it != cache.end()) return it->second;
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kPatternMaxMemory);
  auto compiled = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() < kMaxCachedPatterns) cache.emplace(std::string(pattern), compiled);
  return compiled;
}

Value Matches(const Value* a, CallContext& context) {
  std::shared_ptr<const RE2> pattern = CompiledPattern(a[1].string_value());
  if (!pattern->ok()) {
    return MakeError(context.arena, {"invalid regular expression '", a[1].string_value(),
                                     "': ", pattern->error()});
  }
  std::string_view text = a[0].string_value();
  return Value::Bool(RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *pattern));
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& r) {
  r.Add("contains", true, {"string", "string"}, "bool", Contains);
  r.Add("startsWith", true, {"string", "string"}, "bool", StartsWith);
  r.Add("endsWith", true, {"string", "string"}, "bool", EndsWith);
  r.AddBoth("matches", {"string", "string"}, "bool", Matches);
}

}  // namespace salesradar::cel
