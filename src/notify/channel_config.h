// A channel as the worker uses it: the stored row's settings with its secrets opened, checked
// per kind. The API writes settings (`config`) and secrets separately; secrets are write-only.
//
// Settings and secrets per kind (JSON objects):
//   wecom     config {endpoint?, format: "markdown"|"text"}                 secrets {key}
//   dingtalk  config {endpoint?, format: "markdown"|"text"|"action_card"}   secrets {access_token, sign_secret?}
//   feishu    config {endpoint?, format: "interactive"|"post"|"text"}       secrets {hook_token, sign_secret?}
//   webhook   config {url}                                                  secrets {signing_secret}
//   smtp      config {host, port?, from, username?, starttls?: true|false}  secrets {password?}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "notify/secret_box.h"
#include "store/notify_store.h"

namespace salesradar::notify {

enum class ChannelKind { kWecom, kDingTalk, kFeishu, kSmtp, kWebhook };

std::optional<ChannelKind> ParseChannelKind(std::string_view name);
std::string_view ChannelKindName(ChannelKind kind);
bool IsRobot(ChannelKind kind);

// The official endpoints; `endpoint` in the config replaces them (a proxy, or a test fake).
inline constexpr std::string_view kWecomEndpoint = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send";
inline constexpr std::string_view kDingTalkEndpoint = "https://oapi.dingtalk.com/robot/send";
inline constexpr std::string_view kFeishuEndpoint = "https://open.feishu.cn/open-apis/bot/v2/hook";

struct ChannelSpec {
  int64_t id = 0;
  std::string name;
  ChannelKind kind = ChannelKind::kWecom;
  bool enabled = true;
  std::string endpoint;  // robots: the base URL; webhook: the URL
  std::string format;
  std::string key;          // WeCom key, DingTalk access_token or Feishu hook token
  std::string sign_secret;  // DingTalk or Feishu signing secret, webhook signing secret
  // SMTP
  std::string host;
  int64_t port = 587;
  std::string from;
  std::string username;
  std::string password;
  bool starttls = true;
};

// Checks `config` and `secrets` of a channel of `kind`: required fields present, known fields
// only, formats and ports valid. `secrets_required` is false for an update that keeps the stored
// secrets. Returns kInvalidArgument naming the field and the fix.
Status ValidateChannelSettings(ChannelKind kind, const nlohmann::json& config, const nlohmann::json& secrets,
                               bool secrets_required);

// Builds the spec of a stored channel, opening its secrets with `box`.
Result<ChannelSpec> BuildChannelSpec(const store::NotifyChannel& channel, const SecretBox& box);

}  // namespace salesradar::notify
