// See input_buffer.h.
#include "src/trace/input_buffer.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstring>

namespace goalloc::trace {

InputBuffer::InputBuffer(std::unique_ptr<ByteSource> source, bool count_lines, size_t capacity)
    : source_(std::move(source)),
      capacity_(capacity),
      buf_(std::make_unique_for_overwrite<char[]>(capacity + 1)),
      count_lines_(count_lines) {
  pos = end = buf_.get();
  buf_[0] = '\0';
}

size_t InputBuffer::Fill() {
  char* base = buf_.get();
  size_t keep = end - pos;
  if (pos != base) {
    if (count_lines_) base_line_ += std::count(static_cast<const char*>(base), pos, '\n');
    base_offset_ += pos - base;
    memmove(base, pos, keep);
    pos = base;
  }
  size_t got = keep < capacity() ? source_->Read(base + keep, capacity() - keep) : 0;
  end = base + keep + got;
  base[keep + got] = '\0';
  return got;
}

bool InputBuffer::Ensure(size_t n) {
  while (static_cast<size_t>(end - pos) < n) {
    if (Fill() == 0) return false;
  }
  return true;
}

uint64_t InputBuffer::Line(const char* p) const {
  return base_line_ + std::count(static_cast<const char*>(buf_.get()), p, '\n');
}

std::string InputBuffer::Where(const char* p) const {
  return fmt::format("line {}, byte {}", Line(p), Offset(p));
}

std::string InputBuffer::WhereOffset(uint64_t offset) const {
  if (offset < base_offset_ || offset > Offset(end)) return fmt::format("byte {}", offset);
  return Where(buf_.get() + (offset - base_offset_));
}

}  // namespace goalloc::trace
