// Turns a (checked or unchecked) syntax tree into the evaluation plan. Internal.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "cel/arena.h"
#include "cel/ast.h"
#include "cel/checker.h"
#include "cel/env.h"
#include "cel/plan.h"
#include "common/result.h"

namespace salesradar::cel {

// Builds the plan of `root` into `nodes` and returns its root node. `checked` may be null.
// Subexpressions that read no variable and call only foldable functions are evaluated here,
// once. Their values live in `constants`, which must live as long as the plan.
Result<const Node*> PlanExpression(const Env& env, std::string_view source, const Expr& root,
                                   const CheckedExpr* checked,
                                   std::vector<std::unique_ptr<Node>>& nodes, Arena& constants);

}  // namespace salesradar::cel
