// Opening a trace: compression is detected from the magic bytes (gzip, zstd), the encoding
// from the content (JSON, glibc mtrace text, the project's binary encoding), never from the
// file name alone. Every reader streams: memory does not grow with the number of events.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "src/trace/event.h"

namespace goalloc::trace {

enum class Encoding { kJson, kMtrace, kBinary };
std::string_view EncodingName(Encoding e);  // "json", "mtrace", "binary"

enum class Compression { kNone, kGzip, kZstd };
std::string_view CompressionName(Compression c);  // "none", "gzip", "zstd"

class TraceReader {
 public:
  virtual ~TraceReader() = default;

  // Decodes up to out.size() events into `out`; returns how many, 0 at the end of the trace.
  // Throws TraceError on malformed input.
  virtual size_t ReadBatch(std::span<Event> out) = 0;

  virtual Encoding encoding() const = 0;
  virtual Compression compression() const = 0;
  const std::string& path() const { return path_; }
  // The trace's free-form `meta` as JSON text ("{}" when it has none, or when the encoding
  // cannot carry it). Known once OpenTrace returns, unless a JSON trace puts it after "events".
  const std::string& meta() const { return meta_; }

 protected:
  explicit TraceReader(std::string path) : path_(std::move(path)) {}
  std::string meta_ = "{}";

 private:
  std::string path_;
};

// Opens `path` ("-" is stdin). Throws TraceError when the file cannot be read or its
// encoding is not recognised.
std::unique_ptr<TraceReader> OpenTrace(const std::string& path);

}  // namespace goalloc::trace
