#include "cel/functions.h"

#include "cel/plan.h"

#include <cstdio>
#include <cstdlib>

namespace salesradar::cel {
namespace {

Type MustParse(std::string_view text) {
  Result<Type> type = ParseType(text);
  if (!type.ok()) {
    std::fprintf(stderr, "cel: invalid type in a function signature: %.*s\n",
                 static_cast<int>(text.size()), text.data());
    std::abort();
  }
  return std::move(type).value();
}

}  // namespace

void FunctionRegistry::Add(std::string_view function, bool receiver,
                           std::initializer_list<std::string_view> params, std::string_view result,
                           FunctionImpl impl) {
  Overload overload;
  overload.function = std::string(function);
  overload.receiver = receiver;
  for (std::string_view param : params) overload.params.push_back(MustParse(param));
  overload.result = MustParse(result);
  overload.impl = impl;
  Add(std::move(overload));
}

void FunctionRegistry::AddBoth(std::string_view function,
                               std::initializer_list<std::string_view> params,
                               std::string_view result, FunctionImpl impl) {
  Add(function, false, params, result, impl);
  Add(function, true, params, result, impl);
}

void FunctionRegistry::Add(Overload overload) {
  std::string name = overload.function;
  overloads_[name].push_back(std::move(overload));
}

void FunctionRegistry::MarkAllFoldable() {
  for (auto& [name, overloads] : overloads_) {
    for (Overload& overload : overloads) overload.foldable = true;
  }
}

const std::vector<Overload>* FunctionRegistry::Find(std::string_view function) const {
  auto it = overloads_.find(function);
  return it == overloads_.end() ? nullptr : &it->second;
}

RuntimeOverload::RuntimeOverload(const Overload& overload) : impl(overload.impl), foldable(overload.foldable) {
  for (size_t i = 0; i < overload.params.size() && i < kMaxArity; ++i) {
    const Type& param = overload.params[i];
    switch (param.kind) {
      case Type::Kind::kDyn:
      case Type::Kind::kParam: kinds[i] = kAnyKind; break;
      case Type::Kind::kNull: kinds[i] = static_cast<uint8_t>(ValueKind::kNull); break;
      case Type::Kind::kBool: kinds[i] = static_cast<uint8_t>(ValueKind::kBool); break;
      case Type::Kind::kInt: kinds[i] = static_cast<uint8_t>(ValueKind::kInt); break;
      case Type::Kind::kUint: kinds[i] = static_cast<uint8_t>(ValueKind::kUint); break;
      case Type::Kind::kDouble: kinds[i] = static_cast<uint8_t>(ValueKind::kDouble); break;
      case Type::Kind::kString: kinds[i] = static_cast<uint8_t>(ValueKind::kString); break;
      case Type::Kind::kBytes: kinds[i] = static_cast<uint8_t>(ValueKind::kBytes); break;
      case Type::Kind::kList: kinds[i] = static_cast<uint8_t>(ValueKind::kList); break;
      case Type::Kind::kMap: kinds[i] = static_cast<uint8_t>(ValueKind::kMap); break;
      case Type::Kind::kTimestamp: kinds[i] = static_cast<uint8_t>(ValueKind::kTimestamp); break;
      case Type::Kind::kDuration: kinds[i] = static_cast<uint8_t>(ValueKind::kDuration); break;
      case Type::Kind::kMoney: kinds[i] = static_cast<uint8_t>(ValueKind::kMoney); break;
      case Type::Kind::kType: kinds[i] = static_cast<uint8_t>(ValueKind::kType); break;
      case Type::Kind::kError: kinds[i] = static_cast<uint8_t>(ValueKind::kError); break;
      case Type::Kind::kMessage:
        kinds[i] = static_cast<uint8_t>(ValueKind::kObject);
        object_types.resize(overload.params.size());
        object_types[i] = param.name;
        break;
    }
  }
}

bool RuntimeOverload::Matches(const Value* args, size_t count) const {
  for (size_t i = 0; i < count; ++i) {
    if (kinds[i] != kAnyKind && kinds[i] != static_cast<uint8_t>(args[i].kind())) return false;
  }
  if (object_types.empty()) return true;
  for (size_t i = 0; i < count; ++i) {
    if (!object_types[i].empty() && args[i].object().TypeName() != object_types[i]) return false;
  }
  return true;
}

}  // namespace salesradar::cel
