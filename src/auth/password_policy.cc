// The password policy of CheckPasswordPolicy.
#include <fmt/format.h>

#include "auth/password.h"

namespace salesradar::auth {
namespace {

// Returns the number of code points in `text`, or std::nullopt when it is not valid UTF-8.
std::optional<size_t> CountCodePoints(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                    : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) {
      return std::nullopt;
    }
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return std::nullopt;
      }
    }
    i += length;
    ++count;
  }
  return count;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

// Returns true when valid UTF-8 `text` is one code point repeated, such as "aaaa" or "密密密".
bool RepeatsOneCharacter(std::string_view text) {
  auto lead = static_cast<unsigned char>(text.front());
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : 4;
  if (text.size() % length != 0) {
    return false;
  }
  for (size_t i = length; i < text.size(); i += length) {
    if (text.substr(i, length) != text.substr(0, length)) {
      return false;
    }
  }
  return true;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view login) {
  if (password.size() > kMaxPasswordBytes) {
    return InvalidArgument(
        fmt::format("密码长度超过 {} 字节；请使用更短的密码", kMaxPasswordBytes),
        fmt::format("the password is longer than {} bytes; choose a shorter one",
                    kMaxPasswordBytes));
  }

  std::optional<size_t> length = CountCodePoints(password);
  if (!length) {
    return InvalidArgument("密码不是有效的 UTF-8 文本；请重新输入",
                           "the password is not valid UTF-8 text; enter it again");
  }
  if (*length < kMinPasswordLength) {
    return InvalidArgument(
        fmt::format("密码太短（{} 个字符）；至少需要 {} 个字符", *length, kMinPasswordLength),
        fmt::format("the password is too short ({} characters); use at least {}", *length,
                    kMinPasswordLength));
  }

  if (RepeatsOneCharacter(password)) {
    return InvalidArgument("密码只由一个重复的字符组成；请使用不同的字符",
                           "the password repeats one character only; mix different characters");
  }
  if (EqualsIgnoringAsciiCase(password, login)) {
    return InvalidArgument(fmt::format("密码不能与登录名 '{}' 相同", login),
                           fmt::format("the password must differ from the login name '{}'",
                                       login));
  }
  return OkStatus();
}

}  // namespace salesradar::auth
