// The read buffer under every decoder: a large window over a ByteSource that knows the byte
// offset and line number of any position in it, so errors can say where they are without
// the decoders tracking lines on their hot paths. A NUL sentinel always follows the data, so
// scanning loops can stop on it instead of checking bounds on every byte.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/trace/byte_source.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {

class InputBuffer {
 public:
  // Without `count_lines`, Line() is meaningless and refills skip counting newlines.
  explicit InputBuffer(std::unique_ptr<ByteSource> source, bool count_lines = true,
                       size_t capacity = size_t{1} << 20);

  // The unconsumed data is [pos, end); *end == '\0'.
  const char* pos = nullptr;
  const char* end = nullptr;

  // Keeps [pos, end), moves it to the front and reads more after it. Returns the number of
  // bytes added: 0 at the end of the data, or when the window is full.
  size_t Fill();
  // Fills until at least `n` bytes are unconsumed or the data ends; returns whether it has them.
  bool Ensure(size_t n);
  size_t capacity() const { return capacity_; }

  // Byte offset (0-based) in the decoded stream and line (1-based) of a position in the window.
  uint64_t Offset(const char* p) const { return base_offset_ + (p - buf_.get()); }
  uint64_t Line(const char* p) const;
  // "line L, byte B" for error messages.
  std::string Where(const char* p) const;
  // The same for an offset, which may lie before the window: then "byte B" only.
  std::string WhereOffset(uint64_t offset) const;

 private:
  std::unique_ptr<ByteSource> source_;
  size_t capacity_;
  std::unique_ptr<char[]> buf_;  // capacity_ + 1 bytes, not zeroed: only [pos, end] is read
  uint64_t base_offset_ = 0;     // offset of buf_[0]
  uint64_t base_line_ = 1;       // line of buf_[0]
  bool count_lines_;
};

// Runs `f`, turning a SourceError (read failure, corrupt or truncated compressed data) into
// the TraceError of `file` at `event_index`, placed at the buffer's current byte: the one
// wrapper every decoder puts around its reads.
template <typename F>
void ReportSourceErrors(const InputBuffer& in, const std::string& file, uint64_t event_index,
                        F&& f) {
  try {
    f();
  } catch (const SourceError& e) {
    throw TraceError(file, event_index, "byte " + std::to_string(in.Offset(in.pos)), e.what());
  }
}

}  // namespace goalloc::trace
