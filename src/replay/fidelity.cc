// Touch patterns and the checks of --verify (see fidelity.h).
#include "src/replay/fidelity.h"

#include <cstring>

namespace goalloc::replay {
namespace {

constexpr uint64_t kFullZeroCheck = 64 << 10;

}  // namespace

bool HoldsPattern(const void* p, uint64_t size, uint64_t limit, uint32_t slot) {
  if (size == 0 || limit == 0) return true;
  auto* b = static_cast<const uint8_t*>(p);
  for (uint64_t off = 0; off < limit; off += kTouchStride) {
    uint8_t want =
        off == size - 1 ? PatternByte(slot, kLastBytePage) : PatternByte(slot, off / kTouchStride);
    if (b[off] != want) return false;
  }
  return limit < size || b[size - 1] == PatternByte(slot, kLastBytePage);
}

bool ReadsZero(const void* p, uint64_t size) {
  auto* b = static_cast<const uint8_t*>(p);
  const uint64_t full = size < kFullZeroCheck ? size : kFullZeroCheck;
  for (uint64_t i = 0; i < full; ++i) {
    if (b[i] != 0) return false;
  }
  for (uint64_t off = full; off < size; off += kTouchStride) {
    if (b[off] != 0) return false;
  }
  return size <= full || b[size - 1] == 0;
}

void CheckLog::Fail(const std::string& message) {
  if (failures_.fetch_add(1, std::memory_order_relaxed) == 0) {
    std::lock_guard lock(mu_);
    first_ = message;
  }
}

void CheckLog::Fatal(const std::string& message) {
  Fail(message);
  std::lock_guard lock(mu_);
  if (!fatal_.exchange(true, std::memory_order_relaxed)) fatal_message_ = message;
}

std::string CheckLog::first_failure() const {
  std::lock_guard lock(mu_);
  return first_;
}

std::string CheckLog::fatal_message() const {
  std::lock_guard lock(mu_);
  return fatal_message_;
}

}  // namespace goalloc::replay
