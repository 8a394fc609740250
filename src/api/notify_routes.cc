// /api/v1/notify: channels (robots, SMTP, webhooks) with write-only secrets, a test send, the
// addresses of users and departments, the message rows with the failures page, and the
// run-time settings (the weekly digest's schedule). Admins only.
#include <mutex>

#include <fmt/format.h>

#include "api/principal.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/store_pool.h"
#include "common/logging.h"
#include "notify/channel_config.h"
#include "notify/channel_sender.h"
#include "notify/digest_settings.h"
#include "notify/rate_limiter.h"
#include "notify/secret_box.h"
#include "server/error_mapping.h"
#include "store/notify_settings_store.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

// The secret key, loaded once from <data_dir>/secret.key (created when missing).
class NotifySecrets {
 public:
  explicit NotifySecrets(std::string path) : path_(std::move(path)) {}

  Result<notify::SecretBox> Box() {
    std::lock_guard lock(mutex_);
    if (!box_) {
      SR_ASSIGN_OR_RETURN(notify::SecretBox box, notify::SecretBox::LoadOrCreate(path_));
      box_.emplace(std::move(box));
    }
    return *box_;
  }

 private:
  std::string path_;
  std::mutex mutex_;
  std::optional<notify::SecretBox> box_;
};

store::AuditContext AuditOf(const Principal& principal, const Request& request) {
  if (principal.api_token_id) return store::AuditContext::Token(*principal.api_token_id, request.request_id);
  return store::AuditContext::User(principal.user_id, request.request_id);
}

Result<Principal> Admin(const Request& request, ApiContext& context, bool write) {
  SR_ASSIGN_OR_RETURN(Principal principal, write ? AuthenticateWrite(request, context) : Authenticate(request, context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  return principal;
}

Result<std::unique_ptr<store::NotifyStore>> OpenNotify(StoreLease& lease) { return lease->OpenNotifyStore(); }

Error ChannelNotFound(int64_t id) {
  return NotFound(fmt::format("通知渠道 {} 不存在", id), fmt::format("notification channel {} does not exist", id));
}

Result<json> OpenSecrets(notify::SecretBox& box, const std::string& sealed) {
  if (sealed.empty()) return json::object();
  SR_ASSIGN_OR_RETURN(std::string plain, box.Open(sealed));
  json secrets = json::parse(plain, nullptr, false);
  return secrets.is_object() ? secrets : json::object();
}

// The channel as the API shows it: settings, the names of the secrets that are set (never their
// values), and the number of its messages per state.
json ChannelJson(const store::NotifyChannel& channel, const json& secrets,
                 const std::vector<store::NotifyStateCount>& counts) {
  json secret_names = json::array();
  for (const auto& [name, value] : secrets.items()) secret_names.push_back(name);
  json messages = {{"pending", 0}, {"sending", 0}, {"sent", 0}, {"failed", 0}, {"unknown", 0}};
  for (const store::NotifyStateCount& count : counts) {
    if (count.channel_id == channel.id) messages[count.state] = count.count;
  }
  return {{"id", channel.id},
          {"name", channel.name},
          {"kind", channel.kind},
          {"enabled", channel.enabled},
          {"config", json::parse(channel.config, nullptr, false)},
          {"secrets_set", secret_names},
          {"messages", messages},
          {"created_at", FormatTime(channel.created_at)},
          {"updated_at", FormatTime(channel.updated_at)}};
}

json MessageJson(const store::NotifyMessage& message) {
  return {{"id", message.id},
          {"source", message.source},
          {"channel_id", message.channel_id},
          {"target", message.target},
          {"locale", message.locale},
          {"body", json::parse(message.body, nullptr, false)},
          {"state", message.state},
          {"attempts", message.attempts},
          {"next_attempt_at", FormatTime(message.next_attempt_at)},
          {"last_error", message.last_error},
          {"created_at", FormatTime(message.created_at)},
          {"sent_at", message.sent_at ? json(FormatTime(*message.sent_at)) : json(nullptr)}};
}

Result<json> ObjectField(const json& body, std::string_view field) {
  if (!body.contains(field)) return json::object();
  const json& value = body[std::string(field)];
  if (!value.is_object()) {
    return InvalidArgument(fmt::format("字段 {} 必须是 JSON 对象", field), fmt::format("field {} must be a JSON object", field))
        .AddDetail("field", std::string(field));
  }
  return value;
}

Result<notify::ChannelKind> KindOf(const std::string& name) {
  std::optional<notify::ChannelKind> kind = notify::ParseChannelKind(name);
  if (!kind) {
    return InvalidArgument(fmt::format("渠道类型“{}”无效；可选 wecom、dingtalk、feishu、smtp、webhook", name),
                           fmt::format("channel kind '{}' is invalid; use wecom, dingtalk, feishu, smtp or webhook", name))
        .AddDetail("field", "kind");
  }
  return *kind;
}

Status CheckName(const std::string& name) {
  if (name.empty() || name.size() > 100) {
    return InvalidArgument("渠道名称必须是 1 到 100 个字节", "the channel name must be 1 to 100 bytes").AddDetail("field", "name");
  }
  return OkStatus();
}

// Applies a PATCH of secrets: a string sets the secret, null removes it.
json MergeSecrets(json stored, const json& patch) {
  for (const auto& [name, value] : patch.items()) {
    if (value.is_null()) stored.erase(name);
    else stored[name] = value;
  }
  return stored;
}

// Returns the channel's JSON after a write, with fresh counts.
Result<Response> ChannelResponse(int status, store::NotifyStore& notify, notify::SecretBox& box, int64_t id) {
  SR_ASSIGN_OR_RETURN(std::optional<store::NotifyChannel> channel, notify.GetChannel(id));
  if (!channel) return ChannelNotFound(id);
  SR_ASSIGN_OR_RETURN(json secrets, OpenSecrets(box, channel->sealed_secrets));
  SR_ASSIGN_OR_RETURN(std::vector<store::NotifyStateCount> counts, notify.CountMessages());
  return Response::Json(status, ChannelJson(*channel, secrets, counts));
}

// Returns the 429 response to a test send while the robot's rate limit is spent, with Retry-After.
Response RobotBusy(const Request& request, int64_t channel_id, Microseconds retry_after) {
  int64_t seconds = std::max<int64_t>(1, std::chrono::ceil<std::chrono::seconds>(retry_after).count());
  Error error(ErrorCode::kResourceExhausted,
              fmt::format("通知渠道 {} 已达到平台的发送频率上限；请在 {} 秒后再发送测试消息", channel_id, seconds),
              fmt::format("notification channel {} has reached its platform's rate limit; send the test again in {} s",
                          channel_id, seconds));
  Response response = server::ErrorResponse(server::ApiErrorFrom(error), request.locale, request.request_id);
  response.headers.Set("Retry-After", std::to_string(seconds));
  return response;
}

json SettingsJson(const notify::DigestSchedule& current, const notify::DigestSchedule& configured) {
  return {{"digest_weekday", current.weekday},
          {"digest_hour", current.hour},
          {"digest_time_zone", current.time_zone},
          {"configured",
           {{"digest_weekday", configured.weekday},
            {"digest_hour", configured.hour},
            {"digest_time_zone", configured.time_zone}}}};
}

// One field of a settings PUT: absent leaves it, null returns it to the configured value.
Result<std::optional<std::optional<std::string>>> SettingChange(const json& body, std::string_view field) {
  if (!body.contains(field)) return std::optional<std::optional<std::string>>();
  const json& value = body[std::string(field)];
  if (value.is_null()) return std::optional<std::optional<std::string>>(std::optional<std::string>());
  if (field == notify::kDigestTimeZoneSetting) {
    if (!value.is_string()) {
      return InvalidArgument("digest_time_zone 必须是字符串，例如 \"Asia/Shanghai\"",
                             "digest_time_zone must be a string such as \"Asia/Shanghai\"")
          .AddDetail("field", std::string(field));
    }
    SR_RETURN_IF_ERROR(notify::CheckDigestTimeZone(value.get<std::string>()));
    return std::optional<std::optional<std::string>>(value.get<std::string>());
  }
  if (!value.is_number_integer()) {
    return InvalidArgument(fmt::format("{} 必须是整数", field), fmt::format("{} must be a whole number", field))
        .AddDetail("field", std::string(field));
  }
  int64_t number = value.get<int64_t>();
  SR_RETURN_IF_ERROR(field == notify::kDigestWeekdaySetting ? notify::CheckDigestWeekday(number)
                                                            : notify::CheckDigestHour(number));
  return std::optional<std::optional<std::string>>(std::to_string(number));
}

class NotifyRoutes {
 public:
  NotifyRoutes(ApiContext& context)
      : context_(context),
        secrets_(context.config.data_dir + "/secret.key"),
        configured_(notify::ConfiguredDigestSchedule(context.config)),
        limiter_(notify::SharedRateLimiter(context.config.database)) {}

  Result<Response> ListChannels(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, false));
    SR_ASSIGN_OR_RETURN(notify::SecretBox box, secrets_.Box());
    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_ASSIGN_OR_RETURN(std::vector<store::NotifyChannel> channels, notify->ListChannels());
    SR_ASSIGN_OR_RETURN(std::vector<store::NotifyStateCount> counts, notify->CountMessages());

    json items = json::array();
    for (const store::NotifyChannel& channel : channels) {
      Result<json> secrets = OpenSecrets(box, channel.sealed_secrets);
      items.push_back(ChannelJson(channel, secrets.ok() ? *secrets : json::object(), counts));
    }
    return ListPage(items, std::nullopt);
  }

  Result<Response> GetChannel(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, false));
    SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
    SR_ASSIGN_OR_RETURN(notify::SecretBox box, secrets_.Box());
    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    return ChannelResponse(200, *notify, box, id);
  }

  Result<Response> CreateChannel(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, true));
    SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
    SR_ASSIGN_OR_RETURN(std::string name, RequiredString(body, "name"));
    SR_ASSIGN_OR_RETURN(std::string kind_name, RequiredString(body, "kind"));
    SR_ASSIGN_OR_RETURN(std::optional<bool> enabled, OptionalBool(body, "enabled"));
    SR_ASSIGN_OR_RETURN(json config, ObjectField(body, "config"));
    SR_ASSIGN_OR_RETURN(json secrets, ObjectField(body, "secrets"));
    SR_RETURN_IF_ERROR(CheckName(name));
    SR_ASSIGN_OR_RETURN(notify::ChannelKind kind, KindOf(kind_name));
    SR_RETURN_IF_ERROR(notify::ValidateChannelSettings(kind, config, secrets, true));
    SR_ASSIGN_OR_RETURN(notify::SecretBox box, secrets_.Box());

    store::NotifyChannel channel;
    channel.name = name;
    channel.kind = kind_name;
    channel.enabled = enabled.value_or(true);
    channel.config = config.dump();
    channel.sealed_secrets = secrets.empty() ? "" : box.Seal(secrets.dump());

    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_ASSIGN_OR_RETURN(int64_t id, notify->CreateChannel(channel, AuditOf(principal, request)));
    return ChannelResponse(201, *notify, box, id);
  }

  Result<Response> UpdateChannel(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, true));
    SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
    SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
    SR_ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(body, "name"));
    SR_ASSIGN_OR_RETURN(std::optional<bool> enabled, OptionalBool(body, "enabled"));
    SR_ASSIGN_OR_RETURN(json secrets_patch, ObjectField(body, "secrets"));
    SR_ASSIGN_OR_RETURN(notify::SecretBox box, secrets_.Box());

    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_ASSIGN_OR_RETURN(std::optional<store::NotifyChannel> channel, notify->GetChannel(id));
    if (!channel) return ChannelNotFound(id);

    if (name) {
      SR_RETURN_IF_ERROR(CheckName(*name));
      channel->name = *name;
    }
    if (enabled) channel->enabled = *enabled;
    json config = json::parse(channel->config, nullptr, false);
    if (body.contains("config")) {
      SR_ASSIGN_OR_RETURN(config, ObjectField(body, "config"));
    }
    SR_ASSIGN_OR_RETURN(json stored_secrets, OpenSecrets(box, channel->sealed_secrets));
    json secrets = MergeSecrets(stored_secrets, secrets_patch);

    SR_ASSIGN_OR_RETURN(notify::ChannelKind kind, KindOf(channel->kind));
    SR_RETURN_IF_ERROR(notify::ValidateChannelSettings(kind, config, secrets, true));
    channel->config = config.dump();
    channel->sealed_secrets = secrets.empty() ? "" : box.Seal(secrets.dump());
    SR_RETURN_IF_ERROR(notify->UpdateChannel(*channel, AuditOf(principal, request)));
    return ChannelResponse(200, *notify, box, id);
  }

  Result<Response> DeleteChannel(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, true));
    SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_RETURN_IF_ERROR(notify->DeleteChannel(id, AuditOf(principal, request)));
    return Response::NoContent();
  }

  // Sends one test message now, outside the outbox but within the robot's rate limit (the one
  // the worker uses), and returns the outcome; 429 with Retry-After when the limit is spent.
  Result<Response> TestChannel(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, true));
    SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
    std::optional<std::string> target;
    if (!request.body.empty()) {
      SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
      SR_ASSIGN_OR_RETURN(target, OptionalString(body, "target"));
    }
    SR_ASSIGN_OR_RETURN(notify::SecretBox box, secrets_.Box());

    store::NotifyChannel channel;
    {
      SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
      SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
      SR_ASSIGN_OR_RETURN(std::optional<store::NotifyChannel> found, notify->GetChannel(id));
      if (!found) return ChannelNotFound(id);
      channel = *found;
    }
    SR_ASSIGN_OR_RETURN(notify::ChannelSpec spec, notify::BuildChannelSpec(channel, box));
    Timestamp now = context_.clock.Now();
    if (notify::IsRobot(spec.kind)) {
      std::optional<Timestamp> retry_at = limiter_->TryAcquire(id, spec.kind, now);
      if (retry_at) {
        Logger("notify")->info("notify channel {}: test message refused, the rate limit is spent", id);
        return RobotBusy(request, id, *retry_at - now);
      }
    }

    notify::MessageEntry entry;
    entry.kind = "test";
    entry.title = request.locale == Locale::kEnglish ? "SalesRadar test message" : "销售雷达测试消息";
    entry.text = request.locale == Locale::kEnglish
                     ? fmt::format("Channel \"{}\" is set up correctly.", channel.name)
                     : fmt::format("通知渠道“{}”配置正确。", channel.name);
    std::vector<notify::MessageEntry> entries = {entry};
    notify::SendRequest send{entries, request.locale, 0, fmt::format("test:{}", id), target.value_or(""),
                             now};
    notify::SendOutcome outcome = notify::Send(spec, send, std::chrono::seconds(10));
    if (outcome.kind == notify::SendOutcome::Kind::kRateLimited) limiter_->Block(id, now + outcome.block);

    bool sent = outcome.kind == notify::SendOutcome::Kind::kSent;
    if (!sent) Logger("notify")->warn("notify channel {}: test message failed: {}", id, outcome.error);
    return Response::Json(200, {{"sent", sent}, {"error", sent ? json(nullptr) : json(outcome.error)}});
  }

  Result<Response> GetAddresses(const Request& request, std::string owner_kind) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, false));
    SR_ASSIGN_OR_RETURN(std::string owner, Owner(request, owner_kind));
    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    return AddressesResponse(*notify, owner_kind, owner);
  }

  Result<Response> PutAddresses(const Request& request, std::string owner_kind) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, true));
    SR_ASSIGN_OR_RETURN(std::string owner, Owner(request, owner_kind));
    SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
    SR_ASSIGN_OR_RETURN(std::vector<store::NotifyAddress> addresses, ParseAddresses(body));

    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    if (owner_kind == "user") {
      SR_ASSIGN_OR_RETURN(int64_t user_id, IntParam(request, "id"));
      SR_ASSIGN_OR_RETURN(auth::Viewer viewer, lease->ViewerForUser(user_id));
      (void)viewer;
    }
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_RETURN_IF_ERROR(notify->ReplaceAddresses(owner_kind, owner, addresses, AuditOf(principal, request)));
    return AddressesResponse(*notify, owner_kind, owner);
  }

  Result<Response> ListMessages(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, false));
    SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
    store::NotifyMessageFilter filter;
    filter.limit = page.limit + 1;
    if (std::optional<std::string_view> state = request.Query("state"); state && !state->empty()) {
      static const std::vector<std::string> kStates = {"pending", "sending", "sent", "failed", "unknown"};
      if (std::find(kStates.begin(), kStates.end(), *state) == kStates.end()) {
        return InvalidArgument("查询参数 state 无效；可选 pending、sending、sent、failed、unknown",
                               "query parameter state is invalid; use pending, sending, sent, failed or unknown")
            .AddDetail("field", "state");
      }
      filter.state = std::string(*state);
    }
    SR_ASSIGN_OR_RETURN(filter.channel_id, OptionalIntQuery(request, "channel_id"));
    if (page.cursor) {
      SR_ASSIGN_OR_RETURN(json position, DecodeCursor(*page.cursor));
      if (!position.is_number_integer()) {
        return InvalidArgument("查询参数 cursor 无效；请去掉 cursor 从第一页重新开始",
                               "query parameter cursor is invalid; start again from the first page without cursor")
            .AddDetail("field", "cursor");
      }
      filter.after_id = position.get<int64_t>();
    }

    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_ASSIGN_OR_RETURN(std::vector<store::NotifyMessage> messages, notify->ListMessages(filter));

    std::optional<std::string> next;
    if (static_cast<int>(messages.size()) > page.limit) {
      messages.resize(static_cast<size_t>(page.limit));
      next = EncodeCursor(messages.back().id);
    }
    json items = json::array();
    for (const store::NotifyMessage& message : messages) items.push_back(MessageJson(message));
    return ListPage(items, next);
  }

  Result<Response> ResendMessage(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, true));
    SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_RETURN_IF_ERROR(notify->Resend(id, context_.clock.Now(), AuditOf(principal, request)));
    return Response::NoContent();
  }

  Result<Response> GetSettings(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, false));
    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_ASSIGN_OR_RETURN(store::NotifySettingsStore * settings, store::NotifySettingsOf(*notify));
    return SettingsResponse(*settings);
  }

  // Sets the fields the body names; null returns a field to the server's configured value.
  Result<Response> PutSettings(const Request& request) {
    SR_ASSIGN_OR_RETURN(Principal principal, Admin(request, context_, true));
    SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
    std::map<std::string, std::optional<std::string>> changes;
    for (std::string_view field :
         {notify::kDigestWeekdaySetting, notify::kDigestHourSetting, notify::kDigestTimeZoneSetting}) {
      SR_ASSIGN_OR_RETURN(auto change, SettingChange(body, field));
      if (change) changes[std::string(field)] = *change;
    }

    SR_ASSIGN_OR_RETURN(StoreLease lease, context_.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, OpenNotify(lease));
    SR_ASSIGN_OR_RETURN(store::NotifySettingsStore * settings, store::NotifySettingsOf(*notify));
    if (!changes.empty()) SR_RETURN_IF_ERROR(settings->PutNotifySettings(changes, AuditOf(principal, request)));
    return SettingsResponse(*settings);
  }

 private:
  static Result<std::string> Owner(const Request& request, const std::string& owner_kind) {
    if (owner_kind == "user") {
      SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
      return std::to_string(id);
    }
    std::string name(request.Param("name").value_or(""));
    if (name.empty() || name.size() > 100) {
      return InvalidArgument("部门名称必须是 1 到 100 个字节", "the department name must be 1 to 100 bytes")
          .AddDetail("field", "name");
    }
    return name;
  }

  static Result<std::vector<store::NotifyAddress>> ParseAddresses(const json& body) {
    if (!body.contains("items") || !body["items"].is_array()) {
      return InvalidArgument("请求体必须包含数组 items", "the body must contain an array items").AddDetail("field", "items");
    }
    std::vector<store::NotifyAddress> addresses;
    for (size_t i = 0; i < body["items"].size(); ++i) {
      const json& item = body["items"][i];
      std::string field = fmt::format("items[{}]", i);
      if (!item.is_object() || !item.contains("channel_id") || !item["channel_id"].is_number_integer()) {
        return InvalidArgument(fmt::format("{}.channel_id 必须是整数", field), fmt::format("{}.channel_id must be an integer", field))
            .AddDetail("field", field + ".channel_id");
      }
      store::NotifyAddress address;
      address.channel_id = item["channel_id"].get<int64_t>();
      address.target = item.value("target", "");
      address.locale = item.value("locale", "zh-CN");
      if (address.locale != "zh-CN" && address.locale != "en") {
        return InvalidArgument(fmt::format("{}.locale 必须是 zh-CN 或 en", field), fmt::format("{}.locale must be zh-CN or en", field))
            .AddDetail("field", field + ".locale");
      }
      addresses.push_back(std::move(address));
    }
    return addresses;
  }

  static Result<Response> AddressesResponse(store::NotifyStore& notify, const std::string& owner_kind,
                                            const std::string& owner) {
    SR_ASSIGN_OR_RETURN(std::vector<store::NotifyAddress> addresses, notify.ListAddresses(owner_kind, owner));
    json items = json::array();
    for (const store::NotifyAddress& address : addresses) {
      items.push_back({{"id", address.id}, {"channel_id", address.channel_id}, {"target", address.target},
                       {"locale", address.locale}});
    }
    return ListPage(items, std::nullopt);
  }

  Result<Response> SettingsResponse(store::NotifySettingsStore& settings) {
    SR_ASSIGN_OR_RETURN(auto stored, settings.NotifySettings());
    SR_ASSIGN_OR_RETURN(notify::DigestSchedule current, notify::ApplyDigestSettings(configured_, stored));
    return Response::Json(200, SettingsJson(current, configured_));
  }

  ApiContext& context_;
  NotifySecrets secrets_;
  notify::DigestSchedule configured_;
  std::shared_ptr<notify::RateLimiter> limiter_;
};

}  // namespace

void RegisterNotifyRoutes(server::Router& router, ApiContext& context) {
  auto routes = std::make_shared<NotifyRoutes>(context);
  auto bind = [routes](Result<Response> (NotifyRoutes::*method)(const Request&)) {
    return [routes, method](const Request& request) { return ((*routes).*method)(request); };
  };

  router.Add(Method::kGet, "/api/v1/notify/channels", bind(&NotifyRoutes::ListChannels));
  router.Add(Method::kPost, "/api/v1/notify/channels", bind(&NotifyRoutes::CreateChannel));
  router.Add(Method::kGet, "/api/v1/notify/channels/{id}", bind(&NotifyRoutes::GetChannel));
  router.Add(Method::kPatch, "/api/v1/notify/channels/{id}", bind(&NotifyRoutes::UpdateChannel));
  router.Add(Method::kDelete, "/api/v1/notify/channels/{id}", bind(&NotifyRoutes::DeleteChannel));
  router.Add(Method::kPost, "/api/v1/notify/channels/{id}/test", bind(&NotifyRoutes::TestChannel));
  router.Add(Method::kGet, "/api/v1/notify/addresses/users/{id}",
             [routes](const Request& request) { return routes->GetAddresses(request, "user"); });
  router.Add(Method::kPut, "/api/v1/notify/addresses/users/{id}",
             [routes](const Request& request) { return routes->PutAddresses(request, "user"); });
  router.Add(Method::kGet, "/api/v1/notify/addresses/departments/{name}",
             [routes](const Request& request) { return routes->GetAddresses(request, "department"); });
  router.Add(Method::kPut, "/api/v1/notify/addresses/departments/{name}",
             [routes](const Request& request) { return routes->PutAddresses(request, "department"); });
  router.Add(Method::kGet, "/api/v1/notify/messages", bind(&NotifyRoutes::ListMessages));
  router.Add(Method::kPost, "/api/v1/notify/messages/{id}/resend", bind(&NotifyRoutes::ResendMessage));
  router.Add(Method::kGet, "/api/v1/notify/settings", bind(&NotifyRoutes::GetSettings));
  router.Add(Method::kPut, "/api/v1/notify/settings", bind(&NotifyRoutes::PutSettings));
}

}  // namespace salesradar::api
