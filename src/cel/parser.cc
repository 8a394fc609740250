#include "cel/parser.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>

#include "cel/lexer.h"
#include "cel/literal.h"
#include "cel/source.h"

namespace salesradar::cel {
namespace {

constexpr std::string_view kReservedWords[] = {
    "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
    "loop", "package", "namespace", "return", "var", "void", "while"};

bool IsReserved(std::string_view word) {
  return std::find(std::begin(kReservedWords), std::end(kReservedWords), word) !=
         std::end(kReservedWords);
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

class Parser {
 public:
  Parser(std::string_view source, const ParseOptions& options)
      : source_(source), options_(options), lexer_(source) {
    Advance();
  }

  Result<ExprPtr> ParseAll() {
    ExprPtr root = ParseExpr();
    if (root != nullptr && token_.kind != TokenKind::kEnd) Unexpected();
    if (error_) return std::move(*error_);
    return root;
  }

 private:
  // ---- token handling ----
  void Advance() { token_ = lexer_.Next(); }

  bool Accept(TokenKind kind) {
    if (token_.kind != kind) return false;
    Advance();
    return true;
  }

  ExprPtr Fail(int32_t position, std::string zh, std::string en) {
    if (!error_) error_ = SourceError(source_, position, zh, en);
    return nullptr;
  }

  ExprPtr Unexpected() {
    if (token_.kind == TokenKind::kEnd) {
      return Fail(token_.position, "表达式意外结束", "unexpected end of expression");
    }
    if (token_.kind == TokenKind::kError) {
      return Fail(token_.position, "无法识别的输入 " + Quoted(token_.text),
                  "unrecognized input " + Quoted(token_.text));
    }
    return Fail(token_.position, "意外的 " + Quoted(token_.text),
                "unexpected " + Quoted(token_.text));
  }

  bool Expect(TokenKind kind, const char* text) {
    if (Accept(kind)) return true;
    if (!error_) {
      std::string found = token_.kind == TokenKind::kEnd ? "表达式结尾" : Quoted(token_.text);
      std::string found_en =
          token_.kind == TokenKind::kEnd ? "end of expression" : Quoted(token_.text);
      Fail(token_.position, std::string("此处应为 '") + text + "'，实际为 " + found,
           std::string("expected '") + text + "', found " + found_en);
    }
    return false;
  }

  // ---- node construction ----
  ExprPtr NewExpr(ExprKind kind, int32_t position) {
    auto expr = std::make_unique<Expr>();
    expr->id = ++last_id_;
    expr->kind = kind;
    expr->position = position;
    return expr;
  }

  // Sets the height from the children and rejects trees deeper than the limit.
  ExprPtr Finish(ExprPtr expr) {
    int32_t height = 0;
    auto visit = [&](const ExprPtr& child) {
      if (child) height = std::max(height, child->height);
    };
    visit(expr->target);
    visit(expr->filter);
    visit(expr->step);
    for (const auto& arg : expr->args) visit(arg);
    for (const auto& entry : expr->entries) {
      visit(entry.key);
      visit(entry.value);
    }
    expr->height = height + 1;
    if (expr->height > options_.max_height) {
      return Fail(expr->position, "表达式嵌套过深（上限 " + std::to_string(options_.max_height) + " 层）",
                  "expression is nested too deeply (maximum " +
                      std::to_string(options_.max_height) + " levels)");
    }
    return expr;
  }

  ExprPtr NewCall(const char* function, int32_t position, ExprPtr a, ExprPtr b = nullptr,
                  ExprPtr c = nullptr) {
    ExprPtr call = NewExpr(ExprKind::kCall, position);
    call->name = function;
    call->args.push_back(std::move(a));
    if (b) call->args.push_back(std::move(b));
    if (c) call->args.push_back(std::move(c));
    return Finish(std::move(call));
  }

  // ---- recursion guard ----
  struct DepthGuard {
    explicit DepthGuard(Parser& p) : parser(p) { ++parser.depth_; }
    ~DepthGuard() { --parser.depth_; }
    Parser& parser;
  };
  // Each level of nesting passes through up to three guarded functions.
  bool TooDeep() {
    if (depth_ <= 3 * options_.max_height) return false;
    Fail(token_.position, "表达式嵌套过深（上限 " + std::to_string(options_.max_height) + " 层）",
         "expression is nested too deeply (maximum " + std::to_string(options_.max_height) +
             " levels)");
    return true;
  }

  // ---- grammar ----
  ExprPtr ParseExpr() {
    DepthGuard guard(*this);
    if (TooDeep()) return nullptr;
    ExprPtr condition = ParseOr();
    if (!condition || token_.kind != TokenKind::kQuestion) return condition;
    int32_t position = token_.position;
    Advance();
    ExprPtr if_true = ParseOr();
    if (!if_true || !Expect(TokenKind::kColon, ":")) return nullptr;
    ExprPtr if_false = ParseExpr();
    if (!if_false) return nullptr;
    return NewCall(op::kConditional, position, std::move(condition), std::move(if_true),
                   std::move(if_false));
  }

  ExprPtr ParseOr() {
    ExprPtr left = ParseAnd();
    while (left && token_.kind == TokenKind::kOr) {
      int32_t position = token_.position;
      Advance();
      ExprPtr right = ParseAnd();
      if (!right) return nullptr;
      left = NewCall(op::kOr, position, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseAnd() {
    ExprPtr left = ParseRelation();
    while (left && token_.kind == TokenKind::kAnd) {
      int32_t position = token_.position;
      Advance();
      ExprPtr right = ParseRelation();
      if (!right) return nullptr;
      left = NewCall(op::kAnd, position, std::move(left), std::move(right));
    }
    return left;
  }

  const char* RelationOperator() const {
    switch (token_.kind) {
      case TokenKind::kLess: return op::kLess;
      case TokenKind::kLessEquals: return op::kLessEquals;
      case TokenKind::kGreater: return op::kGreater;
      case TokenKind::kGreaterEquals: return op::kGreaterEquals;
      case TokenKind::kEquals: return op::kEquals;
      case TokenKind::kNotEquals: return op::kNotEquals;
      case TokenKind::kIdent: return token_.text == "in" ? op::kIn : nullptr;
      default: return nullptr;
    }
  }

  ExprPtr ParseRelation() {
    ExprPtr left = ParseAdditive();
    while (left) {
      const char* function = RelationOperator();
      if (function == nullptr) break;
      int32_t position = token_.position;
      Advance();
      ExprPtr right = ParseAdditive();
      if (!right) return nullptr;
      left = NewCall(function, position, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseAdditive() {
    ExprPtr left = ParseMultiplicative();
    while (left && (token_.kind == TokenKind::kPlus || token_.kind == TokenKind::kMinus)) {
      const char* function = token_.kind == TokenKind::kPlus ? op::kAdd : op::kSubtract;
      int32_t position = token_.position;
      Advance();
      ExprPtr right = ParseMultiplicative();
      if (!right) return nullptr;
      left = NewCall(function, position, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseMultiplicative() {
    ExprPtr left = ParseUnary();
    while (left && (token_.kind == TokenKind::kStar || token_.kind == TokenKind::kSlash ||
                    token_.kind == TokenKind::kPercent)) {
      const char* function = token_.kind == TokenKind::kStar    ? op::kMultiply
                             : token_.kind == TokenKind::kSlash ? op::kDivide
                                                                : op::kModulo;
      int32_t position = token_.position;
      Advance();
      ExprPtr right = ParseUnary();
      if (!right) return nullptr;
      left = NewCall(function, position, std::move(left), std::move(right));
    }
    return left;
  }

  ExprPtr ParseUnary() {
    DepthGuard guard(*this);
    if (TooDeep()) return nullptr;
    if (token_.kind == TokenKind::kNot || token_.kind == TokenKind::kMinus) {
      TokenKind kind = token_.kind;
      int32_t position = token_.position;
      Advance();
      bool number_follows = token_.kind == TokenKind::kInt || token_.kind == TokenKind::kDouble;
      if (kind == TokenKind::kMinus && number_follows) {
        // The grammar reads a minus directly before a number as part of the literal, so that
        // -9223372036854775808 is a valid int.
        return ParseMember(ParseNumber(position, true));
      }
      ExprPtr operand = ParseUnary();
      if (!operand) return nullptr;
      return NewCall(kind == TokenKind::kNot ? op::kNot : op::kNegate, position,
                     std::move(operand));
    }
    return ParseMember(ParsePrimary());
  }

  ExprPtr ParseMember(ExprPtr operand) {
    while (operand) {
      if (token_.kind == TokenKind::kDot) {
        operand = ParseSelectOrCall(std::move(operand));
      } else if (token_.kind == TokenKind::kLBracket) {
        int32_t position = token_.position;
        Advance();
        ExprPtr index = ParseExpr();
        if (!index || !Expect(TokenKind::kRBracket, "]")) return nullptr;
        operand = NewCall(op::kIndex, position, std::move(operand), std::move(index));
      } else if (token_.kind == TokenKind::kLBrace && IsQualifiedName(*operand)) {
        operand = ParseStruct(std::move(operand));
      } else {
        break;
      }
    }
    return operand;
  }

  ExprPtr ParseSelectOrCall(ExprPtr operand) {
    int32_t position = token_.position;
    Advance();
    if (token_.kind == TokenKind::kQuotedIdent) {
      ExprPtr select = NewExpr(ExprKind::kSelect, position);
      select->name = std::string(token_.text.substr(1, token_.text.size() - 2));
      select->target = std::move(operand);
      Advance();
      return Finish(std::move(select));
    }
    if (token_.kind != TokenKind::kIdent) {
      return Fail(token_.position, "'.' 之后应为字段名或方法名",
                  "expected a field or method name after '.'");
    }
    std::string name(token_.text);
    int32_t name_position = token_.position;
    if (IsReserved(name) || name == "in") return ReservedIdentifier(name, name_position);
    Advance();

    if (token_.kind != TokenKind::kLParen) {
      ExprPtr select = NewExpr(ExprKind::kSelect, position);
      select->name = std::move(name);
      select->target = std::move(operand);
      return Finish(std::move(select));
    }
    Advance();
    ExprPtr call = NewExpr(ExprKind::kCall, name_position);
    call->name = std::move(name);
    call->target = std::move(operand);
    if (!ParseArguments(TokenKind::kRParen, call->args)) return nullptr;
    ExprPtr expanded = ExpandReceiverMacro(call);
    if (error_) return nullptr;
    return Finish(expanded ? std::move(expanded) : std::move(call));
  }

  // Parses `a, b, c` up to `close`; a trailing comma is allowed in lists and maps only.
  bool ParseArguments(TokenKind close, std::vector<ExprPtr>& out,
                      bool allow_trailing_comma = false) {
    if (Accept(close)) return true;
    while (true) {
      ExprPtr arg = ParseExpr();
      if (!arg) return false;
      out.push_back(std::move(arg));
      if (Accept(close)) return true;
      if (!Expect(TokenKind::kComma, ",")) return false;
      if (allow_trailing_comma && Accept(close)) return true;
    }
  }

  ExprPtr ParsePrimary() {
    DepthGuard guard(*this);
    if (TooDeep()) return nullptr;
    int32_t position = token_.position;
    switch (token_.kind) {
      case TokenKind::kInt:
      case TokenKind::kDouble:
      case TokenKind::kUint:
        return ParseNumber(position, false);
      case TokenKind::kString:
      case TokenKind::kBytes:
        return ParseStringLiteral();
      case TokenKind::kLParen: {
        Advance();
        ExprPtr inner = ParseExpr();
        if (!inner || !Expect(TokenKind::kRParen, ")")) return nullptr;
        return inner;
      }
      case TokenKind::kLBracket: {
        Advance();
        ExprPtr list = NewExpr(ExprKind::kList, position);
        if (!ParseArguments(TokenKind::kRBracket, list->args, true)) return nullptr;
        return Finish(std::move(list));
      }
      case TokenKind::kLBrace:
        return ParseMap();
      case TokenKind::kDot:
      case TokenKind::kIdent:
        return ParseIdentOrCall();
      default:
        return Unexpected();
    }
  }

  ExprPtr ParseIdentOrCall() {
    int32_t position = token_.position;
    bool root = Accept(TokenKind::kDot);
    if (token_.kind != TokenKind::kIdent) return Unexpected();
    std::string name(token_.text);
    Advance();

    if (!root) {
      if (name == "true" || name == "false" || name == "null") {
        ExprPtr constant = NewExpr(ExprKind::kConstant, position);
        constant->constant.kind = name == "null" ? Constant::Kind::kNull : Constant::Kind::kBool;
        constant->constant.bool_value = name == "true";
        return constant;
      }
    }
    if (IsReserved(name) || name == "in" || name == "true" || name == "false" || name == "null") {
      return ReservedIdentifier(name, position);
    }

    if (token_.kind != TokenKind::kLParen) {
      ExprPtr ident = NewExpr(ExprKind::kIdent, position);
      ident->name = root ? "." + name : name;
      return ident;
    }
    Advance();
    ExprPtr call = NewExpr(ExprKind::kCall, position);
    call->name = root ? "." + name : name;
    if (!ParseArguments(TokenKind::kRParen, call->args)) return nullptr;
    if (call->name == "has") return ExpandHas(std::move(call));
    return Finish(std::move(call));
  }

  ExprPtr ReservedIdentifier(const std::string& name, int32_t position) {
    return Fail(position, "保留字 " + Quoted(name) + " 不能用作标识符",
                "reserved word " + Quoted(name) + " cannot be used as an identifier");
  }

  ExprPtr ParseMap() {
    ExprPtr map = NewExpr(ExprKind::kMap, token_.position);
    Advance();
    if (Accept(TokenKind::kRBrace)) return map;
    while (true) {
      Entry entry;
      entry.position = token_.position;
      entry.key = ParseExpr();
      if (!entry.key || !Expect(TokenKind::kColon, ":")) return nullptr;
      entry.value = ParseExpr();
      if (!entry.value) return nullptr;
      map->entries.push_back(std::move(entry));
      if (Accept(TokenKind::kRBrace)) break;
      if (!Expect(TokenKind::kComma, ",")) return nullptr;
      if (Accept(TokenKind::kRBrace)) break;
    }
    return Finish(std::move(map));
  }

  static bool IsQualifiedName(const Expr& expr) {
    if (expr.kind == ExprKind::kIdent) return true;
    return expr.kind == ExprKind::kSelect && !expr.test_only && IsQualifiedName(*expr.target);
  }

  static std::string QualifiedName(const Expr& expr) {
    if (expr.kind == ExprKind::kIdent) return expr.name;
    return QualifiedName(*expr.target) + "." + expr.name;
  }

  ExprPtr ParseStruct(ExprPtr type_name) {
    ExprPtr message = NewExpr(ExprKind::kStruct, token_.position);
    message->name = QualifiedName(*type_name);
    Advance();
    if (Accept(TokenKind::kRBrace)) return message;
    while (true) {
      if (token_.kind != TokenKind::kIdent) {
        return Fail(token_.position, "此处应为字段名", "expected a field name");
      }
      Entry entry;
      entry.position = token_.position;
      entry.field_name = std::string(token_.text);
      Advance();
      if (!Expect(TokenKind::kColon, ":")) return nullptr;
      entry.value = ParseExpr();
      if (!entry.value) return nullptr;
      message->entries.push_back(std::move(entry));
      if (Accept(TokenKind::kRBrace)) break;
      if (!Expect(TokenKind::kComma, ",")) return nullptr;
      if (Accept(TokenKind::kRBrace)) break;
    }
    return Finish(std::move(message));
  }

  // ---- literals ----
  ExprPtr ParseNumber(int32_t position, bool negative) {
    Token token = token_;
    Advance();
    ExprPtr constant = NewExpr(ExprKind::kConstant, position);
    std::string text = (negative ? "-" : "") + std::string(token.text);
    Constant& value = constant->constant;
    errno = 0;
    char* end = nullptr;

    if (token.kind == TokenKind::kDouble) {
      value.kind = Constant::Kind::kDouble;
      value.double_value = std::strtod(text.c_str(), &end);
      return constant;
    }
    bool hex = text.find("0x") != std::string::npos || text.find("0X") != std::string::npos;
    if (token.kind == TokenKind::kUint) {
      text.pop_back();
      value.kind = Constant::Kind::kUint;
      value.uint_value = std::strtoull(text.c_str(), &end, hex ? 16 : 10);
      if (errno == ERANGE) return InvalidNumber(position, token.text);
      return constant;
    }
    value.kind = Constant::Kind::kInt;
    value.int_value = std::strtoll(text.c_str(), &end, hex ? 16 : 10);
    if (errno == ERANGE) return InvalidNumber(position, token.text);
    return constant;
  }

  ExprPtr InvalidNumber(int32_t position, std::string_view text) {
    return Fail(position, "整数字面量 " + Quoted(text) + " 超出范围",
                "integer literal " + Quoted(text) + " is out of range");
  }

  ExprPtr ParseStringLiteral() {
    Token token = token_;
    Advance();
    ExprPtr constant = NewExpr(ExprKind::kConstant, token.position);
    Constant& value = constant->constant;
    value.kind = token.kind == TokenKind::kBytes ? Constant::Kind::kBytes : Constant::Kind::kString;
    LiteralError error;
    if (!DecodeLiteral(token.text, value.text, error)) {
      return Fail(token.position + error.offset, error.message_zh, error.message_en);
    }
    if (value.kind == Constant::Kind::kString && !IsValidUtf8(value.text)) {
      return Fail(token.position, "字符串不是有效的 UTF-8", "string is not valid UTF-8");
    }
    return constant;
  }

  // ---- macros ----
  ExprPtr ExpandHas(ExprPtr call) {
    if (call->args.size() != 1 || call->args[0]->kind != ExprKind::kSelect) {
      return Fail(call->position, "has() 的参数必须是字段选择，例如 has(a.b)",
                  "the argument of has() must be a field selection such as has(a.b)");
    }
    ExprPtr select = std::move(call->args[0]);
    select->test_only = true;
    return select;
  }

  // Returns the macro expansion of a receiver call, or nullptr when it is an ordinary call.
  ExprPtr ExpandReceiverMacro(ExprPtr& call) {
    static const struct {
      const char* name;
      size_t arity;
      MacroKind kind;
    } kMacros[] = {
        {"all", 2, MacroKind::kAll},         {"exists", 2, MacroKind::kExists},
        {"exists_one", 2, MacroKind::kExistsOne}, {"map", 2, MacroKind::kMap},
        {"map", 3, MacroKind::kMapFilter},   {"filter", 2, MacroKind::kFilter},
    };
    for (const auto& macro : kMacros) {
      if (call->name != macro.name || call->args.size() != macro.arity) continue;
      if (call->args[0]->kind != ExprKind::kIdent || call->args[0]->name.front() == '.') {
        return Fail(call->args[0]->position,
                    std::string(macro.name) + "() 的第一个参数必须是简单的变量名",
                    "the first argument of " + std::string(macro.name) +
                        "() must be a simple variable name");
      }
      ExprPtr comprehension = NewExpr(ExprKind::kComprehension, call->position);
      comprehension->macro = macro.kind;
      comprehension->iter_var = call->args[0]->name;
      comprehension->target = std::move(call->target);
      if (macro.arity == 3) comprehension->filter = std::move(call->args[1]);
      comprehension->step = std::move(call->args.back());
      return comprehension;
    }
    return nullptr;
  }

  std::string_view source_;
  const ParseOptions& options_;
  Lexer lexer_;
  Token token_;
  std::optional<Error> error_;
  int64_t last_id_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<ParsedExpr> Parse(std::string_view source, const ParseOptions& options) {
  if (source.size() > options.max_source_bytes) {
    return InvalidArgument("表达式过长（" + std::to_string(source.size()) + " 字节，上限 " +
                               std::to_string(options.max_source_bytes) + " 字节）",
                           "expression is too long (" + std::to_string(source.size()) +
                               " bytes, maximum " + std::to_string(options.max_source_bytes) +
                               " bytes)");
  }
  Parser parser(source, options);
  SR_ASSIGN_OR_RETURN(ExprPtr root, parser.ParseAll());
  ParsedExpr parsed;
  parsed.source = std::string(source);
  parsed.root = std::move(root);
  return parsed;
}

}  // namespace salesradar::cel
