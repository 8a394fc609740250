#include "cel/program.h"

#include <algorithm>

#include "cel/plan.h"
#include "cel/planner.h"

namespace salesradar::cel {

Result<Program> Compile(const Env& env, std::string_view source, const CompileOptions& options) {
  SR_ASSIGN_OR_RETURN(ParsedExpr parsed, Parse(source, options.parse));

  Program program;
  program.source_ = parsed.source;
  program.max_iterations_ = options.max_iterations;
  program.result_type_ = Type::Dyn();

  std::optional<CheckedExpr> checked;
  if (options.check) {
    SR_ASSIGN_OR_RETURN(CheckedExpr result, Check(env, parsed));
    program.result_type_ = result.result_type;
    checked = std::move(result);
  }

  program.constants_ = std::make_unique<Arena>();
  SR_ASSIGN_OR_RETURN(const Node* root,
                      PlanExpression(env, parsed.source, *parsed.root,
                                     checked ? &*checked : nullptr, program.nodes_,
                                     *program.constants_));
  program.root_ = root;
  for (const std::unique_ptr<Node>& node : program.nodes_) {
    if (node->op == Node::Op::kComprehension) program.slot_count_ = std::max(program.slot_count_, node->slot + 1);
  }
  return program;
}

}  // namespace salesradar::cel
