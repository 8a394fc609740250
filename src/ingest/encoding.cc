#include "ingest/encoding.h"

#include <uchardet.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace salesradar::ingest {
namespace {

constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

// Share of two-byte characters that must fall in the GB2312 range before a sample that
// uchardet did not recognise is read as GB18030.
constexpr double kMinGb2312Share = 0.9;

std::string ToLowerAscii(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return lower;
}

// Returns the charset name that uchardet reports for `sample` ("" when it has no guess).
std::string AskUchardet(std::string_view sample) {
  std::unique_ptr<uchardet, decltype(&uchardet_delete)> detector(uchardet_new(), uchardet_delete);
  uchardet_handle_data(detector.get(), sample.data(), sample.size());
  uchardet_data_end(detector.get());
  const char* charset = uchardet_get_charset(detector.get());
  return charset == nullptr ? std::string() : std::string(charset);
}

bool IsGbCharset(std::string_view charset) {
  std::string lower = ToLowerAscii(charset);
  return lower == "gb18030" || lower == "gbk" || lower == "gb2312" || lower == "hz-gb-2312";
}

// Scans `sample` as GB18030. Returns false on a byte sequence that GB18030 does not allow,
// otherwise true with the counts of two-byte characters in total and in the GB2312 range.
bool ScanGb18030(std::string_view sample, bool whole_file, size_t* two_byte, size_t* gb2312) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(sample.data());
  size_t size = sample.size();
  size_t i = 0;
  *two_byte = 0;
  *gb2312 = 0;

  while (i < size) {
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead == 0x80 || lead == 0xFF) {
      return false;
    }
    if (i + 1 >= size) {
      return !whole_file;  // cut off by the end of the sample
    }

    unsigned char second = bytes[i + 1];
    if (second >= 0x30 && second <= 0x39) {
      // Four-byte form: lead, digit, lead, digit.
      if (i + 3 >= size) {
        return !whole_file;
      }
      unsigned char third = bytes[i + 2];
      unsigned char fourth = bytes[i + 3];
      if (third < 0x81 || third > 0xFE || fourth < 0x30 || fourth > 0x39) {
        return false;
      }
      i += 4;
      continue;
    }
    if (second < 0x40 || second == 0x7F || second == 0xFF) {
      return false;
    }

    ++*two_byte;
    if (lead >= 0xA1 && lead <= 0xF7 && second >= 0xA1) {
      ++*gb2312;
    }
    i += 2;
  }
  return true;
}

bool LooksLikeGb2312Text(std::string_view sample, bool whole_file) {
  size_t two_byte = 0;
  size_t gb2312 = 0;
  if (!ScanGb18030(sample, whole_file, &two_byte, &gb2312) || two_byte == 0) {
    return false;
  }
  return static_cast<double>(gb2312) >= kMinGb2312Share * static_cast<double>(two_byte);
}

Error UndetectedEncodingError(std::string_view file_name, std::string_view sample,
                              std::string_view charset) {
  size_t offset = FindInvalidUtf8(sample, /*allow_truncated_tail=*/true);
  size_t line =
      1 + static_cast<size_t>(std::count(
              sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  std::string guess = charset.empty() ? std::string("unknown") : std::string(charset);
  return InvalidArgument(
      fmt::format("无法识别文件 '{}' 的编码：第 {} 行起不是有效的 UTF-8，也不像 GBK/GB18030"
                  "（uchardet 判断为 '{}'）。请把文件另存为 UTF-8（Excel 中选“CSV UTF-8”），"
                  "或者用 --encoding gbk 指定编码",
                  file_name, line, guess),
      fmt::format("cannot detect the encoding of file '{}': line {} is not valid UTF-8 and the "
                  "text does not look like GBK/GB18030 (uchardet reported '{}'); save the file as "
                  "UTF-8 (in Excel: 'CSV UTF-8'), or pass --encoding gbk",
                  file_name, line, guess));
}

}  // namespace

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8: return "UTF-8";
    case Encoding::kGb18030: return "GB18030";
  }
  return "UTF-8";
}

Result<EncodingChoice> ParseEncodingChoice(std::string_view name) {
  std::string lower = ToLowerAscii(name);
  if (lower == "auto") {
    return EncodingChoice::kAuto;
  }
  if (lower == "utf-8" || lower == "utf8") {
    return EncodingChoice::kUtf8;
  }
  if (lower == "gbk" || lower == "gb18030" || lower == "gb2312" || lower == "cp936") {
    return EncodingChoice::kGb18030;
  }
  return InvalidArgument(
      fmt::format("不支持的编码 '{}'；可用的值：auto、utf-8、gbk（即 gb18030）", name),
      fmt::format("unsupported encoding '{}'; expected auto, utf-8 or gbk (also gb18030)", name));
}

size_t FindInvalidUtf8(std::string_view text, bool allow_truncated_tail, size_t* tail_length) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t size = text.size();
  size_t i = 0;
  if (tail_length != nullptr) {
    *tail_length = 0;
  }

  while (i < size) {
    // ASCII fast path: eight bytes at a time.
    while (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, bytes + i, sizeof word);
      if ((word & 0x8080808080808080ULL) != 0) {
        break;
      }
      i += 8;
    }
    if (i >= size) {
      break;
    }

    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }

    // The allowed range of the second byte excludes overlong forms, surrogates (ED A0..BF)
    // and code points above U+10FFFF (F4 90..BF).
    size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead == 0xE0) {
      length = 3;
      second_min = 0xA0;
    } else if (lead == 0xED) {
      length = 3;
      second_max = 0x9F;
    } else if (lead >= 0xE1 && lead <= 0xEF) {
      length = 3;
    } else if (lead == 0xF0) {
      length = 4;
      second_min = 0x90;
    } else if (lead == 0xF4) {
      length = 4;
      second_max = 0x8F;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      length = 4;
    } else {
      return i;
    }

    for (size_t k = 1; k < length; ++k) {
      if (i + k >= size) {
        if (!allow_truncated_tail) {
          return i;
        }
        if (tail_length != nullptr) {
          *tail_length = size - i;
        }
        return std::string_view::npos;
      }
      unsigned char byte = bytes[i + k];
      unsigned char min = k == 1 ? second_min : 0x80;
      unsigned char max = k == 1 ? second_max : 0xBF;
      if (byte < min || byte > max) {
        return i;
      }
    }
    i += length;
  }
  return std::string_view::npos;
}

Result<DetectedEncoding> DetectEncoding(std::string_view sample, bool whole_file,
                                        std::string_view file_name) {
  DetectedEncoding detected;

  if (sample.starts_with(kUtf8Bom)) {
    detected.encoding = Encoding::kUtf8;
    detected.bom_length = kUtf8Bom.size();
    return detected;
  }
  if (sample.starts_with(kUtf16LeBom) || sample.starts_with(kUtf16BeBom)) {
    return InvalidArgument(
        fmt::format("文件 '{}' 是 UTF-16 编码，导入不支持；请把文件另存为 UTF-8"
                    "（Excel 中选“CSV UTF-8”）",
                    file_name),
        fmt::format("file '{}' is encoded in UTF-16, which import does not read; save it as "
                    "UTF-8 (in Excel: 'CSV UTF-8')",
                    file_name));
  }

  if (FindInvalidUtf8(sample, /*allow_truncated_tail=*/!whole_file) == std::string_view::npos) {
    detected.encoding = Encoding::kUtf8;
    return detected;
  }

  detected.detector_charset = AskUchardet(sample);
  if (IsGbCharset(detected.detector_charset) || LooksLikeGb2312Text(sample, whole_file)) {
    detected.encoding = Encoding::kGb18030;
    return detected;
  }
  return UndetectedEncodingError(file_name, sample, detected.detector_charset);
}

}  // namespace salesradar::ingest
