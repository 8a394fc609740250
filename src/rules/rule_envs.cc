#include "rules/rule_envs.h"

#include "rules/event_object.h"

namespace salesradar::rules {

RuleEnvs BuildRuleEnvs(const SubjectSchema& schema) {
  cel::Env base = cel::Env::Standard();
  base.DeclareMessage(EventMessageDecl());
  base.DeclareMessage(schema.message);

  cel::Type event = cel::Type::Message(std::string(kEventTypeName));
  cel::Type subject = cel::Type::Message(schema.message.name);

  RuleEnvs envs{base, base, base, base};
  envs.event_and_subject.DeclareVariable("event", event).DeclareVariable("subject", subject);
  envs.event_only.DeclareVariable("event", event);
  envs.trigger_awaited_and_subject.DeclareVariable("trigger", event)
      .DeclareVariable("awaited", event)
      .DeclareVariable("subject", subject);
  envs.awaited_only.DeclareVariable("awaited", event);
  return envs;
}

}  // namespace salesradar::rules
