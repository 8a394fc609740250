#include "textproto.h"

#include <cctype>

#include "cel/literal.h"

namespace salesradar::cel::testing {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Result<TextMessage> ReadAll() {
    TextMessage message;
    SR_RETURN_IF_ERROR(ReadFields(message, '\0'));
    return message;
  }

 private:
  Error Fail(const std::string& what) const {
    int line = 1;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) line += text_[i] == '\n' ? 1 : 0;
    std::string message = "textproto line " + std::to_string(line) + ": " + what;
    return InvalidArgument(message, message);
  }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';') {
        ++pos_;
      } else {
        return;
      }
    }
  }

  std::string ReadWord() {
    size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '+') {
        ++pos_;
      } else {
        break;
      }
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  Status ReadFields(TextMessage& message, char close) {
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size()) {
        if (close == '\0') return OkStatus();
        return Fail("unexpected end of file");
      }
      if (text_[pos_] == close) {
        ++pos_;
        return OkStatus();
      }
      TextField field;
      if (text_[pos_] == '[') {
        size_t end = text_.find(']', pos_);
        if (end == std::string_view::npos) return Fail("unterminated '['");
        field.name = std::string(text_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
      } else {
        field.name = ReadWord();
        if (field.name.empty()) return Fail(std::string("unexpected character '") + text_[pos_] + "'");
      }
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ':') {
        ++pos_;
        SkipSpace();
      }
      SR_RETURN_IF_ERROR(ReadValue(field));
      message.fields.push_back(std::move(field));
    }
  }

  Status ReadValue(TextField& field) {
    if (pos_ >= text_.size()) return Fail("missing value");
    char c = text_[pos_];
    if (c == '{' || c == '<') {
      ++pos_;
      field.is_message = true;
      field.message = std::make_shared<TextMessage>();
      return ReadFields(*field.message, c == '{' ? '}' : '>');
    }
    if (c == '"' || c == '\'') {
      field.is_string = true;
      // Adjacent string literals concatenate.
      while (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'')) {
        SR_RETURN_IF_ERROR(ReadString(field.scalar));
        size_t save = pos_;
        SkipSpace();
        if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'')) pos_ = save;
      }
      return OkStatus();
    }
    field.scalar = ReadWord();
    if (field.scalar.empty()) return Fail("missing value for field '" + field.name + "'");
    return OkStatus();
  }

  Status ReadString(std::string& out) {
    char quote = text_[pos_++];
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) return Fail("unterminated escape");
      char e = text_[pos_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'x': {
          int value = 0;
          int digits = 0;
          while (digits < 2 && pos_ < text_.size() && std::isxdigit(static_cast<unsigned char>(text_[pos_]))) {
            value = value * 16 + std::stoi(std::string(1, text_[pos_++]), nullptr, 16);
            ++digits;
          }
          out += static_cast<char>(value);
          break;
        }
        case 'u':
        case 'U': {
          size_t digits = e == 'u' ? 4 : 8;
          if (pos_ + digits > text_.size()) return Fail("short unicode escape");
          uint32_t code_point = static_cast<uint32_t>(std::stoul(std::string(text_.substr(pos_, digits)), nullptr, 16));
          pos_ += digits;
          AppendUtf8(code_point, out);
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int value = e - '0';
            for (int i = 0; i < 2 && pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '7'; ++i) {
              value = value * 8 + (text_[pos_++] - '0');
            }
            out += static_cast<char>(value);
          } else {
            out += e;
          }
      }
    }
    if (pos_ >= text_.size()) return Fail("unterminated string");
    ++pos_;
    return OkStatus();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

const TextField* TextMessage::Find(std::string_view name) const {
  for (const TextField& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::vector<const TextField*> TextMessage::FindAll(std::string_view name) const {
  std::vector<const TextField*> out;
  for (const TextField& field : fields) {
    if (field.name == name) out.push_back(&field);
  }
  return out;
}

Result<TextMessage> ParseTextProto(std::string_view text) { return Reader(text).ReadAll(); }

}  // namespace salesradar::cel::testing
