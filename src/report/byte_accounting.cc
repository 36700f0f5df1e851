// The byte accounting of the Go-style heap (see byte_accounting.h).
#include "src/report/byte_accounting.h"

#include <fmt/core.h>

namespace goalloc::report {

uint64_t ByteAccounting::explained() const {
  uint64_t sum = 0;
  for (uint64_t ByteAccounting::*part : kHeldParts) sum += this->*part;
  return sum;
}

uint64_t ByteAccounting::overhead() const {
  uint64_t sum = 0;
  for (uint64_t ByteAccounting::*cause : kOverheadCauses) sum += this->*cause;
  return sum;
}

std::string HeldPartsSum(bool with_garbage) {
  std::string sum;
  for (uint64_t ByteAccounting::*part : kHeldParts) {
    if (part == &ByteAccounting::garbage && !with_garbage) continue;
    sum += (sum.empty() ? "" : " + ") + std::string(AccountingFigure(part).key);
  }
  return sum;
}

ByteAccounting AccountingOf(const alloc::HeapStats& stats) {
  return {.sys = stats.totals.sys,
          .released = stats.totals.released,
          .metadata = stats.totals.metadata,
          .inuse = stats.totals.inuse,
          .idle = stats.totals.idle,
          .spans_in_use = stats.totals.spans_in_use,
          .requested = stats.requested,
          .garbage = stats.garbage,
          .rounding = stats.rounding,
          .tiny_waste = stats.tiny_waste,
          .free_slots = stats.free_slots,
          .tail_waste = stats.tail_waste};
}

std::string AccountingMismatch(const ByteAccounting& a) {
  if (a.adds_up()) return "";
  if (a.sys < a.released) {
    return fmt::format("released ({} B) exceeds sys ({} B)", a.released, a.sys);
  }
  return fmt::format("sys − released = {} B but {} = {} B (difference {} B)", a.held(),
                     HeldPartsSum(/*with_garbage=*/true), a.explained(),
                     int64_t(a.held() - a.explained()));
}

}  // namespace goalloc::report
