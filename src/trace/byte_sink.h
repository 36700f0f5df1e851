// Where written traces and reports go: a file that appears atomically (temporary file in the
// same directory, flushed to disk and renamed into place by Finish), optionally behind a
// streaming gzip or zstd compressor; a crash or an exception never leaves a partial file.
// The path is resolved first (output_target.h): a symlink's final target is what is replaced;
// "-" and a path that leads to stdout or stderr are written through that stream, a device or
// FIFO (/dev/null) in place, since a rename would replace the link, device or FIFO.
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

// Throws std::runtime_error naming the path when the file (or the temporary one) cannot be
// created.
std::unique_ptr<ByteSink> CreateAtomicFileSink(const std::string& path);
std::unique_ptr<ByteSink> Compress(std::unique_ptr<ByteSink> out, Compression compression);

}  // namespace goalloc::trace
