// Where trace bytes come from: a file or stdin, memory (tests, fuzzing), and the streaming
// gzip/zstd decompressors stacked on top, chosen by the magic bytes of the data. Decoders
// read through this interface only, so every encoding is readable compressed or not.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "src/trace/trace_reader.h"

namespace goalloc::trace {

// Failure below the decoders (I/O error, corrupt compressed data). Decoders turn it into a
// TraceError carrying the event index and offset they had reached.
class SourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `dst`; returns 0 only at the end of the data.
  virtual size_t Read(char* dst, size_t n) = 0;
};

// `path` "-" is stdin. Throws SourceError when the file cannot be opened.
std::unique_ptr<ByteSource> OpenFileSource(const std::string& path);
std::unique_ptr<ByteSource> MakeMemorySource(std::string data);
// Yields `prefix` (bytes already taken from `inner` to look at them), then the rest of `inner`.
std::unique_ptr<ByteSource> MakePrefixedSource(std::string prefix,
                                               std::unique_ptr<ByteSource> inner);

// Looks at the first bytes of `raw`: gzip and zstd data are decompressed on the fly, anything
// else is passed through. `detected` receives which it was.
std::unique_ptr<ByteSource> Decompress(std::unique_ptr<ByteSource> raw, Compression* detected);

}  // namespace goalloc::trace
