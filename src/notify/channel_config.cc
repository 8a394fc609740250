#include "notify/channel_config.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace salesradar::notify {
namespace {

struct KindRules {
  std::vector<std::string> config_fields;
  std::vector<std::string> formats;  // the first is the default; empty for no format
  std::vector<std::string> secret_fields;
  std::vector<std::string> required_config;
  std::vector<std::string> required_secrets;
};

KindRules RulesOf(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kWecom:
      return {{"endpoint", "format"}, {"markdown", "text"}, {"key"}, {}, {"key"}};
    case ChannelKind::kDingTalk:
      return {{"endpoint", "format"}, {"markdown", "text", "action_card"}, {"access_token", "sign_secret"}, {}, {"access_token"}};
    case ChannelKind::kFeishu:
      return {{"endpoint", "format"}, {"interactive", "post", "text"}, {"hook_token", "sign_secret"}, {}, {"hook_token"}};
    case ChannelKind::kWebhook:
      return {{"url"}, {}, {"signing_secret"}, {"url"}, {"signing_secret"}};
    case ChannelKind::kSmtp:
      return {{"host", "port", "from", "username", "starttls"}, {}, {"password"}, {"host", "from"}, {}};
  }
  return {};
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Error FieldError(std::string_view object, const std::string& field, std::string_view zh_problem,
                 std::string_view en_problem) {
  return InvalidArgument(fmt::format("{}.{}：{}", object, field, zh_problem),
                         fmt::format("{}.{}: {}", object, field, en_problem));
}

Status CheckObject(std::string_view object, const nlohmann::json& value, const std::vector<std::string>& allowed,
                   const std::vector<std::string>& required, bool check_required) {
  if (!value.is_object()) {
    return InvalidArgument(fmt::format("{} 必须是 JSON 对象", object), fmt::format("{} must be a JSON object", object));
  }
  for (const auto& [field, field_value] : value.items()) {
    if (!Contains(allowed, field)) {
      return FieldError(object, field, fmt::format("未知字段；可用字段：{}", fmt::join(allowed, ", ")),
                        fmt::format("unknown field; known fields: {}", fmt::join(allowed, ", ")));
    }
    bool typed_ok = field == "port" ? field_value.is_number_integer()
                    : field == "starttls" ? field_value.is_boolean()
                                          : field_value.is_string();
    if (!typed_ok) return FieldError(object, field, "类型不对", "has the wrong type");
  }
  if (!check_required) return OkStatus();
  for (const std::string& field : required) {
    if (!value.contains(field) || (value[field].is_string() && value[field].get<std::string>().empty())) {
      return FieldError(object, field, "缺少必填字段", "is required");
    }
  }
  return OkStatus();
}

Status CheckUrl(const std::string& field, const std::string& url) {
  if (url.starts_with("https://") || url.starts_with("http://")) return OkStatus();
  return FieldError("config", field, "必须以 https:// 或 http:// 开头", "must start with https:// or http://");
}

}  // namespace

std::optional<ChannelKind> ParseChannelKind(std::string_view name) {
  if (name == "wecom") return ChannelKind::kWecom;
  if (name == "dingtalk") return ChannelKind::kDingTalk;
  if (name == "feishu") return ChannelKind::kFeishu;
  if (name == "smtp") return ChannelKind::kSmtp;
  if (name == "webhook") return ChannelKind::kWebhook;
  return std::nullopt;
}

std::string_view ChannelKindName(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kWecom: return "wecom";
    case ChannelKind::kDingTalk: return "dingtalk";
    case ChannelKind::kFeishu: return "feishu";
    case ChannelKind::kSmtp: return "smtp";
    case ChannelKind::kWebhook: return "webhook";
  }
  return "wecom";
}

bool IsRobot(ChannelKind kind) {
  return kind == ChannelKind::kWecom || kind == ChannelKind::kDingTalk || kind == ChannelKind::kFeishu;
}

Status ValidateChannelSettings(ChannelKind kind, const nlohmann::json& config, const nlohmann::json& secrets,
                               bool secrets_required) {
  KindRules rules = RulesOf(kind);
  SR_RETURN_IF_ERROR(CheckObject("config", config, rules.config_fields, rules.required_config, true));
  SR_RETURN_IF_ERROR(CheckObject("secrets", secrets, rules.secret_fields, rules.required_secrets, secrets_required));

  if (config.contains("format") && !Contains(rules.formats, config["format"].get<std::string>())) {
    return FieldError("config", "format", fmt::format("可选值：{}", fmt::join(rules.formats, ", ")),
                      fmt::format("must be one of {}", fmt::join(rules.formats, ", ")));
  }
  if (config.contains("endpoint")) SR_RETURN_IF_ERROR(CheckUrl("endpoint", config["endpoint"]));
  if (config.contains("url")) SR_RETURN_IF_ERROR(CheckUrl("url", config["url"]));
  if (config.contains("port")) {
    int64_t port = config["port"].get<int64_t>();
    if (port < 1 || port > 65535) return FieldError("config", "port", "必须在 1 到 65535 之间", "must be 1 to 65535");
  }
  return OkStatus();
}

Result<ChannelSpec> BuildChannelSpec(const store::NotifyChannel& channel, const SecretBox& box) {
  std::optional<ChannelKind> kind = ParseChannelKind(channel.kind);
  nlohmann::json config = nlohmann::json::parse(channel.config, nullptr, false);
  if (!kind || !config.is_object()) {
    return Error(ErrorCode::kDataLoss, fmt::format("通知渠道 {} 的配置已损坏；请重新保存该渠道", channel.id),
                 fmt::format("notification channel {}: stored settings are corrupt; save the channel again", channel.id));
  }

  nlohmann::json secrets = nlohmann::json::object();
  if (!channel.sealed_secrets.empty()) {
    SR_ASSIGN_OR_RETURN(std::string plain, box.Open(channel.sealed_secrets));
    secrets = nlohmann::json::parse(plain, nullptr, false);
    if (!secrets.is_object()) secrets = nlohmann::json::object();
  }

  ChannelSpec spec;
  spec.id = channel.id;
  spec.name = channel.name;
  spec.kind = *kind;
  spec.enabled = channel.enabled;
  std::vector<std::string> formats = RulesOf(*kind).formats;
  spec.format = config.value("format", formats.empty() ? std::string() : formats.front());
  switch (*kind) {
    case ChannelKind::kWecom:
      spec.endpoint = config.value("endpoint", std::string(kWecomEndpoint));
      spec.key = secrets.value("key", "");
      break;
    case ChannelKind::kDingTalk:
      spec.endpoint = config.value("endpoint", std::string(kDingTalkEndpoint));
      spec.key = secrets.value("access_token", "");
      spec.sign_secret = secrets.value("sign_secret", "");
      break;
    case ChannelKind::kFeishu:
      spec.endpoint = config.value("endpoint", std::string(kFeishuEndpoint));
      spec.key = secrets.value("hook_token", "");
      spec.sign_secret = secrets.value("sign_secret", "");
      break;
    case ChannelKind::kWebhook:
      spec.endpoint = config.value("url", "");
      spec.sign_secret = secrets.value("signing_secret", "");
      break;
    case ChannelKind::kSmtp:
      spec.host = config.value("host", "");
      spec.port = config.value("port", int64_t{587});
      spec.from = config.value("from", "");
      spec.username = config.value("username", "");
      spec.starttls = config.value("starttls", true);
      spec.password = secrets.value("password", "");
      break;
  }
  return spec;
}

}  // namespace salesradar::notify
