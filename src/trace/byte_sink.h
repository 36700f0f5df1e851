// Where written traces go: a file that appears atomically (temporary file in the same
// directory, renamed into place by Finish), optionally behind a streaming gzip or zstd
// compressor. Used by the trace writers; a crash or an exception never leaves a partial file.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "src/trace/trace_reader.h"

namespace goalloc::trace {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Write(const char* data, size_t n) = 0;
  // Flushes everything and commits the output. Throws std::runtime_error on I/O error.
  virtual void Finish() = 0;
};

// Throws std::runtime_error when the temporary file cannot be created.
std::unique_ptr<ByteSink> CreateAtomicFileSink(const std::string& path);
std::unique_ptr<ByteSink> Compress(std::unique_ptr<ByteSink> out, Compression compression);

}  // namespace goalloc::trace
