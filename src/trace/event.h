// The event model of a heap trace (docs/trace-format.md): one recorded heap call.
// Every decoder produces these, every encoder consumes them, and the replay engines
// and `inspect` work on nothing else, so this header is the contract between them.
#pragma once

#include <cstdint>
#include <string_view>

namespace goalloc::trace {

enum class Op : uint8_t { kMalloc, kCalloc, kRealloc, kAlignedAlloc, kFree };
inline constexpr int kNumOps = 5;

// Names as they appear in JSON traces and reports.
constexpr std::string_view OpName(Op op) {
  switch (op) {
    case Op::kMalloc:
      return "malloc";
    case Op::kCalloc:
      return "calloc";
    case Op::kRealloc:
      return "realloc";
    case Op::kAlignedAlloc:
      return "aligned_alloc";
    case Op::kFree:
      return "free";
  }
  return "?";
}

// Sizes must be below this (2^47), the largest a 48-bit address space could hold.
inline constexpr uint64_t kMaxSize = uint64_t{1} << 47;
// `t` is absent when the trace does not carry time.
inline constexpr uint64_t kNoTime = ~uint64_t{0};

struct Event {
  Op op = Op::kMalloc;
  bool scan = false;     // the object holds pointers: Go's scan span class
  uint32_t tid = 0;      // recorded thread
  uint64_t id = 0;       // object that begins (malloc/calloc/aligned_alloc) or ends (free/realloc)
  uint64_t new_id = 0;   // realloc only: the object that begins
  uint64_t size = 0;     // requested bytes; calloc: nmemb × size
  uint64_t align = 0;    // aligned_alloc only: a power of two
  uint64_t t = kNoTime;  // nanoseconds since the start of recording

  bool operator==(const Event&) const = default;
};

// What `align` must be: a power of two.
inline bool IsValidAlign(uint64_t align) { return align != 0 && (align & (align - 1)) == 0; }

}  // namespace goalloc::trace
