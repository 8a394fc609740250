#include "ingest/text_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace salesradar::ingest {
namespace {

std::string HexBytes(std::string_view bytes) {
  std::string out;
  for (unsigned char byte : bytes) {
    if (!out.empty()) {
      out += ' ';
    }
    out += fmt::format("0x{:02X}", byte);
  }
  return out;
}

size_t CountNewlines(std::string_view text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

Result<std::unique_ptr<FileTextSource>> FileTextSource::Open(const std::string& path,
                                                             EncodingChoice choice,
                                                             size_t chunk_size) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    std::string reason = std::strerror(errno);
    return NotFound(fmt::format("无法打开文件 '{}'：{}；请检查路径和读取权限", path, reason),
                    fmt::format("cannot open file '{}': {}; check the path and the read "
                                "permission",
                                path, reason));
  }
  struct stat info {};
  uint64_t size = fstat(fileno(file), &info) == 0 ? static_cast<uint64_t>(info.st_size) : 0;
  std::unique_ptr<FileTextSource> source(
      new FileTextSource(path, file, size, std::max(chunk_size, size_t{16})));
  source->choice_ = choice;

  // The sample for detection is the first raw chunk; decoding starts from it.
  source->raw_.reserve(std::max(kDetectionSampleSize, source->chunk_size_));
  while (source->raw_.size() < kDetectionSampleSize && !source->at_eof_) {
    SR_RETURN_IF_ERROR(source->ReadRaw());
  }

  std::string_view sample = std::string_view(source->raw_).substr(0, kDetectionSampleSize);
  bool whole_file = source->at_eof_ && sample.size() == source->raw_.size();
  if (choice == EncodingChoice::kAuto) {
    SR_ASSIGN_OR_RETURN(source->detected_, DetectEncoding(sample, whole_file, path));
  } else {
    source->detected_.encoding =
        choice == EncodingChoice::kUtf8 ? Encoding::kUtf8 : Encoding::kGb18030;
  }
  if (sample.starts_with(kUtf8Bom)) {
    source->detected_.encoding = Encoding::kUtf8;
    source->detected_.bom_length = kUtf8Bom.size();
  }
  source->raw_begin_ = source->detected_.bom_length;

  if (source->detected_.encoding == Encoding::kGb18030) {
    SR_RETURN_IF_ERROR(source->OpenConverters());
  }
  return source;
}

FileTextSource::FileTextSource(std::string path, std::FILE* file, uint64_t file_size,
                               size_t chunk_size)
    : path_(std::move(path)), file_(file), file_size_(file_size), chunk_size_(chunk_size) {}

FileTextSource::~FileTextSource() {
  if (source_converter_ != nullptr) {
    ucnv_close(source_converter_);
  }
  if (utf8_converter_ != nullptr) {
    ucnv_close(utf8_converter_);
  }
  std::fclose(file_);
}

Status FileTextSource::OpenConverters() {
  UErrorCode status = U_ZERO_ERROR;
  source_converter_ = ucnv_open("GB18030", &status);
  if (U_SUCCESS(status)) {
    utf8_converter_ = ucnv_open("UTF-8", &status);
  }
  if (U_SUCCESS(status)) {
    // Stop at the first invalid byte sequence instead of substituting U+FFFD.
    ucnv_setToUCallBack(source_converter_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &status);
  }
  if (U_FAILURE(status)) {
    return Internal(fmt::format("ICU 无法打开 GB18030 转换器：{}", u_errorName(status)),
                    fmt::format("ICU cannot open the GB18030 converter: {}", u_errorName(status)));
  }
  return OkStatus();
}

Status FileTextSource::ReadRaw() {
  // Drop the bytes already decoded before appending more.
  raw_.erase(0, raw_begin_);
  raw_begin_ = 0;

  size_t old_size = raw_.size();
  raw_.resize(old_size + chunk_size_);
  size_t got = std::fread(raw_.data() + old_size, 1, chunk_size_, file_);
  raw_.resize(old_size + got);
  bytes_read_ += got;

  if (got < chunk_size_) {
    if (std::ferror(file_) != 0) {
      std::string reason = std::strerror(errno);
      return Unavailable(fmt::format("读取文件 '{}' 失败：{}", path_, reason),
                         fmt::format("reading file '{}' failed: {}", path_, reason));
    }
    at_eof_ = true;
  }
  return OkStatus();
}

Result<size_t> FileTextSource::Read(std::string& out) {
  while (!finished_) {
    if (raw_begin_ >= raw_.size() && !at_eof_) {
      SR_RETURN_IF_ERROR(ReadRaw());
    }

    SR_ASSIGN_OR_RETURN(size_t produced, detected_.encoding == Encoding::kUtf8
                                             ? DecodeUtf8(out)
                                             : DecodeGb18030(out));
    if (produced > 0) {
      return produced;
    }
    if (!at_eof_) {
      // Only an incomplete sequence was left; read more bytes to finish it.
      SR_RETURN_IF_ERROR(ReadRaw());
    }
  }
  return size_t{0};
}

void FileTextSource::CountLines(std::string_view text) { lines_emitted_ += CountNewlines(text); }

Error FileTextSource::InvalidBytesError(size_t line, std::string_view bytes) const {
  std::string_view name = EncodingName(detected_.encoding);
  std::string hex = HexBytes(bytes);
  if (detected_.encoding == Encoding::kUtf8) {
    std::string_view detected_how = choice_ == EncodingChoice::kAuto
                                        ? "the start of the file looked like UTF-8"
                                        : "--encoding utf-8 was given";
    std::string_view detected_how_zh =
        choice_ == EncodingChoice::kAuto ? "文件开头看起来是 UTF-8" : "指定了 --encoding utf-8";
    return InvalidArgument(
        fmt::format("文件 '{}' 第 {} 行含有无效的 UTF-8 字节（{}），而{}；如果文件是 GBK 编码，"
                    "请用 --encoding gbk，否则请把文件另存为 UTF-8",
                    path_, line, hex, detected_how_zh),
        fmt::format("file '{}' line {} contains bytes that are not valid UTF-8 ({}), but {}; "
                    "pass --encoding gbk if the file is GBK, or save it as UTF-8",
                    path_, line, hex, detected_how));
  }
  return InvalidArgument(
      fmt::format("文件 '{}' 第 {} 行含有无效的 {} 字节（{}）；请确认文件编码，"
                  "或把文件另存为 UTF-8 后用 --encoding utf-8 导入",
                  path_, line, name, hex),
      fmt::format("file '{}' line {} contains bytes that are not valid {} ({}); check the "
                  "file's encoding, or save it as UTF-8 and pass --encoding utf-8",
                  path_, line, name, hex));
}

Result<size_t> FileTextSource::DecodeUtf8(std::string& out) {
  std::string_view pending(raw_.data() + raw_begin_, raw_.size() - raw_begin_);
  size_t tail = 0;
  size_t invalid = FindInvalidUtf8(pending, /*allow_truncated_tail=*/!at_eof_, &tail);
  if (invalid != std::string_view::npos) {
    size_t line = lines_emitted_ + CountNewlines(pending.substr(0, invalid)) + 1;
    size_t end = std::min(pending.size(), invalid + 4);
    return InvalidBytesError(line, pending.substr(invalid, end - invalid));
  }

  std::string_view complete = pending.substr(0, pending.size() - tail);
  out.append(complete);
  CountLines(complete);
  raw_begin_ += complete.size();
  if (at_eof_ && raw_begin_ >= raw_.size()) {
    finished_ = true;
  }
  return complete.size();
}

Result<size_t> FileTextSource::DecodeGb18030(std::string& out) {
  const char* source = raw_.data() + raw_begin_;
  const char* source_limit = raw_.data() + raw_.size();
  size_t old_size = out.size();
  bool flush = at_eof_;

  // A GB18030 character of 2 or 4 bytes becomes at most 4 bytes of UTF-8, so twice the input
  // plus the pivot's contents always fits. The loop only guards against a wrong estimate.
  size_t capacity = 2 * static_cast<size_t>(source_limit - source) + 4 * kPivotSize + 16;
  UErrorCode status = U_ZERO_ERROR;
  do {
    size_t written = out.size();
    out.resize(written + capacity);
    char* target = out.data() + written;
    status = U_ZERO_ERROR;
    ucnv_convertEx(utf8_converter_, source_converter_, &target, out.data() + out.size(), &source,
                   source_limit, pivot_, &pivot_source_, &pivot_target_, pivot_ + kPivotSize,
                   /*reset=*/false, flush, &status);
    out.resize(static_cast<size_t>(target - out.data()));
  } while (status == U_BUFFER_OVERFLOW_ERROR);

  // Lines are counted in the GB18030 bytes: 0x0A is never part of a multi-byte character, and
  // ICU may still hold converted text in its pivot buffer when it stops.
  std::string_view consumed(raw_.data() + raw_begin_,
                            static_cast<size_t>(source - raw_.data()) - raw_begin_);
  raw_begin_ += consumed.size();
  std::string_view produced(out.data() + old_size, out.size() - old_size);

  if (U_FAILURE(status)) {
    char invalid[32];
    int8_t length = sizeof invalid;
    UErrorCode ignored = U_ZERO_ERROR;
    ucnv_getInvalidChars(source_converter_, invalid, &length, &ignored);
    std::string_view invalid_bytes(invalid, static_cast<size_t>(std::max<int8_t>(length, 0)));
    size_t before = consumed.size() - std::min(consumed.size(), invalid_bytes.size());
    size_t line = lines_emitted_ + CountNewlines(consumed.substr(0, before)) + 1;
    out.resize(old_size);
    return InvalidBytesError(line, invalid_bytes);
  }

  CountLines(consumed);
  if (flush) {
    finished_ = true;
  }
  return produced.size();
}

Result<size_t> StringTextSource::Read(std::string& out) {
  size_t length = std::min(chunk_size_, text_.size() - position_);
  out.append(text_, position_, length);
  position_ += length;
  return length;
}

}  // namespace salesradar::ingest
