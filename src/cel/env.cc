#include "cel/env.h"

#include <utility>

namespace salesradar::cel {

const FieldDecl* MessageDecl::FindField(std::string_view field) const {
  for (const FieldDecl& decl : fields) {
    if (decl.name == field) return &decl;
  }
  return nullptr;
}

Env Env::Standard() {
  Env env;
  RegisterOperators(env.functions_);
  RegisterComparisons(env.functions_);
  RegisterConversions(env.functions_);
  RegisterStringFunctions(env.functions_);
  RegisterTimeFunctions(env.functions_);
  RegisterStringsExtension(env.functions_);
  RegisterMoney(env.functions_);
  env.functions_.MarkAllFoldable();
  return env;
}

Env& Env::DeclareVariable(std::string name, Type type) {
  variables_[std::move(name)] = std::move(type);
  return *this;
}

Env& Env::DeclareMessage(MessageDecl message) {
  std::string name = message.name;
  messages_[std::move(name)] = std::move(message);
  return *this;
}

Env& Env::SetContainer(std::string container) {
  container_ = std::move(container);
  return *this;
}

Env& Env::AddFunction(Overload overload) {
  functions_.Add(std::move(overload));
  return *this;
}

const Type* Env::FindVariable(std::string_view name) const {
  auto it = variables_.find(name);
  return it == variables_.end() ? nullptr : &it->second;
}

const MessageDecl* Env::FindMessage(std::string_view name) const {
  auto it = messages_.find(name);
  return it == messages_.end() ? nullptr : &it->second;
}

std::vector<std::string> Env::CandidateNames(std::string_view name) const {
  if (!name.empty() && name.front() == '.') return {std::string(name.substr(1))};
  std::vector<std::string> candidates;
  std::string prefix = container_;
  while (!prefix.empty()) {
    candidates.push_back(prefix + "." + std::string(name));
    size_t dot = prefix.rfind('.');
    prefix = dot == std::string::npos ? "" : prefix.substr(0, dot);
  }
  candidates.emplace_back(name);
  return candidates;
}

const Type* BuiltinTypeNamed(std::string_view name) {
  static const std::pair<std::string_view, Type> kTypes[] = {
      {"bool", Type::Bool()},
      {"int", Type::Int()},
      {"uint", Type::Uint()},
      {"double", Type::Double()},
      {"string", Type::String()},
      {"bytes", Type::Bytes()},
      {"null_type", Type::Of(Type::Kind::kNull)},
      {"type", Type::Of(Type::Kind::kType)},
      {"list", Type::List(Type::Dyn())},
      {"map", Type::Map(Type::Dyn(), Type::Dyn())},
      {"google.protobuf.Timestamp", Type::Timestamp()},
      {"google.protobuf.Duration", Type::Duration()},
      {"money", Type::Money()},
  };
  for (const auto& [type_name, type] : kTypes) {
    if (type_name == name) return &type;
  }
  return nullptr;
}

}  // namespace salesradar::cel
