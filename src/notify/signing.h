// The signatures that robots and webhook receivers check, and the encodings they use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salesradar::notify {

std::string HmacSha256(std::string_view key, std::string_view message);  // 32 raw bytes
std::string Base64(std::string_view bytes);                              // standard alphabet, padded
std::optional<std::string> DecodeBase64(std::string_view text);
std::string Hex(std::string_view bytes);                                 // lower case
// Percent-encodes every byte except A-Z a-z 0-9 - _ . ~ (RFC 3986 unreserved).
std::string UrlEncode(std::string_view text);

// DingTalk custom robot "加签": base64(HMAC-SHA256(key = secret, message = "<ms>\n<secret>")),
// URL-encoded, sent as &timestamp=<ms>&sign=<value> on the webhook URL.
std::string DingTalkSign(int64_t timestamp_ms, std::string_view secret);

// Feishu custom bot signature: base64(HMAC-SHA256(key = "<s>\n<secret>", message = "")), sent
// in the JSON body as "timestamp" (seconds, as a string) and "sign".
std::string FeishuSign(int64_t timestamp_s, std::string_view secret);

// The X-SalesRadar-Signature header of generic webhooks: "t=<unix seconds>,v1=<hex>" where hex
// is HMAC-SHA256(key = secret, message = "<t>.<body>") in lower-case hex.
std::string WebhookSignature(int64_t timestamp_s, std::string_view body, std::string_view secret);

}  // namespace salesradar::notify
