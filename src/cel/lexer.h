// Splits CEL source text into tokens.
#pragma once

#include <cstdint>
#include <string_view>

namespace salesradar::cel {

enum class TokenKind {
  kEnd,
  kError,        // a character or literal the lexer cannot read; `text` shows it
  kIdent,
  kQuotedIdent,  // `a.b-c`, only valid after '.'
  kInt,
  kUint,
  kDouble,
  kString,       // the raw literal with its prefix and quotes; DecodeLiteral() reads it
  kBytes,
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace,
  kDot, kComma, kColon, kQuestion,
  kNot, kPlus, kMinus, kStar, kSlash, kPercent,
  kLess, kLessEquals, kGreater, kGreaterEquals, kEquals, kNotEquals,
  kAnd, kOr,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  // a view into the source
  int32_t position = 0;   // byte offset of the first character
};

// Reads tokens one at a time. `source` must outlive the lexer and its tokens.
class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {}

  // Returns the next token; kEnd at the end, forever after.
  Token Next();

 private:
  void SkipSpaceAndComments();
  Token LexNumber(size_t start);
  Token LexString(size_t start, size_t quote);
  Token LexQuotedIdent(size_t start);
  Token Make(TokenKind kind, size_t start, size_t end) const;

  std::string_view source_;
  size_t pos_ = 0;
};

}  // namespace salesradar::cel
