#include "api/event_body.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/rule_support.h"

namespace salesradar::api {
namespace {

// Returned with the first error; a body with more bad events still lists this many at most.
constexpr size_t kMaxListedProblems = 100;

struct Problem {
  std::string where;  // "line 3" or "events[2]"
  std::string field;
  LocalizedText text;
};

class EventReader {
 public:
  EventReader(const nlohmann::json& json, Timestamp received_at) : json_(json) { event_.received_at = received_at; }

  // Returns the event, or the problems of this object (field and text).
  std::optional<rules::Event> Read(std::vector<std::pair<std::string, LocalizedText>>& problems) {
    problems_ = &problems;
    if (!json_.is_object()) {
      Add("", {"事件必须是 JSON 对象", "an event must be a JSON object"});
      return std::nullopt;
    }

    for (const auto& [key, value] : json_.items()) {
      if (!IsKnownField(key)) {
        Add(key, {"未知字段；可用字段为 id、type、occurred_at、subject、actor、payload、origin_rule、causation_depth",
                  "unknown field; the fields are id, type, occurred_at, subject, actor, payload, origin_rule, "
                  "causation_depth"});
      }
    }

    event_.id = RequiredText("id");
    event_.type = RequiredText("type");
    ReadSubject();
    ReadOccurredAt();
    event_.actor = OptionalText("actor");
    event_.origin_rule = OptionalText("origin_rule");
    ReadPayload();
    ReadCausationDepth();

    if (!problems.empty()) return std::nullopt;
    return std::move(event_);
  }

 private:
  static bool IsKnownField(std::string_view key) {
    for (std::string_view known :
         {"id", "type", "occurred_at", "subject", "actor", "payload", "origin_rule", "causation_depth"}) {
      if (key == known) return true;
    }
    return false;
  }

  void Add(std::string field, LocalizedText text) { problems_->push_back({std::move(field), std::move(text)}); }

  std::string RequiredText(const std::string& field) { return TextAt(json_, field, field, /*required=*/true); }
  std::string OptionalText(const std::string& field) { return TextAt(json_, field, field, /*required=*/false); }

  std::string TextAt(const nlohmann::json& object, const std::string& key, const std::string& field, bool required) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
      if (required) Add(field, {"缺少必填字段；请填写非空字符串", "missing; give a non-empty string"});
      return "";
    }
    if (!found->is_string()) {
      Add(field, {"必须是字符串", "must be a string"});
      return "";
    }
    std::string text = found->get<std::string>();
    if (required && text.empty()) Add(field, {"不能为空", "must not be empty"});
    return text;
  }

  void ReadSubject() {
    auto subject = json_.find("subject");
    if (subject == json_.end() || !subject->is_object()) {
      Add("subject", {"缺少或不是对象；请写成 {\"type\": \"lead\", \"id\": \"L-1042\"}",
                      "missing or not an object; write {\"type\": \"lead\", \"id\": \"L-1042\"}"});
      return;
    }
    event_.subject.type = TextAt(*subject, "type", "subject.type", /*required=*/true);
    event_.subject.id = TextAt(*subject, "id", "subject.id", /*required=*/true);
  }

  void ReadOccurredAt() {
    std::string text = RequiredText("occurred_at");
    if (text.empty()) return;
    Result<Timestamp> parsed = ParseOffsetTime(text);
    if (!parsed.ok()) {
      Add("occurred_at", {"时间无效；请写成 2026-03-01T09:00:00+08:00 这样带时区偏移的格式",
                          "invalid time; write it with a UTC offset, as in 2026-03-01T09:00:00+08:00"});
      return;
    }
    event_.occurred_at = *parsed;
  }

  void ReadPayload() {
    auto payload = json_.find("payload");
    if (payload == json_.end() || payload->is_null()) return;
    if (!payload->is_object()) {
      Add("payload", {"必须是 JSON 对象", "must be a JSON object"});
      return;
    }
    event_.payload = *payload;
  }

  void ReadCausationDepth() {
    auto depth = json_.find("causation_depth");
    if (depth == json_.end() || depth->is_null()) return;
    if (!depth->is_number_integer() || depth->get<int64_t>() < 0 || depth->get<int64_t>() > 1000) {
      Add("causation_depth", {"必须是 0 到 1000 的整数", "must be an integer from 0 to 1000"});
      return;
    }
    event_.causation_depth = depth->get<int>();
  }

  const nlohmann::json& json_;
  rules::Event event_;
  std::vector<std::pair<std::string, LocalizedText>>* problems_ = nullptr;
};

// Reads one event object; records its problems under `where`.
void ReadOne(const nlohmann::json& json, std::string where, Timestamp received_at, std::vector<rules::Event>& events,
             std::vector<Problem>& problems) {
  std::vector<std::pair<std::string, LocalizedText>> found;
  std::optional<rules::Event> event = EventReader(json, received_at).Read(found);
  if (event) {
    events.push_back(std::move(*event));
    return;
  }
  for (auto& [field, text] : found) problems.push_back({where, std::move(field), std::move(text)});
}

Error InvalidJson(const std::string& where, const nlohmann::json::parse_error& error) {
  return InvalidArgument(fmt::format("{}：不是有效的 JSON（第 {} 字节）", where, error.byte),
                         fmt::format("{}: not valid JSON (at byte {})", where, error.byte));
}

Result<nlohmann::json> ParseJson(std::string_view text, const std::string& where, std::vector<Problem>& problems) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    problems.push_back({where, "", {fmt::format("不是有效的 JSON（第 {} 字节）", error.byte),
                                    fmt::format("not valid JSON (at byte {})", error.byte)}});
    return InvalidJson(where, error);
  }
}

Error ProblemsError(const std::vector<Problem>& problems, Locale locale) {
  const Problem& first = problems.front();
  std::string first_zh = first.field.empty() ? first.text.zh : first.field + "：" + first.text.zh;
  std::string first_en = first.field.empty() ? first.text.en : first.field + ": " + first.text.en;
  Error error = InvalidArgument(
      fmt::format("{} 处事件无效，未提交任何事件；第一处：{} {}", problems.size(), first.where, first_zh),
      fmt::format("{} problem(s) in the events, nothing was committed; the first: {}: {}", problems.size(),
                  first.where, first_en));
  for (size_t i = 0; i < problems.size() && i < kMaxListedProblems; ++i) {
    const Problem& problem = problems[i];
    const std::string& text = problem.text.in(locale);
    error.AddDetail(problem.where, problem.field.empty() ? text : problem.field + ": " + text);
  }
  return error;
}

void ParseNdjson(std::string_view body, Timestamp received_at, std::vector<rules::Event>& events,
                 std::vector<Problem>& problems) {
  size_t line_number = 0;
  while (!body.empty()) {
    size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    ++line_number;

    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;

    std::string where = fmt::format("line {}", line_number);
    Result<nlohmann::json> json = ParseJson(line, where, problems);
    if (json.ok()) ReadOne(*json, where, received_at, events, problems);
  }
}

void ParseJsonBody(std::string_view body, Timestamp received_at, std::vector<rules::Event>& events,
                   std::vector<Problem>& problems) {
  Result<nlohmann::json> json = ParseJson(body, "body", problems);
  if (!json.ok()) return;

  auto batch = json->is_object() ? json->find("events") : json->end();
  if (!json->is_object() || batch == json->end()) {
    ReadOne(*json, "body", received_at, events, problems);
    return;
  }
  if (!batch->is_array() || json->size() != 1) {
    problems.push_back({"body", "events", {"必须是事件对象的数组，且是唯一的字段", "must be an array of event objects and the only field"}});
    return;
  }
  for (size_t i = 0; i < batch->size(); ++i) {
    ReadOne((*batch)[i], fmt::format("events[{}]", i), received_at, events, problems);
  }
}

}  // namespace

Result<std::vector<rules::Event>> ParseEventBody(std::string_view body, EventBodyFormat format, Timestamp received_at,
                                                 Locale locale) {
  std::vector<rules::Event> events;
  std::vector<Problem> problems;
  if (format == EventBodyFormat::kNdjson) {
    ParseNdjson(body, received_at, events, problems);
  } else {
    ParseJsonBody(body, received_at, events, problems);
  }

  if (!problems.empty()) return ProblemsError(problems, locale);
  if (events.empty()) {
    return InvalidArgument("请求中没有事件；请发送一个事件对象、{\"events\": [...]} 或每行一个事件的 NDJSON",
                           "the request contains no events; send one event object, {\"events\": [...]} or NDJSON "
                           "with one event per line");
  }
  return events;
}

}  // namespace salesradar::api
