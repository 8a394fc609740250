// Text encodings of import files: detection and strict UTF-8 validation.
//
// Files come from CRM exports and from Excel. Excel on Chinese Windows saves CSV as GBK
// (code page 936). Other tools save UTF-8 with or without a byte order mark. The importer
// detects which one a file uses from its first bytes and converts it to UTF-8 once, while
// reading (see text_source.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace salesradar::ingest {

// An encoding that the importer can read.
enum class Encoding {
  kUtf8,
  kGb18030,  // a superset of GBK and GB2312, so GBK files decode with it
};

// The encoding requested on the command line or in a mapping file.
enum class EncodingChoice { kAuto, kUtf8, kGb18030 };

// Returns "UTF-8" or "GB18030".
std::string_view EncodingName(Encoding encoding);

// Parses an encoding option value: "auto", "utf-8" ("utf8"), or "gbk" ("gb18030", "gb2312",
// "cp936"), case-insensitive. The error names the value and lists the accepted ones.
Result<EncodingChoice> ParseEncodingChoice(std::string_view name);

// The UTF-8 byte order mark that Windows tools write at the start of a file.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Returns the offset of the first byte of `text` that is not part of a valid UTF-8 sequence,
// or std::string_view::npos when all of it is valid. Overlong forms, surrogates and code
// points above U+10FFFF are invalid. When `allow_truncated_tail` is true, a sequence that is
// cut off by the end of `text` but valid so far counts as valid, because the next chunk of a
// file may complete it. `*tail_length` then receives its length, or 0 when there is none.
size_t FindInvalidUtf8(std::string_view text, bool allow_truncated_tail = false,
                       size_t* tail_length = nullptr);

// The outcome of encoding detection.
struct DetectedEncoding {
  Encoding encoding = Encoding::kUtf8;
  size_t bom_length = 0;         // bytes to skip at the start of the file (3 for a UTF-8 BOM)
  std::string detector_charset;  // what uchardet reported, empty when it was not asked
};

// Decides the encoding of a file from `sample`, its first bytes. `whole_file` is true when
// the sample is the complete file. The rules, in order:
//   1. a UTF-8 byte order mark means UTF-8;
//   2. a sample that is valid UTF-8 (ASCII included) is UTF-8, because uchardet guesses
//      badly on short texts;
//   3. the charset that uchardet reports, when it is GB18030, GBK or GB2312;
//   4. GB18030 when the sample decodes as GB18030 and at least 90 % of its two-byte
//      characters are in the GB2312 range (common hanzi and punctuation). uchardet 0.0.7
//      reports short GBK texts such as a name of two hanzi as KOI8-R.
// Otherwise returns kInvalidArgument naming `file_name`, the charset that uchardet reported
// and the fix (save the file as UTF-8, or pass --encoding gbk). A UTF-16 byte order mark gets
// the same kind of error.
Result<DetectedEncoding> DetectEncoding(std::string_view sample, bool whole_file,
                                        std::string_view file_name);

}  // namespace salesradar::ingest
