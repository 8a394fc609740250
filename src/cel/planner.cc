#include "cel/planner.h"

#include <optional>
#include <string>

#include "cel/activation.h"
#include "cel/containers.h"
#include "cel/source.h"

namespace salesradar::cel {
namespace {

class Planner {
 public:
  Planner(const Env& env, std::string_view source, const CheckedExpr* checked,
          std::vector<std::unique_ptr<Node>>& nodes, Arena& constants)
      : env_(env), source_(source), checked_(checked), nodes_(nodes), constants_(constants) {}

  Result<const Node*> Plan(const Expr& expr) {
    SR_ASSIGN_OR_RETURN(const Node* node, PlanUnfolded(expr));
    return Fold(node);
  }

 private:
  // Replaces a node whose inputs are all constants, and whose functions are foldable, by the
  // constant it evaluates to.
  const Node* Fold(const Node* node) {
    switch (node->op) {
      case Node::Op::kCall:
        if (node->overloads.empty()) return node;
        for (const RuntimeOverload& overload : node->overloads) {
          if (!overload.foldable) return node;
        }
        break;
      case Node::Op::kAnd:
      case Node::Op::kOr:
      case Node::Op::kNot:
      case Node::Op::kEquals:
      case Node::Op::kConditional:
      case Node::Op::kList:
      case Node::Op::kMap:
      case Node::Op::kSelect:
      case Node::Op::kHas: break;
      default: return node;
    }
    for (const Node* child : node->children) {
      if (child->op != Node::Op::kConstant) return node;
    }
    EmptyActivation nothing;
    Value value = EvaluateNode(*node, nothing, constants_, 0);
    if (value.is_error() && value.error_message() == kOutOfMemoryMessage) return node;
    Node* folded = NewNode(Node::Op::kConstant, node->position);
    folded->constant = value;
    return folded;
  }

  Result<const Node*> PlanUnfolded(const Expr& expr) {
    switch (expr.kind) {
      case ExprKind::kConstant: return PlanConstant(expr);
      case ExprKind::kIdent:
      case ExprKind::kSelect: return PlanNameOrSelect(expr);
      case ExprKind::kCall: return PlanCall(expr);
      case ExprKind::kList: return PlanList(expr);
      case ExprKind::kMap: return PlanMap(expr);
      case ExprKind::kStruct:
        return SourceError(source_, expr.position,
                           "不支持构造消息 '" + expr.name + "'",
                           "constructing message '" + expr.name + "' is not supported");
      case ExprKind::kComprehension: return PlanComprehension(expr);
    }
    return Internal("未知的表达式类型", "unknown expression kind");
  }

  Node* NewNode(Node::Op op, const Expr& expr) { return NewNode(op, expr.position); }

  Node* NewNode(Node::Op op, int32_t position) {
    nodes_.push_back(std::make_unique<Node>());
    Node* node = nodes_.back().get();
    node->op = op;
    node->position = position;
    BindEvaluator(*node);  // bound again once the children are known; see PlanExpression()
    return node;
  }

  Result<const Node*> PlanConstant(const Expr& expr) {
    Node* node = NewNode(Node::Op::kConstant, expr);
    const Constant& c = expr.constant;
    switch (c.kind) {
      case Constant::Kind::kNull: node->constant = Value::Null(); break;
      case Constant::Kind::kBool: node->constant = Value::Bool(c.bool_value); break;
      case Constant::Kind::kInt: node->constant = Value::Int(c.int_value); break;
      case Constant::Kind::kUint: node->constant = Value::Uint(c.uint_value); break;
      case Constant::Kind::kDouble: node->constant = Value::Double(c.double_value); break;
      case Constant::Kind::kString:
        node->text = c.text;
        node->constant = Value::String(node->text);
        break;
      case Constant::Kind::kBytes:
        node->text = c.text;
        node->constant = Value::Bytes(node->text);
        break;
    }
    return node;
  }

  // Returns the dotted name of an identifier or a chain of selections on one, or nullopt.
  static std::optional<std::string> DottedName(const Expr& expr) {
    if (expr.kind == ExprKind::kIdent) return expr.name;
    if (expr.kind != ExprKind::kSelect || expr.test_only) return std::nullopt;
    std::optional<std::string> prefix = DottedName(*expr.target);
    if (!prefix) return std::nullopt;
    return *prefix + "." + expr.name;
  }

  int FindSlot(std::string_view name) const {
    for (int i = static_cast<int>(scopes_.size()) - 1; i >= 0; --i) {
      if (scopes_[static_cast<size_t>(i)] == name) return i;
    }
    return -1;
  }

  Node* TypeConstant(const Expr& expr, const std::string& type_name) {
    Node* node = NewNode(Node::Op::kConstant, expr);
    node->text = type_name;
    node->constant = Value::Type(node->text);
    return node;
  }

  Result<const Node*> PlanNameOrSelect(const Expr& expr) {
    if (checked_ != nullptr) {
      if (auto it = checked_->type_refs.find(expr.id); it != checked_->type_refs.end()) {
        return TypeConstant(expr, it->second);
      }
      if (auto it = checked_->variable_refs.find(expr.id); it != checked_->variable_refs.end()) {
        Node* node = NewNode(Node::Op::kVariable, expr);
        node->candidates.push_back({it->second, {}});
        node->unresolved_name = it->second;
        return node;
      }
    }

    std::optional<std::string> dotted = DottedName(expr);
    bool root_is_slot = false;
    if (dotted) {
      std::string root = dotted->substr(0, dotted->find('.'));
      root_is_slot = FindSlot(root) >= 0;
    }
    if (dotted && !root_is_slot && checked_ == nullptr) return PlanQualifiedName(expr, *dotted);

    if (expr.kind == ExprKind::kIdent) {
      int slot = FindSlot(expr.name);
      if (slot >= 0) {
        Node* node = NewNode(Node::Op::kSlot, expr);
        node->slot = slot;
        return node;
      }
      return PlanQualifiedName(expr, expr.name);
    }

    SR_ASSIGN_OR_RETURN(const Node* operand, Plan(*expr.target));
    Node* node = NewNode(expr.test_only ? Node::Op::kHas : Node::Op::kSelect, expr);
    node->field = expr.name;
    node->children.push_back(operand);
    return node;
  }

  // Plans `a.b.c`: any prefix may be a variable (container applied), the rest field
  // selections; the longest variable name wins.
  Result<const Node*> PlanQualifiedName(const Expr& expr, const std::string& dotted) {
    Node* node = NewNode(Node::Op::kVariable, expr);
    node->unresolved_name = dotted;

    std::vector<std::string> parts;
    bool root = !dotted.empty() && dotted.front() == '.';
    size_t start = root ? 1 : 0;
    while (true) {
      size_t dot = dotted.find('.', start);
      parts.push_back(dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }

    for (size_t length = parts.size(); length >= 1; --length) {
      std::string prefix = root ? "." : "";
      for (size_t i = 0; i < length; ++i) prefix += (i > 0 ? "." : "") + parts[i];
      std::vector<std::string> fields(parts.begin() + static_cast<std::ptrdiff_t>(length), parts.end());
      for (std::string& candidate : env_.CandidateNames(prefix)) {
        node->candidates.push_back({std::move(candidate), fields});
      }
    }

    for (const std::string& candidate : env_.CandidateNames(dotted)) {
      if (BuiltinTypeNamed(candidate) != nullptr || env_.FindMessage(candidate) != nullptr) {
        node->has_type_fallback = true;
        node->text = candidate;
        node->constant = Value::Type(node->text);
        break;
      }
    }
    return node;
  }

  Result<const Node*> PlanCall(const Expr& expr) {
    Node::Op op = Node::Op::kCall;
    if (expr.target == nullptr) {
      if (expr.name == op::kAnd) op = Node::Op::kAnd;
      if (expr.name == op::kOr) op = Node::Op::kOr;
      if (expr.name == op::kNot) op = Node::Op::kNot;
      if (expr.name == op::kConditional) op = Node::Op::kConditional;
      if (expr.name == op::kEquals || expr.name == op::kNotEquals) op = Node::Op::kEquals;
    }
    Node* node = NewNode(op, expr);
    node->negate = expr.name == op::kNotEquals;
    node->function = expr.name;
    if (expr.target != nullptr) {
      SR_ASSIGN_OR_RETURN(const Node* receiver, Plan(*expr.target));
      node->children.push_back(receiver);
    }
    for (const ExprPtr& arg : expr.args) {
      SR_ASSIGN_OR_RETURN(const Node* planned, Plan(*arg));
      node->children.push_back(planned);
    }
    if (op != Node::Op::kCall) return node;

    if (node->children.size() > kMaxArity) {
      return SourceError(source_, expr.position,
                         "函数 '" + expr.name + "' 的参数过多",
                         "too many arguments for function '" + expr.name + "'");
    }
    // The checker narrows the overloads to those that fit the argument types.
    if (checked_ != nullptr) {
      if (auto it = checked_->overload_refs.find(expr.id); it != checked_->overload_refs.end()) {
        for (const Overload* overload : it->second) node->overloads.emplace_back(*overload);
        return node;
      }
    }
    const std::vector<Overload>* overloads = env_.functions().Find(expr.name);
    if (overloads != nullptr) {
      bool receiver = expr.target != nullptr;
      for (const Overload& overload : *overloads) {
        if (overload.receiver != receiver || overload.params.size() != node->children.size()) continue;
        node->overloads.emplace_back(overload);
      }
    }
    return node;
  }

  Result<const Node*> PlanList(const Expr& expr) {
    Node* node = NewNode(Node::Op::kList, expr);
    for (const ExprPtr& element : expr.args) {
      SR_ASSIGN_OR_RETURN(const Node* planned, Plan(*element));
      node->children.push_back(planned);
    }
    return node;
  }

  Result<const Node*> PlanMap(const Expr& expr) {
    Node* node = NewNode(Node::Op::kMap, expr);
    for (const Entry& entry : expr.entries) {
      SR_ASSIGN_OR_RETURN(const Node* key, Plan(*entry.key));
      SR_ASSIGN_OR_RETURN(const Node* value, Plan(*entry.value));
      node->children.push_back(key);
      node->children.push_back(value);
    }
    return node;
  }

  Result<const Node*> PlanComprehension(const Expr& expr) {
    if (static_cast<int>(scopes_.size()) >= kMaxComprehensionNesting) {
      return SourceError(source_, expr.position, "宏嵌套过深（上限 32 层）",
                         "macros are nested too deeply (maximum 32 levels)");
    }
    Node* node = NewNode(Node::Op::kComprehension, expr);
    node->macro = expr.macro;
    node->slot = static_cast<int>(scopes_.size());
    SR_ASSIGN_OR_RETURN(const Node* range, Plan(*expr.target));
    node->children.push_back(range);

    scopes_.push_back(expr.iter_var);
    Result<const Node*> step = Plan(*expr.step);
    Result<const Node*> filter = expr.filter ? Plan(*expr.filter) : Result<const Node*>(nullptr);
    scopes_.pop_back();
    if (!step.ok()) return std::move(step).error();
    if (!filter.ok()) return std::move(filter).error();
    node->children.push_back(*step);
    if (*filter != nullptr) node->children.push_back(*filter);
    return node;
  }

  const Env& env_;
  std::string_view source_;
  const CheckedExpr* checked_;
  std::vector<std::unique_ptr<Node>>& nodes_;
  Arena& constants_;
  std::vector<std::string> scopes_;  // comprehension variables; the index is the slot
};

}  // namespace

Result<const Node*> PlanExpression(const Env& env, std::string_view source, const Expr& root,
                                   const CheckedExpr* checked,
                                   std::vector<std::unique_ptr<Node>>& nodes, Arena& constants) {
  Planner planner(env, source, checked, nodes, constants);
  SR_ASSIGN_OR_RETURN(const Node* planned, planner.Plan(root));
  for (const std::unique_ptr<Node>& node : nodes) BindEvaluator(*node);
  return planned;
}

}  // namespace salesradar::cel
