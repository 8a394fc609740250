#include "notify/signing.h"

#include <sodium.h>

#include "auth/sodium_init.h"

namespace salesradar::notify {

std::string HmacSha256(std::string_view key, std::string_view message) {
  auth::EnsureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

std::string Base64(std::string_view bytes) {
  auth::EnsureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL;
  std::string text(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    kVariant);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  auth::EnsureSodium();
  std::string bytes(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(),
                        nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  bytes.resize(length);
  return bytes;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 0x0f]);
  }
  return text;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~';
    if (unreserved) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kDigits[c >> 4]);
      encoded.push_back(kDigits[c & 0x0f]);
    }
  }
  return encoded;
}

std::string DingTalkSign(int64_t timestamp_ms, std::string_view secret) {
  std::string to_sign = std::to_string(timestamp_ms) + "\n" + std::string(secret);
  return UrlEncode(Base64(HmacSha256(secret, to_sign)));
}

std::string FeishuSign(int64_t timestamp_s, std::string_view secret) {
  std::string key = std::to_string(timestamp_s) + "\n" + std::string(secret);
  return Base64(HmacSha256(key, ""));
}

std::string WebhookSignature(int64_t timestamp_s, std::string_view body, std::string_view secret) {
  std::string t = std::to_string(timestamp_s);
  return "t=" + t + ",v1=" + Hex(HmacSha256(secret, t + "." + std::string(body)));
}

}  // namespace salesradar::notify
