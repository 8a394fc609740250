// Lists, maps and error values that the evaluator builds in its Arena.
#pragma once

#include <initializer_list>
#include <string_view>

#include "cel/arena.h"
#include "cel/value.h"

namespace salesradar::cel {

class ArenaList final : public ListValue {
 public:
  ArenaList(const Value* items, size_t size) : items_(items), size_(size) {}
  size_t size() const override { return size_; }
  Value Get(size_t index) const override { return items_[index]; }

 private:
  const Value* items_;
  size_t size_;
};

// Looks keys up by a linear scan; built for the small maps that rule expressions write.
class ArenaMap final : public MapValue {
 public:
  ArenaMap(const Value* keys, const Value* values, size_t size)
      : keys_(keys), values_(values), size_(size) {}
  size_t size() const override { return size_; }
  Value KeyAt(size_t index) const override { return keys_[index]; }
  std::optional<Value> Find(const Value& key) const override;

 private:
  const Value* keys_;
  const Value* values_;
  size_t size_;
};

// The error returned when an evaluation exceeds its Arena's memory limit.
inline constexpr std::string_view kOutOfMemoryMessage =
    "evaluation exceeded its memory limit";

// Maximum length in bytes of a string that replace(), join() or format() builds. Longer
// results are errors, so that one evaluation cannot exhaust memory.
inline constexpr size_t kMaxBuiltStringBytes = size_t{16} << 20;

// Returns an error value whose message is the concatenation of `parts`, copied into `arena`.
Value MakeError(Arena& arena, std::initializer_list<std::string_view> parts);

// Returns a string value with `text` copied into `arena`, or an out-of-memory error.
Value MakeString(Arena& arena, std::string_view text, bool bytes = false);

// Returns a list value over a copy of `items`, or an out-of-memory error.
Value MakeList(Arena& arena, const Value* items, size_t size);

// The standard "no matching overload" error naming the function and argument types.
Value NoMatchingOverload(Arena& arena, std::string_view function, const Value* args,
                         size_t arg_count);

}  // namespace salesradar::cel
