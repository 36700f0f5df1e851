// The byte accounting of the Go-style heap at one snapshot (docs/report.md, "heap"):
//   sys − released = requested + garbage + rounding + tiny_waste + free_slots + tail_waste + idle
// (garbage: GC mode's objects dropped and not yet swept, 0 otherwise) and the footprint sys −
// released + metadata. The reporter checks the identity on every snapshot; a snapshot that does not
// add up is a failed check (exit status 1).
#pragma once

#include <cstdint>
#include <string>

#include "src/alloc/heap_stats.h"

namespace goalloc::report {

struct ByteAccounting {
  uint64_t sys = 0, released = 0, metadata = 0, inuse = 0, idle = 0, spans_in_use = 0;
  uint64_t requested = 0, garbage = 0, rounding = 0, tiny_waste = 0, free_slots = 0, tail_waste = 0;

  // The left side: heap pages mapped and not released (0 when released > sys).
  uint64_t held() const { return sys >= released ? sys - released : 0; }
  // The right side: where every held byte went.
  uint64_t explained() const {
    return requested + garbage + rounding + tiny_waste + free_slots + tail_waste + idle;
  }
  bool adds_up() const { return sys >= released && held() == explained(); }
  uint64_t footprint() const { return held() + metadata; }
  // Bytes of footprint that are not requested bytes, by cause (they sum to
  // footprint − requested when the accounting adds up).
  uint64_t overhead() const {
    return garbage + rounding + tiny_waste + free_slots + tail_waste + idle + metadata;
  }
};

ByteAccounting AccountingOf(const alloc::HeapStats& stats);

// "" when `a` adds up, else a sentence naming both sides and the difference.
std::string AccountingMismatch(const ByteAccounting& a);

}  // namespace goalloc::report
