// The byte accounting of the Go-style heap (see byte_accounting.h).
#include "src/report/byte_accounting.h"

#include <fmt/core.h>

namespace goalloc::report {

ByteAccounting AccountingOf(const alloc::HeapStats& stats) {
  ByteAccounting a;
  a.sys = stats.totals.sys;
  a.released = stats.totals.released;
  a.metadata = stats.totals.metadata;
  a.inuse = stats.totals.inuse;
  a.idle = stats.totals.idle;
  a.spans_in_use = stats.totals.spans_in_use;
  a.requested = stats.requested;
  a.garbage = stats.garbage;
  a.rounding = stats.rounding;
  a.tiny_waste = stats.tiny_waste;
  a.free_slots = stats.free_slots;
  a.tail_waste = stats.tail_waste;
  return a;
}

std::string AccountingMismatch(const ByteAccounting& a) {
  if (a.adds_up()) return "";
  if (a.sys < a.released) {
    return fmt::format("released ({} B) exceeds sys ({} B)", a.released, a.sys);
  }
  return fmt::format(
      "sys − released = {} B but requested + garbage + rounding + tiny_waste + free_slots + "
      "tail_waste + idle = {} B (difference {} B)",
      a.held(), a.explained(), int64_t(a.held() - a.explained()));
}

}  // namespace goalloc::report
