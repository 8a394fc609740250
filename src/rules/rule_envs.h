// The CEL environments that rule expressions compile against, one set per subject type.
#pragma once

#include "cel/env.h"
#include "rules/subject.h"

namespace salesradar::rules {

struct RuleEnvs {
  cel::Env event_and_subject;              // event, subject
  cel::Env event_only;                     // event
  cel::Env trigger_awaited_and_subject;    // trigger, awaited, subject
  cel::Env awaited_only;                   // awaited
};

// Builds the environments for rules about `schema`'s subject type: the standard library, the
// Event type and the subject's object type, with the variables listed above.
RuleEnvs BuildRuleEnvs(const SubjectSchema& schema);

}  // namespace salesradar::rules
