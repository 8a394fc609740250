#include "rules/event.h"

namespace salesradar::rules {

std::string SubjectRef::ToString() const { return type + "/" + id; }

namespace {

Error MissingField(const Event& event, const char* field) {
  std::string name = event.id.empty() ? std::string("(no id)") : event.id;
  return InvalidArgument("事件 '" + name + "'：缺少字段 " + field + "；请填写后重新提交",
                         "event '" + name + "': field " + field + " is missing; set it and submit again");
}

}  // namespace

Status ValidateEvent(const Event& event) {
  if (event.id.empty()) return MissingField(event, "id");
  if (event.type.empty()) return MissingField(event, "type");
  if (event.subject.type.empty()) return MissingField(event, "subject_type");
  if (event.subject.id.empty()) return MissingField(event, "subject_id");

  if (!event.payload.is_object()) {
    return InvalidArgument("事件 '" + event.id + "'：payload 必须是 JSON 对象（当前是 " +
                               std::string(event.payload.type_name()) + "）",
                           "event '" + event.id + "': payload must be a JSON object, not " +
                               std::string(event.payload.type_name()));
  }
  if (event.causation_depth < 0) {
    return InvalidArgument("事件 '" + event.id + "'：causation_depth 不能为负数（当前 " +
                               std::to_string(event.causation_depth) + "）",
                           "event '" + event.id + "': causation_depth must be 0 or more, not " +
                               std::to_string(event.causation_depth));
  }
  return OkStatus();
}

}  // namespace salesradar::rules
