#include "cel/containers.h"

#include <string>

namespace salesradar::cel {

std::optional<Value> ArenaMap::Find(const Value& key) const {
  for (size_t i = 0; i < size_; ++i) {
    if (ValuesEqual(keys_[i], key)) return values_[i];
  }
  return std::nullopt;
}

Value MakeError(Arena& arena, std::initializer_list<std::string_view> parts) {
  size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  char* buffer = static_cast<char*>(arena.Allocate(size, 1));
  if (buffer == nullptr) return Value::Error(kOutOfMemoryMessage);
  size_t offset = 0;
  for (std::string_view part : parts) {
    if (!part.empty()) std::memcpy(buffer + offset, part.data(), part.size());
    offset += part.size();
  }
  return Value::Error(std::string_view(buffer, size));
}

Value MakeString(Arena& arena, std::string_view text, bool bytes) {
  std::string_view copy = arena.CopyString(text);
  if (copy.data() == nullptr) return Value::Error(kOutOfMemoryMessage);
  return bytes ? Value::Bytes(copy) : Value::String(copy);
}

Value MakeList(Arena& arena, const Value* items, size_t size) {
  Value* copy = arena.AllocateArray<Value>(size);
  if (copy == nullptr) return Value::Error(kOutOfMemoryMessage);
  for (size_t i = 0; i < size; ++i) copy[i] = items[i];
  ArenaList* list = arena.New<ArenaList>(copy, size);
  if (list == nullptr) return Value::Error(kOutOfMemoryMessage);
  return Value::List(list);
}

Value NoMatchingOverload(Arena& arena, std::string_view function, const Value* args,
                         size_t arg_count) {
  std::string types;
  for (size_t i = 0; i < arg_count; ++i) {
    if (i > 0) types += ", ";
    types += TypeNameOf(args[i]);
  }
  return MakeError(arena, {"no matching overload for '", function, "' applied to (", types, ")"});
}

}  // namespace salesradar::cel
