// The byte accounting of the Go-style heap at one snapshot (docs/report.md, "heap"):
//   sys − released = requested + garbage + rounding + tiny_waste + free_slots + tail_waste + idle
// (garbage: GC mode's objects dropped and not yet swept, 0 otherwise) and the footprint sys −
// released + metadata. The reporter checks the identity on every snapshot; a snapshot that does not
// add up is a failed check (exit status 1). Each figure is declared once, in
// kAccountingFigures; the identity's two sums are kHeldParts and kOverheadCauses.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "src/alloc/heap_stats.h"
#include "src/report/figure.h"

namespace goalloc::report {

struct ByteAccounting {
  uint64_t sys = 0, released = 0, metadata = 0, inuse = 0, idle = 0, spans_in_use = 0;
  uint64_t requested = 0, garbage = 0, rounding = 0, tiny_waste = 0, free_slots = 0, tail_waste = 0;

  // The left side: heap pages mapped and not released (0 when released > sys).
  uint64_t held() const { return sys >= released ? sys - released : 0; }
  // The right side: where every held byte went (the sum of kHeldParts).
  uint64_t explained() const;
  bool adds_up() const { return sys >= released && held() == explained(); }
  uint64_t footprint() const { return held() + metadata; }
  // Bytes of footprint that are not requested bytes, by cause (the sum of kOverheadCauses:
  // footprint − requested when the accounting adds up).
  uint64_t overhead() const;
};

// Every figure of a snapshot's accounting, in the JSON report's order ("heap.*").
inline constexpr std::array<Figure<ByteAccounting>, 13> kAccountingFigures = {{
    {"sys", "sys", &ByteAccounting::sys, "B", "heap bytes mapped from the OS (Go's HeapSys)"},
    {"released", "released", &ByteAccounting::released, "B",
     "of sys, returned to the OS by the scavenger or never touched (HeapReleased)"},
    {"metadata", "metadata", &ByteAccounting::metadata, "B", "the allocator's own metadata mapped"},
    {"inuse", "inuse (in-use spans)", &ByteAccounting::inuse, "B",
     "bytes of pages in in-use spans (HeapInuse)"},
    {"idle", "idle", &ByteAccounting::idle, "B",
     "free pages held and not released (HeapIdle − HeapReleased)"},
    {"spans_in_use", "spans in use", &ByteAccounting::spans_in_use, "spans",
     "spans in use (small and large)"},
    {"requested", "requested", &ByteAccounting::requested, "B",
     "requested bytes of live objects, as the allocator counts them"},
    {"garbage", "garbage", &ByteAccounting::garbage, "B",
     "GC mode (`--gogc`, `--memory-limit`): slot bytes (large: whole pages) of objects freed in "
     "the trace and not yet swept; tiny sub-objects count their requested bytes (their block's "
     "rest stays in `tiny_waste`). 0 in explicit-free mode"},
    {"rounding", "rounding", &ByteAccounting::rounding, "B",
     "object-size (or whole-page) bytes minus requested bytes of live objects"},
    {"tiny_waste", "tiny waste", &ByteAccounting::tiny_waste, "B",
     "unused bytes in live tiny blocks"},
    {"free_slots", "free slots", &ByteAccounting::free_slots, "B",
     "bytes of free slots in in-use spans"},
    {"tail_waste", "tail waste", &ByteAccounting::tail_waste, "B",
     "bytes at span ends that hold no slot"},
    {"adds_up", "adds up", &ByteAccounting::adds_up, "—",
     "sys − released = requested + garbage + rounding + tiny_waste + free_slots + tail_waste + "
     "idle"},
}};

// The right side of the identity, in the order every report lists it.
inline constexpr std::array<uint64_t ByteAccounting::*, 7> kHeldParts = {
    &ByteAccounting::requested,  &ByteAccounting::garbage,    &ByteAccounting::rounding,
    &ByteAccounting::tiny_waste, &ByteAccounting::free_slots, &ByteAccounting::tail_waste,
    &ByteAccounting::idle};

// The footprint beyond requested bytes, by cause ("fragmentation.causes_at_peak_live").
inline constexpr std::array<uint64_t ByteAccounting::*, 7> kOverheadCauses = {
    &ByteAccounting::garbage,    &ByteAccounting::rounding,   &ByteAccounting::tiny_waste,
    &ByteAccounting::free_slots, &ByteAccounting::tail_waste, &ByteAccounting::idle,
    &ByteAccounting::metadata};

inline const Figure<ByteAccounting>& AccountingFigure(uint64_t ByteAccounting::*member) {
  return FigureOf(kAccountingFigures, member);
}

// "requested + garbage + … + idle": the right side's keys; without garbage when
// `with_garbage` is false (explicit-free mode, where it is always 0).
std::string HeldPartsSum(bool with_garbage);

ByteAccounting AccountingOf(const alloc::HeapStats& stats);

// "" when `a` adds up, else a sentence naming both sides and the difference.
std::string AccountingMismatch(const ByteAccounting& a);

}  // namespace goalloc::report
