#include "cel/lexer.h"

namespace salesradar::cel {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsIdentStart(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

}  // namespace

Token Lexer::Make(TokenKind kind, size_t start, size_t end) const {
  return Token{kind, source_.substr(start, end - start), static_cast<int32_t>(start)};
}

void Lexer::SkipSpaceAndComments() {
  while (pos_ < source_.size()) {
    char c = source_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < source_.size() && source_[pos_ + 1] == '/') {
      while (pos_ < source_.size() && source_[pos_] != '\n') ++pos_;
    } else {
      return;
    }
  }
}

Token Lexer::Next() {
  SkipSpaceAndComments();
  size_t start = pos_;
  if (pos_ >= source_.size()) return Make(TokenKind::kEnd, start, start);

  char c = source_[pos_];
  char next = pos_ + 1 < source_.size() ? source_[pos_ + 1] : '\0';

  if (IsDigit(c) || (c == '.' && IsDigit(next))) return LexNumber(start);
  if (c == '"' || c == '\'') return LexString(start, pos_);
  if (c == '`') return LexQuotedIdent(start);
  if (IsIdentStart(c)) {
    // A string prefix is one or two of r, R, b, B directly before the quote.
    size_t p = pos_;
    bool raw = false;
    bool bytes = false;
    while (p < source_.size() && p < pos_ + 2) {
      char q = source_[p];
      if ((q == 'r' || q == 'R') && !raw) {
        raw = true;
      } else if ((q == 'b' || q == 'B') && !bytes) {
        bytes = true;
      } else {
        break;
      }
      ++p;
    }
    if (p > pos_ && p < source_.size() && (source_[p] == '"' || source_[p] == '\'')) {
      return LexString(start, p);
    }
    while (pos_ < source_.size() && IsIdentChar(source_[pos_])) ++pos_;
    return Make(TokenKind::kIdent, start, pos_);
  }

  auto two = [&](char second, TokenKind if_two, TokenKind if_one) {
    if (next == second) {
      pos_ += 2;
      return Make(if_two, start, pos_);
    }
    ++pos_;
    return Make(if_one, start, pos_);
  };
  switch (c) {
    case '(': ++pos_; return Make(TokenKind::kLParen, start, pos_);
    case ')': ++pos_; return Make(TokenKind::kRParen, start, pos_);
    case '[': ++pos_; return Make(TokenKind::kLBracket, start, pos_);
    case ']': ++pos_; return Make(TokenKind::kRBracket, start, pos_);
    case '{': ++pos_; return Make(TokenKind::kLBrace, start, pos_);
    case '}': ++pos_; return Make(TokenKind::kRBrace, start, pos_);
    case '.': ++pos_; return Make(TokenKind::kDot, start, pos_);
    case ',': ++pos_; return Make(TokenKind::kComma, start, pos_);
    case ':': ++pos_; return Make(TokenKind::kColon, start, pos_);
    case '?': ++pos_; return Make(TokenKind::kQuestion, start, pos_);
    case '+': ++pos_; return Make(TokenKind::kPlus, start, pos_);
    case '-': ++pos_; return Make(TokenKind::kMinus, start, pos_);
    case '*': ++pos_; return Make(TokenKind::kStar, start, pos_);
    case '/': ++pos_; return Make(TokenKind::kSlash, start, pos_);
    case '%': ++pos_; return Make(TokenKind::kPercent, start, pos_);
    case '!': return two('=', TokenKind::kNotEquals, TokenKind::kNot);
    case '<': return two('=', TokenKind::kLessEquals, TokenKind::kLess);
    case '>': return two('=', TokenKind::kGreaterEquals, TokenKind::kGreater);
    case '=': return two('=', TokenKind::kEquals, TokenKind::kError);
    case '&': return two('&', TokenKind::kAnd, TokenKind::kError);
    case '|': return two('|', TokenKind::kOr, TokenKind::kError);
    default: break;
  }

  // Report one whole UTF-8 character so that the message shows it intact.
  ++pos_;
  while (pos_ < source_.size() && (static_cast<unsigned char>(source_[pos_]) & 0xC0) == 0x80) {
    ++pos_;
  }
  return Make(TokenKind::kError, start, pos_);
}

Token Lexer::LexNumber(size_t start) {
  auto digits = [&](bool hex) {
    size_t before = pos_;
    while (pos_ < source_.size() && (hex ? IsHexDigit(source_[pos_]) : IsDigit(source_[pos_]))) {
      ++pos_;
    }
    return pos_ > before;
  };
  auto at = [&](size_t i) { return i < source_.size() ? source_[i] : '\0'; };

  if (at(pos_) == '0' && (at(pos_ + 1) == 'x' || at(pos_ + 1) == 'X')) {
    pos_ += 2;
    if (!digits(true)) return Make(TokenKind::kError, start, pos_);
    if (at(pos_) == 'u' || at(pos_) == 'U') {
      ++pos_;
      return Make(TokenKind::kUint, start, pos_);
    }
    return Make(TokenKind::kInt, start, pos_);
  }

  bool is_double = false;
  digits(false);
  if (at(pos_) == '.' && IsDigit(at(pos_ + 1))) {
    ++pos_;
    digits(false);
    is_double = true;
  }
  if (at(pos_) == 'e' || at(pos_) == 'E') {
    size_t save = pos_;
    ++pos_;
    if (at(pos_) == '+' || at(pos_) == '-') ++pos_;
    if (digits(false)) {
      is_double = true;
    } else {
      pos_ = save;
    }
  }
  if (is_double) return Make(TokenKind::kDouble, start, pos_);
  if (at(pos_) == 'u' || at(pos_) == 'U') {
    ++pos_;
    return Make(TokenKind::kUint, start, pos_);
  }
  return Make(TokenKind::kInt, start, pos_);
}

Token Lexer::LexString(size_t start, size_t quote) {
  bool bytes = false;
  for (size_t i = start; i < quote; ++i) {
    if (source_[i] == 'b' || source_[i] == 'B') bytes = true;
  }
  TokenKind kind = bytes ? TokenKind::kBytes : TokenKind::kString;
  bool raw = quote - start == 2 || (quote - start == 1 && !bytes);
  char q = source_[quote];
  bool triple = quote + 2 < source_.size() && source_[quote + 1] == q && source_[quote + 2] == q;
  pos_ = quote + (triple ? 3 : 1);

  while (pos_ < source_.size()) {
    char c = source_[pos_];
    if (c == '\\' && !raw) {
      pos_ += 2;
      continue;
    }
    if (!triple && (c == '\n' || c == '\r')) break;
    if (c == q) {
      if (!triple) {
        ++pos_;
        return Make(kind, start, pos_);
      }
      if (pos_ + 2 < source_.size() && source_[pos_ + 1] == q && source_[pos_ + 2] == q) {
        pos_ += 3;
        return Make(kind, start, pos_);
      }
    }
    ++pos_;
  }
  if (pos_ > source_.size()) pos_ = source_.size();
  return Make(TokenKind::kError, start, pos_);
}

Token Lexer::LexQuotedIdent(size_t start) {
  ++pos_;
  while (pos_ < source_.size() && source_[pos_] != '`' && source_[pos_] != '\n') ++pos_;
  if (pos_ >= source_.size() || source_[pos_] != '`') return Make(TokenKind::kError, start, pos_);
  ++pos_;
  return Make(TokenKind::kQuotedIdent, start, pos_);
}

}  // namespace salesradar::cel
