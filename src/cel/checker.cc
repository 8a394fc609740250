#include "cel/checker.h"

#include <algorithm>
#include <optional>

#include "cel/source.h"
#include "cel/suggest.h"

namespace salesradar::cel {
namespace {

using Substitution = std::map<std::string, Type>;

bool IsDynLike(const Type& t) { return t.kind == Type::Kind::kDyn || t.kind == Type::Kind::kError; }

Type Substitute(const Type& t, const Substitution& substitution) {
  if (t.kind == Type::Kind::kParam) {
    auto it = substitution.find(t.name);
    return it == substitution.end() ? Type::Dyn() : it->second;
  }
  Type out = t;
  for (Type& param : out.params) param = Substitute(param, substitution);
  return out;
}

// Returns true when a value of type `arg` may be passed where `param` is expected, binding
// type parameters in `substitution`.
bool Assignable(const Type& param, const Type& arg, Substitution& substitution) {
  if (param.kind == Type::Kind::kParam) {
    auto it = substitution.find(param.name);
    if (it == substitution.end()) {
      substitution[param.name] = arg;
      return true;
    }
    if (IsDynLike(it->second) && !IsDynLike(arg)) {
      it->second = arg;
      return true;
    }
    Type bound = it->second;
    return Assignable(bound, arg, substitution);
  }
  if (IsDynLike(param) || IsDynLike(arg)) return true;
  if (param.kind != arg.kind) return false;
  if (param.kind == Type::Kind::kMessage) return param.name == arg.name;
  if (param.kind == Type::Kind::kType) return true;
  for (size_t i = 0; i < param.params.size() && i < arg.params.size(); ++i) {
    if (!Assignable(param.params[i], arg.params[i], substitution)) return false;
  }
  return true;
}

// The common type of two branches or elements: the type itself when they agree, else dyn.
Type Join(const Type& a, const Type& b) {
  if (a == b) return a;
  if (a.kind == Type::Kind::kError) return b;
  if (b.kind == Type::Kind::kError) return a;
  return Type::Dyn();
}

std::string TypeList(const std::vector<Type>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += ", ";
    out += types[i].ToString();
  }
  return out;
}

class Checker {
 public:
  Checker(const Env& env, const ParsedExpr& parsed) : env_(env), parsed_(parsed) {}

  Result<CheckedExpr> Run() {
    Type type = Check(*parsed_.root);
    if (error_) return std::move(*error_);
    result_.result_type = std::move(type);
    return std::move(result_);
  }

 private:
  Type Fail(int32_t position, const std::string& zh, const std::string& en) {
    if (!error_) error_ = SourceError(parsed_.source, position, zh, en);
    return Type::Of(Type::Kind::kError);
  }

  Type Check(const Expr& expr) {
    if (error_) return Type::Of(Type::Kind::kError);
    switch (expr.kind) {
      case ExprKind::kConstant: return ConstantType(expr.constant);
      case ExprKind::kIdent:
      case ExprKind::kSelect: return CheckNameOrSelect(expr);
      case ExprKind::kCall: return CheckCall(expr);
      case ExprKind::kList: return CheckList(expr);
      case ExprKind::kMap: return CheckMap(expr);
      case ExprKind::kStruct:
        return Fail(expr.position, "不支持构造消息 '" + expr.name + "'",
                    "constructing message '" + expr.name + "' is not supported");
      case ExprKind::kComprehension: return CheckComprehension(expr);
    }
    return Type::Dyn();
  }

  static Type ConstantType(const Constant& c) {
    switch (c.kind) {
      case Constant::Kind::kNull: return Type::Of(Type::Kind::kNull);
      case Constant::Kind::kBool: return Type::Bool();
      case Constant::Kind::kInt: return Type::Int();
      case Constant::Kind::kUint: return Type::Uint();
      case Constant::Kind::kDouble: return Type::Double();
      case Constant::Kind::kString: return Type::String();
      case Constant::Kind::kBytes: return Type::Bytes();
    }
    return Type::Dyn();
  }

  const Type* FindScoped(std::string_view name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  }

  // Resolves a dotted name as a variable or a type; nullopt when it is neither.
  std::optional<Type> ResolveName(const Expr& expr, const std::string& dotted) {
    for (const std::string& candidate : env_.CandidateNames(dotted)) {
      if (const Type* variable = env_.FindVariable(candidate)) {
        result_.variable_refs[expr.id] = candidate;
        return *variable;
      }
      const Type* builtin = BuiltinTypeNamed(candidate);
      if (builtin != nullptr || env_.FindMessage(candidate) != nullptr) {
        result_.type_refs[expr.id] = candidate;
        return Type::TypeOf(builtin != nullptr ? *builtin : Type::Message(candidate));
      }
    }
    return std::nullopt;
  }

  static std::optional<std::string> DottedName(const Expr& expr) {
    if (expr.kind == ExprKind::kIdent) return expr.name;
    if (expr.kind != ExprKind::kSelect || expr.test_only) return std::nullopt;
    std::optional<std::string> prefix = DottedName(*expr.target);
    if (!prefix) return std::nullopt;
    return *prefix + "." + expr.name;
  }

  Type CheckNameOrSelect(const Expr& expr) {
    if (expr.kind == ExprKind::kIdent) {
      if (expr.name.front() != '.') {
        if (const Type* scoped = FindScoped(expr.name)) return *scoped;
      }
      if (std::optional<Type> resolved = ResolveName(expr, expr.name)) return *resolved;
      return UndeclaredName(expr);
    }

    // A dotted name may itself be a variable ("x.y") or a qualified type name; the longest
    // such name wins, as at run time.
    std::optional<std::string> dotted = DottedName(expr);
    if (dotted && FindScoped(dotted->substr(0, dotted->find('.'))) == nullptr) {
      if (std::optional<Type> resolved = ResolveName(expr, *dotted)) return *resolved;
    }

    Type operand = Check(*expr.target);
    if (error_) return operand;
    Type field = FieldType(expr, operand);
    return expr.test_only ? Type::Bool() : field;
  }

  Type UndeclaredName(const Expr& expr) {
    std::vector<std::string> names;
    for (const auto& [name, type] : env_.variables()) names.push_back(name);
    for (const auto& [name, scoped] : scopes_) names.push_back(name);
    std::vector<std::string> nearest = NearestNames(expr.name, names);
    std::string hint_zh = nearest.empty() ? "" : "；最接近的名称：" + QuoteList(nearest, "、");
    std::string hint_en = nearest.empty() ? "" : "; did you mean " + QuoteList(nearest, " or ") + "?";
    return Fail(expr.position, "未声明的变量 '" + expr.name + "'" + hint_zh,
                "undeclared reference to '" + expr.name + "'" + hint_en);
  }

  Type FieldType(const Expr& expr, const Type& operand) {
    switch (operand.kind) {
      case Type::Kind::kDyn:
      case Type::Kind::kError: return Type::Dyn();
      case Type::Kind::kMap: return operand.params[1];
      case Type::Kind::kMessage: {
        const MessageDecl* message = env_.FindMessage(operand.name);
        if (message == nullptr) return Type::Dyn();
        if (const FieldDecl* field = message->FindField(expr.name)) return field->type;
        return UnknownField(expr, *message);
      }
      default:
        return Fail(expr.position, "类型 '" + operand.ToString() + "' 不支持字段选择 '." + expr.name + "'",
                    "type '" + operand.ToString() + "' does not support field selection '." + expr.name + "'");
    }
  }

  Type UnknownField(const Expr& expr, const MessageDecl& message) {
    std::vector<std::string> names;
    for (const FieldDecl& field : message.fields) names.push_back(field.name);
    std::vector<std::string> nearest = NearestNames(expr.name, names);
    std::string hint_zh = nearest.empty() ? "；已有字段：" + QuoteList(names, "、")
                                          : "；最接近的字段：" + QuoteList(nearest, "、");
    std::string hint_en = nearest.empty() ? "; its fields are " + QuoteList(names)
                                          : "; did you mean " + QuoteList(nearest, " or ") + "?";
    return Fail(expr.position,
                "类型 '" + message.name + "' 没有字段 '" + expr.name + "'" + hint_zh,
                "type '" + message.name + "' has no field '" + expr.name + "'" + hint_en);
  }

  Type CheckCall(const Expr& expr) {
    std::vector<Type> args;
    if (expr.target) args.push_back(Check(*expr.target));
    for (const ExprPtr& arg : expr.args) args.push_back(Check(*arg));
    if (error_) return Type::Of(Type::Kind::kError);

    if (!expr.target) {
      if (expr.name == op::kAnd || expr.name == op::kOr || expr.name == op::kNot) {
        return CheckBoolOperands(expr, args);
      }
      if (expr.name == op::kConditional) {
        if (!IsBoolLike(args[0])) return Mismatch(expr, args, "_?_:_");
        return Join(args[1], args[2]);
      }
      // Equality and membership compare any two values at run time, numbers across kinds.
      if (expr.name == op::kEquals || expr.name == op::kNotEquals) return Type::Bool();
      if (expr.name == op::kIn && (args[1].kind == Type::Kind::kList || args[1].kind == Type::Kind::kMap ||
                                   IsDynLike(args[1]))) {
        return Type::Bool();
      }
    }

    const std::vector<Overload>* overloads = env_.functions().Find(expr.name);
    if (overloads == nullptr) return UndeclaredFunction(expr);
    std::optional<Type> result;
    for (const Overload& overload : *overloads) {
      if (overload.receiver != (expr.target != nullptr) || overload.params.size() != args.size()) continue;
      Substitution substitution;
      bool matches = true;
      for (size_t i = 0; i < args.size() && matches; ++i) {
        matches = Assignable(overload.params[i], args[i], substitution);
      }
      if (!matches) continue;
      Type type = Substitute(overload.result, substitution);
      result = result ? Join(*result, type) : type;
      result_.overload_refs[expr.id].push_back(&overload);
    }
    if (!result) return Mismatch(expr, args, expr.name);
    return *result;
  }

  static bool IsBoolLike(const Type& t) { return t.kind == Type::Kind::kBool || IsDynLike(t); }

  Type CheckBoolOperands(const Expr& expr, const std::vector<Type>& args) {
    for (const Type& arg : args) {
      if (!IsBoolLike(arg)) return Mismatch(expr, args, expr.name);
    }
    return Type::Bool();
  }

  Type UndeclaredFunction(const Expr& expr) {
    std::vector<std::string> names = {"size", "contains", "startsWith", "endsWith", "matches",
                                      "int", "uint", "double", "string", "bytes", "bool",
                                      "timestamp", "duration", "money", "type", "dyn"};
    std::vector<std::string> nearest = NearestNames(expr.name, names);
    std::string hint_zh = nearest.empty() ? "" : "；最接近的函数：" + QuoteList(nearest, "、");
    std::string hint_en = nearest.empty() ? "" : "; did you mean " + QuoteList(nearest, " or ") + "?";
    return Fail(expr.position, "未声明的函数 '" + expr.name + "'" + hint_zh,
                "undeclared reference to function '" + expr.name + "'" + hint_en);
  }

  Type Mismatch(const Expr& expr, const std::vector<Type>& args, const std::string& function) {
    std::string expected;
    if (const std::vector<Overload>* overloads = env_.functions().Find(function)) {
      size_t listed = 0;
      for (const Overload& overload : *overloads) {
        if (overload.receiver != (expr.target != nullptr) || overload.params.size() != args.size()) continue;
        if (listed++ == 6) {
          expected += ", ...";
          break;
        }
        expected += (expected.empty() ? "(" : ", (") + TypeList(overload.params) + ")";
      }
    }
    std::string zh = "'" + function + "' 的参数类型不匹配：(" + TypeList(args) + ")";
    std::string en = "no matching overload for '" + function + "' applied to (" + TypeList(args) + ")";
    if (!expected.empty()) {
      zh += "；可接受：" + expected;
      en += "; expected " + expected;
    }
    return Fail(expr.position, zh, en);
  }

  Type CheckList(const Expr& expr) {
    std::optional<Type> element;
    for (const ExprPtr& item : expr.args) {
      Type type = Check(*item);
      element = element ? Join(*element, type) : type;
    }
    return Type::List(element ? *element : Type::Dyn());
  }

  Type CheckMap(const Expr& expr) {
    std::optional<Type> key;
    std::optional<Type> value;
    for (const Entry& entry : expr.entries) {
      Type key_type = Check(*entry.key);
      Type value_type = Check(*entry.value);
      static const Type::Kind kKeyKinds[] = {Type::Kind::kInt, Type::Kind::kUint, Type::Kind::kBool,
                                             Type::Kind::kString, Type::Kind::kDyn, Type::Kind::kError};
      if (std::find(std::begin(kKeyKinds), std::end(kKeyKinds), key_type.kind) == std::end(kKeyKinds)) {
        return Fail(entry.key->position, "映射的键不能是 '" + key_type.ToString() + "' 类型",
                    "map keys cannot be of type '" + key_type.ToString() + "'");
      }
      key = key ? Join(*key, key_type) : key_type;
      value = value ? Join(*value, value_type) : value_type;
    }
    return Type::Map(key ? *key : Type::Dyn(), value ? *value : Type::Dyn());
  }

  Type CheckComprehension(const Expr& expr) {
    Type range = Check(*expr.target);
    if (error_) return range;
    Type element;
    if (range.kind == Type::Kind::kList) {
      element = range.params[0];
    } else if (range.kind == Type::Kind::kMap) {
      element = range.params[0];
    } else if (IsDynLike(range)) {
      element = Type::Dyn();
    } else {
      return Fail(expr.position, "宏不能遍历 '" + range.ToString() + "' 类型的值",
                  "macros cannot iterate over a value of type '" + range.ToString() + "'");
    }

    scopes_.emplace_back(expr.iter_var, element);
    Type filter = expr.filter ? Check(*expr.filter) : Type::Bool();
    Type step = Check(*expr.step);
    scopes_.pop_back();
    if (error_) return step;

    bool predicate = expr.macro != MacroKind::kMap && expr.macro != MacroKind::kMapFilter;
    if (!IsBoolLike(filter) || (predicate && !IsBoolLike(step))) {
      const Type& wrong = IsBoolLike(filter) ? step : filter;
      return Fail(expr.step->position, "宏的条件必须是 bool，实际为 '" + wrong.ToString() + "'",
                  "the macro's condition must be a bool, found '" + wrong.ToString() + "'");
    }
    switch (expr.macro) {
      case MacroKind::kMap:
      case MacroKind::kMapFilter: return Type::List(step);
      case MacroKind::kFilter: return Type::List(element);
      default: return Type::Bool();
    }
  }

  const Env& env_;
  const ParsedExpr& parsed_;
  CheckedExpr result_;
  std::optional<Error> error_;
  std::vector<std::pair<std::string, Type>> scopes_;
};

}  // namespace

Result<CheckedExpr> Check(const Env& env, const ParsedExpr& parsed) {
  return Checker(env, parsed).Run();
}

}  // namespace salesradar::cel
