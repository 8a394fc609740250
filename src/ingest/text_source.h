// Sources of UTF-8 text for the CSV reader: a file decoded while it is read, or a string.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <unicode/ucnv.h>

#include "common/result.h"
#include "ingest/encoding.h"

namespace salesradar::ingest {

// A stream of UTF-8 text, read in chunks. Not thread-safe.
class TextSource {
 public:
  virtual ~TextSource() = default;

  // Appends the next chunk of text to `out` and returns its length in bytes. Returns 0 only
  // at the end of the text. After an error the source must not be read again.
  virtual Result<size_t> Read(std::string& out) = 0;
};

// A file decoded from its encoding to UTF-8 as it is read, so that each byte is converted
// once and memory stays bounded by the chunk size whatever the file size.
class FileTextSource final : public TextSource {
 public:
  // Bytes read from the file per chunk.
  static constexpr size_t kDefaultChunkSize = size_t{1} << 20;
  // Bytes at the start of the file that encoding detection looks at.
  static constexpr size_t kDetectionSampleSize = size_t{64} << 10;

  // Opens `path` and decides its encoding: detected from the first 64 KiB when `choice` is
  // kAuto (see DetectEncoding), otherwise the one given. A UTF-8 byte order mark is skipped
  // in both cases. Returns kNotFound when the file cannot be opened and kInvalidArgument when
  // its encoding cannot be detected; both messages name the file.
  static Result<std::unique_ptr<FileTextSource>> Open(const std::string& path,
                                                      EncodingChoice choice,
                                                      size_t chunk_size = kDefaultChunkSize);

  ~FileTextSource() override;
  FileTextSource(const FileTextSource&) = delete;
  FileTextSource& operator=(const FileTextSource&) = delete;

  // Appends the next chunk, which never ends inside a UTF-8 sequence. Returns
  // kInvalidArgument naming the file and line when the bytes are not valid in the file's
  // encoding, with the fix (another --encoding, or saving the file as UTF-8), and
  // kUnavailable when reading fails.
  Result<size_t> Read(std::string& out) override;

  const DetectedEncoding& detected() const { return detected_; }
  uint64_t file_size() const { return file_size_; }
  // File bytes consumed so far, for progress by bytes.
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  FileTextSource(std::string path, std::FILE* file, uint64_t file_size, size_t chunk_size);

  Status ReadRaw();
  Result<size_t> DecodeUtf8(std::string& out);
  Result<size_t> DecodeGb18030(std::string& out);
  Status OpenConverters();
  Error InvalidBytesError(size_t line, std::string_view bytes) const;
  void CountLines(std::string_view text);

  std::string path_;
  std::FILE* file_;
  uint64_t file_size_;
  size_t chunk_size_;
  DetectedEncoding detected_;
  EncodingChoice choice_ = EncodingChoice::kAuto;

  std::string raw_;  // bytes read from the file and not decoded yet, from raw_begin_
  size_t raw_begin_ = 0;
  bool at_eof_ = false;  // the file has no more bytes; raw_ may still hold some
  bool finished_ = false;
  uint64_t bytes_read_ = 0;
  uint64_t lines_emitted_ = 0;  // newlines in the text returned so far, for error messages

  // GB18030 decoding through ICU's UTF-16 pivot; the pivot must survive between calls.
  UConverter* source_converter_ = nullptr;
  UConverter* utf8_converter_ = nullptr;
  static constexpr size_t kPivotSize = 4096;
  UChar pivot_[kPivotSize];
  UChar* pivot_source_ = pivot_;
  UChar* pivot_target_ = pivot_;
};

// A string served in chunks of a fixed size; for tests of readers that must handle text split
// at any byte.
class StringTextSource final : public TextSource {
 public:
  explicit StringTextSource(std::string text, size_t chunk_size = 4096)
      : text_(std::move(text)), chunk_size_(chunk_size) {}

  Result<size_t> Read(std::string& out) override;

 private:
  std::string text_;
  size_t chunk_size_;
  size_t position_ = 0;
};

}  // namespace salesradar::ingest
