#include "api/request_io.h"

#include <charconv>
#include <chrono>
#include <string>

#include <fmt/format.h>

#include "common/error.h"

namespace salesradar::api {
namespace {

using nlohmann::json;

constexpr int kDefaultPageLimit = 50;
constexpr int kMaxPageLimit = 500;

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i];
    char b = prefix[i];
    if (a >= 'A' && a <= 'Z') {
      a = static_cast<char>(a - 'A' + 'a');
    }
    if (a != b) {
      return false;
    }
  }
  return true;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<int64_t> ParseInt64(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

Error WrongType(std::string_view field, std::string_view type_zh, std::string_view type_en) {
  return InvalidArgument(fmt::format("字段 {} 必须是{}", field, type_zh),
                         fmt::format("field {} must be {}", field, type_en))
      .AddDetail("field", std::string(field));
}

const json* FindField(const json& body, std::string_view field) {
  auto it = body.find(std::string(field));
  if (it == body.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

// Reads `count` decimal digits at `pos`, advancing it; nullopt when they are not all digits.
std::optional<int> ReadDigits(std::string_view text, size_t& pos, size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool Expect(std::string_view text, size_t& pos, char expected) {
  if (pos >= text.size() || text[pos] != expected) {
    return false;
  }
  ++pos;
  return true;
}

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; nullopt when the text has another
// shape or names a day or time that does not exist.
std::optional<Timestamp> ParseRfc3339(std::string_view text) {
  size_t pos = 0;
  auto year = ReadDigits(text, pos, 4);
  if (!year || !Expect(text, pos, '-')) return std::nullopt;
  auto month = ReadDigits(text, pos, 2);
  if (!month || !Expect(text, pos, '-')) return std::nullopt;
  auto day = ReadDigits(text, pos, 2);
  if (!day || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
  ++pos;
  auto hour = ReadDigits(text, pos, 2);
  if (!hour || !Expect(text, pos, ':')) return std::nullopt;
  auto minute = ReadDigits(text, pos, 2);
  if (!minute || !Expect(text, pos, ':')) return std::nullopt;
  auto second = ReadDigits(text, pos, 2);
  if (!second) return std::nullopt;

  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) {
      micros *= 10;
    }
  }

  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    auto offset_hours = ReadDigits(text, pos, 2);
    if (!offset_hours || !Expect(text, pos, ':')) return std::nullopt;
    auto offset_mins = ReadDigits(text, pos, 2);
    if (!offset_mins || *offset_hours > 23 || *offset_mins > 59) return std::nullopt;
    offset_minutes = sign * (*offset_hours * 60 + *offset_mins);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  std::chrono::year_month_day date{std::chrono::year(*year),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;

  auto local = std::chrono::sys_days(date) + std::chrono::hours(*hour) +
               std::chrono::minutes(*minute) + std::chrono::seconds(*second) +
               Microseconds(micros);
  return Timestamp(std::chrono::duration_cast<Microseconds>(local.time_since_epoch()) -
                   std::chrono::duration_cast<Microseconds>(std::chrono::minutes(offset_minutes)));
}

constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64UrlEncode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : data) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kBase64UrlAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) {
    out.push_back(kBase64UrlAlphabet[(buffer << (6 - bits)) & 0x3F]);
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    size_t index = kBase64UrlAlphabet.find(c);
    if (index == std::string_view::npos) {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

Error InvalidCursor() {
  return InvalidArgument("查询参数 cursor 无效；请去掉 cursor 从第一页重新开始",
                         "query parameter cursor is invalid; start again from the first page "
                         "without cursor")
      .AddDetail("field", "cursor");
}

}  // namespace

Result<json> ParseJsonObject(const server::Request& request) {
  std::optional<std::string_view> content_type = request.Header("Content-Type");
  if (!content_type || !StartsWithIgnoringCase(TrimSpaces(*content_type), "application/json")) {
    return InvalidArgument("请求体必须是 JSON；请设置 Content-Type: application/json",
                           "the request body must be JSON; set Content-Type: application/json");
  }
  if (request.body.empty()) {
    return InvalidArgument("请求体为空；请发送一个 JSON 对象",
                           "the request body is empty; send a JSON object");
  }

  json body;
  try {
    body = json::parse(request.body);
  } catch (const json::parse_error& error) {
    return InvalidArgument(
        fmt::format("请求体不是有效的 JSON（第 {} 字节附近）", error.byte),
        fmt::format("the request body is not valid JSON (near byte {})", error.byte));
  }
  if (!body.is_object()) {
    return InvalidArgument("请求体必须是 JSON 对象 {...}",
                           "the request body must be a JSON object {...}");
  }
  return body;
}

Result<std::string> RequiredString(const json& body, std::string_view field) {
  const json* value = FindField(body, field);
  if (value == nullptr) {
    return InvalidArgument(fmt::format("缺少字段 {}", field), fmt::format("missing field {}", field))
        .AddDetail("field", std::string(field));
  }
  if (!value->is_string()) {
    return WrongType(field, "字符串", "a string");
  }
  return value->get<std::string>();
}

Result<std::optional<std::string>> OptionalString(const json& body, std::string_view field) {
  const json* value = FindField(body, field);
  if (value == nullptr) {
    return std::optional<std::string>();
  }
  if (!value->is_string()) {
    return WrongType(field, "字符串", "a string");
  }
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<int64_t>> OptionalInt(const json& body, std::string_view field) {
  const json* value = FindField(body, field);
  if (value == nullptr) {
    return std::optional<int64_t>();
  }
  if (!value->is_number_integer()) {
    return WrongType(field, "整数", "an integer");
  }
  return std::optional<int64_t>(value->get<int64_t>());
}

Result<std::optional<bool>> OptionalBool(const json& body, std::string_view field) {
  const json* value = FindField(body, field);
  if (value == nullptr) {
    return std::optional<bool>();
  }
  if (!value->is_boolean()) {
    return WrongType(field, "true 或 false", "true or false");
  }
  return std::optional<bool>(value->get<bool>());
}

Result<Timestamp> ParseTimeParameter(std::string_view field, std::string_view text) {
  std::optional<Timestamp> time = ParseRfc3339(text);
  if (!time) {
    return InvalidArgument(
               fmt::format("{} 的时间 '{}' 无效；请写 RFC 3339 格式并带时区，例如 "
                           "2026-03-01T09:00:00+08:00",
                           field, text),
               fmt::format("{}: invalid time '{}'; write RFC 3339 with an offset, such as "
                           "2026-03-01T09:00:00+08:00",
                           field, text))
        .AddDetail("field", std::string(field));
  }
  return *time;
}

Result<std::optional<Timestamp>> OptionalTimeQuery(const server::Request& request,
                                                   std::string_view name) {
  std::optional<std::string_view> text = request.Query(name);
  if (!text || text->empty()) {
    return std::optional<Timestamp>();
  }
  SR_ASSIGN_OR_RETURN(Timestamp time, ParseTimeParameter(name, *text));
  return std::optional<Timestamp>(time);
}

std::string FormatTime(Timestamp time) {
  auto days = std::chrono::floor<std::chrono::days>(time);
  std::chrono::year_month_day date{days};
  auto in_day = time - days;
  auto hours = std::chrono::duration_cast<std::chrono::hours>(in_day);
  auto minutes = std::chrono::duration_cast<std::chrono::minutes>(in_day - hours);
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(in_day - hours - minutes);
  int64_t micros = (in_day - hours - minutes - seconds).count();

  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                                 static_cast<unsigned>(date.month()),
                                 static_cast<unsigned>(date.day()), hours.count(), minutes.count(),
                                 seconds.count());
  if (micros != 0) {
    text += fmt::format(".{:06}", micros);
  }
  text += 'Z';
  return text;
}

Result<PageRequest> ParsePageRequest(const server::Request& request) {
  PageRequest page;
  if (std::optional<std::string_view> limit = request.Query("limit")) {
    std::optional<int64_t> value = ParseInt64(*limit);
    if (!value || *value < 1 || *value > kMaxPageLimit) {
      return InvalidArgument(
                 fmt::format("查询参数 limit 的值 '{}' 无效；请写 1 到 {} 的整数", *limit,
                             kMaxPageLimit),
                 fmt::format("query parameter limit '{}' is invalid; write an integer from 1 to {}",
                             *limit, kMaxPageLimit))
          .AddDetail("field", "limit");
    }
    page.limit = static_cast<int>(*value);
  } else {
    page.limit = kDefaultPageLimit;
  }

  if (std::optional<std::string_view> cursor = request.Query("cursor")) {
    if (cursor->empty()) {
      return InvalidCursor();
    }
    page.cursor = std::string(*cursor);
  }
  return page;
}

std::string EncodeCursor(const json& position) { return Base64UrlEncode(position.dump()); }

Result<json> DecodeCursor(std::string_view cursor) {
  std::optional<std::string> text = Base64UrlDecode(cursor);
  if (!text) {
    return InvalidCursor();
  }
  json position = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (position.is_discarded()) {
    return InvalidCursor();
  }
  return position;
}

server::Response ListPage(json items, std::optional<std::string> next_cursor) {
  json body = json::object();
  body["items"] = std::move(items);
  body["next_cursor"] = next_cursor ? json(*next_cursor) : json(nullptr);
  return server::Response::Json(200, body);
}

Result<int64_t> IntParam(const server::Request& request, std::string_view name) {
  std::optional<std::string_view> text = request.Param(name);
  std::optional<int64_t> value = text ? ParseInt64(*text) : std::nullopt;
  if (!value) {
    return InvalidArgument(
               fmt::format("路径参数 {} 必须是整数，收到 '{}'", name, text.value_or("")),
               fmt::format("path parameter {} must be an integer, got '{}'", name,
                           text.value_or("")))
        .AddDetail("field", std::string(name));
  }
  return *value;
}

Result<std::optional<int64_t>> OptionalIntQuery(const server::Request& request,
                                                std::string_view name) {
  std::optional<std::string_view> text = request.Query(name);
  if (!text) {
    return std::optional<int64_t>();
  }
  std::optional<int64_t> value = ParseInt64(*text);
  if (!value) {
    return InvalidArgument(
               fmt::format("查询参数 {} 必须是整数，收到 '{}'", name, *text),
               fmt::format("query parameter {} must be an integer, got '{}'", name, *text))
        .AddDetail("field", std::string(name));
  }
  return value;
}

std::vector<std::string> ListQuery(const server::Request& request, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : request.query) {
    if (key != name) {
      continue;
    }
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view item = TrimSpaces(rest.substr(0, comma));
      if (!item.empty()) {
        values.emplace_back(item);
      }
      if (comma == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(comma + 1);
    }
  }
  return values;
}

}  // namespace salesradar::api
