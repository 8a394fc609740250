#include "cel/type.h"

namespace salesradar::cel {
namespace {

struct NamedKind {
  std::string_view name;
  Type::Kind kind;
};

constexpr NamedKind kSimpleTypes[] = {
    {"dyn", Type::Kind::kDyn},
    {"null_type", Type::Kind::kNull},
    {"bool", Type::Kind::kBool},
    {"int", Type::Kind::kInt},
    {"uint", Type::Kind::kUint},
    {"double", Type::Kind::kDouble},
    {"string", Type::Kind::kString},
    {"bytes", Type::Kind::kBytes},
    {"google.protobuf.Timestamp", Type::Kind::kTimestamp},
    {"google.protobuf.Duration", Type::Kind::kDuration},
    {"money", Type::Kind::kMoney},
    {"error", Type::Kind::kError},
};

class TypeParser {
 public:
  explicit TypeParser(std::string_view text) : text_(text) {}

  Result<Type> ParseAll() {
    SR_ASSIGN_OR_RETURN(Type type, ParseOne());
    SkipSpace();
    if (pos_ != text_.size()) return Invalid();
    return type;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  Error Invalid() const {
    return InvalidArgument("无效的类型 '" + std::string(text_) + "'",
                           "invalid type '" + std::string(text_) + "'");
  }

  Result<Type> ParseOne() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '(' && text_[pos_] != ')' &&
           text_[pos_] != ',' && text_[pos_] != ' ') {
      ++pos_;
    }
    std::string_view name = text_.substr(start, pos_ - start);
    if (name.empty()) return Invalid();

    std::vector<Type> params;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      ++pos_;
      while (true) {
        SR_ASSIGN_OR_RETURN(Type param, ParseOne());
        params.push_back(std::move(param));
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == ')') {
          ++pos_;
          break;
        }
        return Invalid();
      }
    }
    return Build(name, std::move(params));
  }

  Result<Type> Build(std::string_view name, std::vector<Type> params) const {
    if (name == "list" && params.size() == 1) return Type::List(std::move(params[0]));
    if (name == "map" && params.size() == 2) return Type::Map(std::move(params[0]), std::move(params[1]));
    if (name == "type" && params.size() <= 1) {
      return params.empty() ? Type::Of(Type::Kind::kType) : Type::TypeOf(std::move(params[0]));
    }
    if (!params.empty()) return Invalid();
    for (const NamedKind& simple : kSimpleTypes) {
      if (simple.name == name) return Type::Of(simple.kind);
    }
    if (name.size() == 1 && name[0] >= 'A' && name[0] <= 'Z') return Type::Param(std::string(name));
    return Type::Message(std::string(name));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string Type::ToString() const {
  switch (kind) {
    case Kind::kList: return "list(" + params[0].ToString() + ")";
    case Kind::kMap: return "map(" + params[0].ToString() + ", " + params[1].ToString() + ")";
    case Kind::kType: return params.empty() ? "type" : "type(" + params[0].ToString() + ")";
    case Kind::kMessage:
    case Kind::kParam: return name;
    default: break;
  }
  for (const NamedKind& simple : kSimpleTypes) {
    if (simple.kind == kind) return std::string(simple.name);
  }
  return "dyn";
}

Result<Type> ParseType(std::string_view text) { return TypeParser(text).ParseAll(); }

}  // namespace salesradar::cel
