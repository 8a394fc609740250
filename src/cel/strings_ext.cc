// The strings extension: charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace,
// split, substring, trim, join. Indexes count Unicode code points. format() lives in
// strings_format.cc.
#include <string>
#include <vector>

#include "cel/containers.h"
#include "cel/env.h"

namespace salesradar::cel {

Value StringFormat(const Value* args, CallContext& context);  // strings_format.cc

namespace {

bool IsLead(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

int64_t CodePointCount(std::string_view text) {
  int64_t count = 0;
  for (char c : text) count += IsLead(c) ? 1 : 0;
  return count;
}

// Returns the byte offset of code point `index`, or text.size() for index == count.
size_t ByteOffset(std::string_view text, int64_t index) {
  int64_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsLead(text[i])) continue;
    if (seen == index) return i;
    ++seen;
  }
  return text.size();
}

int64_t CodePointIndex(std::string_view text, size_t byte_offset) {
  return CodePointCount(text.substr(0, byte_offset));
}

Value IndexError(CallContext& context, int64_t index) {
  return MakeError(context.arena, {"index out of range: ", std::to_string(index)});
}

Value CharAt(const Value* a, CallContext& context) {
  std::string_view text = a[0].string_value();
  int64_t index = a[1].int_value();
  if (index < 0 || index > CodePointCount(text)) return IndexError(context, index);
  size_t start = ByteOffset(text, index);
  size_t end = start;
  if (end < text.size()) {
    ++end;
    while (end < text.size() && !IsLead(text[end])) ++end;
  }
  return Value::String(text.substr(start, end - start));
}

Value IndexOfFrom(std::string_view text, std::string_view needle, int64_t offset, CallContext& context) {
  if (offset < 0 || offset > CodePointCount(text)) return IndexError(context, offset);
  size_t found = text.find(needle, ByteOffset(text, offset));
  return Value::Int(found == std::string_view::npos ? -1 : CodePointIndex(text, found));
}

Value IndexOf(const Value* a, CallContext& context) {
  return IndexOfFrom(a[0].string_value(), a[1].string_value(), 0, context);
}

Value IndexOfOffset(const Value* a, CallContext& context) {
  return IndexOfFrom(a[0].string_value(), a[1].string_value(), a[2].int_value(), context);
}

Value LastIndexOfBefore(std::string_view text, std::string_view needle, int64_t offset, CallContext& context) {
  if (offset < 0 || offset > CodePointCount(text)) return IndexError(context, offset);
  size_t found = text.rfind(needle, ByteOffset(text, offset));
  return Value::Int(found == std::string_view::npos ? -1 : CodePointIndex(text, found));
}

Value LastIndexOf(const Value* a, CallContext& context) {
  std::string_view text = a[0].string_value();
  return LastIndexOfBefore(text, a[1].string_value(), CodePointCount(text), context);
}

Value LastIndexOfOffset(const Value* a, CallContext& context) {
  return LastIndexOfBefore(a[0].string_value(), a[1].string_value(), a[2].int_value(), context);
}

template <bool kUpper>
Value ChangeAsciiCase(const Value* a, CallContext& context) {
  std::string_view text = a[0].string_value();
  char* out = static_cast<char*>(context.arena.Allocate(text.size() + 1, 1));
  if (out == nullptr) return Value::Error(kOutOfMemoryMessage);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (kUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!kUpper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out[i] = c;
  }
  return Value::String(std::string_view(out, text.size()));
}

Value ReplaceN(std::string_view text, std::string_view from, std::string_view to, int64_t limit,
               CallContext& context) {
  std::string out;
  size_t pos = 0;
  int64_t done = 0;
  while (limit < 0 || done < limit) {
    size_t found = text.find(from, pos);
    if (found == std::string_view::npos) break;
    out.append(text.substr(pos, found - pos));
    out.append(to);
    if (out.size() > kMaxBuiltStringBytes) return Value::Error("replace(): the result is too long");
    ++done;
    if (from.empty()) {
      if (found >= text.size()) {
        pos = text.size() + 1;
        break;
      }
      size_t next = found + 1;
      while (next < text.size() && !IsLead(text[next])) ++next;
      out.append(text.substr(found, next - found));
      pos = next;
    } else {
      pos = found + from.size();
    }
  }
  if (pos <= text.size()) out.append(text.substr(pos));
  return MakeString(context.arena, out);
}

Value Replace(const Value* a, CallContext& context) {
  return ReplaceN(a[0].string_value(), a[1].string_value(), a[2].string_value(), -1, context);
}

Value ReplaceLimit(const Value* a, CallContext& context) {
  return ReplaceN(a[0].string_value(), a[1].string_value(), a[2].string_value(), a[3].int_value(), context);
}

Value SplitN(std::string_view text, std::string_view separator, int64_t limit, CallContext& context) {
  if (limit == 0) return MakeList(context.arena, nullptr, 0);
  std::vector<Value> parts;
  size_t pos = 0;
  while (limit < 0 || static_cast<int64_t>(parts.size()) < limit - 1) {
    if (separator.empty()) {
      if (pos >= text.size()) break;
      size_t next = pos + 1;
      while (next < text.size() && !IsLead(text[next])) ++next;
      if (next >= text.size()) break;
      parts.push_back(Value::String(text.substr(pos, next - pos)));
      pos = next;
      continue;
    }
    size_t found = text.find(separator, pos);
    if (found == std::string_view::npos) break;
    parts.push_back(Value::String(text.substr(pos, found - pos)));
    pos = found + separator.size();
  }
  if (!(separator.empty() && text.empty())) parts.push_back(Value::String(text.substr(pos)));
  return MakeList(context.arena, parts.data(), parts.size());
}

Value Split(const Value* a, CallContext& context) {
  return SplitN(a[0].string_value(), a[1].string_value(), -1, context);
}

Value SplitLimit(const Value* a, CallContext& context) {
  return SplitN(a[0].string_value(), a[1].string_value(), a[2].int_value(), context);
}

Value SubstringRange(std::string_view text, int64_t start, int64_t end, CallContext& context) {
  int64_t count = CodePointCount(text);
  if (start < 0 || start > count) return IndexError(context, start);
  if (end < start || end > count) return IndexError(context, end);
  size_t from = ByteOffset(text, start);
  size_t to = ByteOffset(text, end);
  return Value::String(text.substr(from, to - from));
}

Value Substring(const Value* a, CallContext& context) {
  std::string_view text = a[0].string_value();
  return SubstringRange(text, a[1].int_value(), CodePointCount(text), context);
}

Value SubstringEnd(const Value* a, CallContext& context) {
  return SubstringRange(a[0].string_value(), a[1].int_value(), a[2].int_value(), context);
}

// Returns the length of the Unicode white-space character at the start of `text`, or 0.
size_t WhiteSpaceLength(std::string_view text) {
  static constexpr std::string_view kWide[] = {
      "\xC2\x85", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
      "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87",
      "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9",
      "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};
  if (text.empty()) return 0;
  char c = text[0];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') return 1;
  for (std::string_view wide : kWide) {
    if (text.starts_with(wide)) return wide.size();
  }
  return 0;
}

Value Trim(const Value* a, CallContext&) {
  std::string_view text = a[0].string_value();
  while (size_t n = WhiteSpaceLength(text)) text.remove_prefix(n);
  while (!text.empty()) {
    size_t start = text.size() - 1;
    while (start > 0 && !IsLead(text[start])) --start;
    if (WhiteSpaceLength(text.substr(start)) != text.size() - start) break;
    text.remove_suffix(text.size() - start);
  }
  return Value::String(text);
}

Value JoinWith(const ListValue& list, std::string_view separator, CallContext& context) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    Value item = list.Get(i);
    if (item.kind() != ValueKind::kString) {
      return MakeError(context.arena, {"join() needs a list of strings, found ", TypeNameOf(item)});
    }
    if (i > 0) out.append(separator);
    out.append(item.string_value());
    if (out.size() > kMaxBuiltStringBytes) return Value::Error("join(): the result is too long");
  }
  return MakeString(context.arena, out);
}

Value Join(const Value* a, CallContext& context) { return JoinWith(a[0].list(), "", context); }
Value JoinSeparator(const Value* a, CallContext& context) {
  return JoinWith(a[0].list(), a[1].string_value(), context);
}

}  // namespace

void RegisterStringsExtension(FunctionRegistry& r) {
  r.Add("charAt", true, {"string", "int"}, "string", CharAt);
  r.Add("indexOf", true, {"string", "string"}, "int", IndexOf);
  r.Add("indexOf", true, {"string", "string", "int"}, "int", IndexOfOffset);
  r.Add("lastIndexOf", true, {"string", "string"}, "int", LastIndexOf);
  r.Add("lastIndexOf", true, {"string", "string", "int"}, "int", LastIndexOfOffset);
  r.Add("lowerAscii", true, {"string"}, "string", ChangeAsciiCase<false>);
  r.Add("upperAscii", true, {"string"}, "string", ChangeAsciiCase<true>);
  r.Add("replace", true, {"string", "string", "string"}, "string", Replace);
  r.Add("replace", true, {"string", "string", "string", "int"}, "string", ReplaceLimit);
  r.Add("split", true, {"string", "string"}, "list(string)", Split);
  r.Add("split", true, {"string", "string", "int"}, "list(string)", SplitLimit);
  r.Add("substring", true, {"string", "int"}, "string", Substring);
  r.Add("substring", true, {"string", "int", "int"}, "string", SubstringEnd);
  r.Add("trim", true, {"string"}, "string", Trim);
  r.Add("join", true, {"list(string)"}, "string", Join);
  r.Add("join", true, {"list(string)", "string"}, "string", JoinSeparator);
  r.Add("format", true, {"string", "list(dyn)"}, "string", StringFormat);
}

}  // namespace salesradar::cel
