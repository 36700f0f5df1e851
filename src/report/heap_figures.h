// The Go-style heap's reported figures beyond the byte accounting (byte_accounting.h): the
// counters of a snapshot, each span class, large objects and the tiny allocator, each
// declared once (figure.h) in the JSON report's order. The structures are the allocator's
// (src/alloc/heap_stats.h); how they are reported is the reporter's.
#pragma once

#include <array>

#include "src/alloc/heap_stats.h"
#include "src/report/figure.h"

namespace goalloc::report {

// A snapshot's cumulative counters ("heap.*", after the accounting).
inline constexpr std::array<Figure<alloc::HeapStats>, 4> kHeapCounterFigures = {{
    {"mallocs", "mallocs", &alloc::HeapStats::mallocs, "objects",
     "cumulative allocations as callers see them (tiny sub-objects included)"},
    {"frees", "frees", &alloc::HeapStats::frees, "objects", "cumulative frees as callers see them"},
    {"scavenger_runs", "scavenger runs", &alloc::HeapStats::scavenger_runs, "runs",
     "cumulative scavenger runs: one at the end of each simulated GC cycle "
     "(docs/allocator.md), whether or not it released anything"},
    {"scavenged_bytes", "scavenged", &alloc::HeapStats::scavenged_bytes, "B",
     "cumulative bytes the scavenger released"},
}};

// One span class ("size_classes.*[]"); labels are the text table's column heads.
inline constexpr std::array<Figure<alloc::SpanClassStats>, 21> kSpanClassFigures = {{
    {"class", "class", &alloc::SpanClassStats::size_class, "—", "size class, 1–67"},
    {"noscan", "kind", &alloc::SpanClassStats::noscan, "—",
     "noscan span class (objects hold no pointers)"},
    {"object_size", "size", &alloc::SpanClassStats::object_size, "B", "slot size"},
    {"span_pages", "pages", &alloc::SpanClassStats::span_pages, "pages", "8 KiB pages per span"},
    {"span_slots", "per span", &alloc::SpanClassStats::span_slots, "objects", "slots per span"},
    {"spans_mcache", "mcache", &alloc::SpanClassStats::spans_mcache, "spans",
     "spans cached in some P's mcache"},
    {"spans_partial", "partial", &alloc::SpanClassStats::spans_partial, "spans",
     "spans in the mcentral with free slots"},
    {"spans_full", "full", &alloc::SpanClassStats::spans_full, "spans",
     "spans in the mcentral with no free slot"},
    {"objects_in_use", "in use", &alloc::SpanClassStats::objects_in_use, "objects",
     "allocated slots (a tiny block counts once), garbage included"},
    {"garbage_objects", "garbage", &alloc::SpanClassStats::garbage_objects, "objects",
     "GC mode: objects freed in the trace and not yet swept (tiny sub-objects each); 0 in "
     "explicit-free mode"},
    {"garbage", "garbage bytes", &alloc::SpanClassStats::garbage, "B",
     "GC mode: their slot bytes (tiny sub-objects: requested bytes)"},
    {"slots", "slots", &alloc::SpanClassStats::slots, "objects", "slots over in-use spans"},
    {"occupancy", "occupancy", &alloc::SpanClassStats::occupancy, "fraction",
     "objects_in_use / slots (0 when no slot)"},
    {"mallocs", "mallocs", &alloc::SpanClassStats::mallocs, "objects",
     "cumulative slot allocations"},
    {"frees", "frees", &alloc::SpanClassStats::frees, "objects", "cumulative slot frees"},
    {"requested", "requested", &alloc::SpanClassStats::requested, "B",
     "requested bytes of live objects in this class"},
    {"rounding", "rounding", &alloc::SpanClassStats::rounding, "B",
     "slot bytes of live (not garbage) objects − requested (0 for tiny blocks)"},
    {"tiny_waste", "tiny waste", &alloc::SpanClassStats::tiny_waste, "B",
     "tiny class only: unused bytes of live tiny blocks"},
    {"free_slots", "free slots", &alloc::SpanClassStats::free_slots, "B",
     "bytes of free slots in in-use spans"},
    {"tail_waste", "tail waste", &alloc::SpanClassStats::tail_waste, "B",
     "bytes at span ends holding no slot"},
    {"occupancy_histogram", "spans by fill", &alloc::SpanClassStats::occupancy_histogram, "spans",
     "in-use spans by occupancy: [0,25 %), [25,50 %), [50,75 %), [75,100 %), 100 %"},
}};

// Large objects ("large"): over 32 KiB, each in a span of its own.
inline constexpr std::array<Figure<alloc::LargeStats>, 8> kLargeFigures = {{
    {"allocations", "allocations", &alloc::LargeStats::allocations, "objects",
     "cumulative large allocations"},
    {"frees", "frees", &alloc::LargeStats::frees, "objects", "cumulative large frees"},
    {"live_objects", "live objects", &alloc::LargeStats::live_objects, "objects",
     "large spans in use (garbage included)"},
    {"live_bytes", "live bytes", &alloc::LargeStats::live_bytes, "B",
     "requested bytes of live large objects (garbage excluded)"},
    {"pages", "pages", &alloc::LargeStats::pages, "pages", "pages in large spans in use"},
    {"rounding", "page rounding", &alloc::LargeStats::rounding, "B",
     "pages × 8192 − live_bytes − garbage"},
    {"garbage_objects", "garbage objects", &alloc::LargeStats::garbage_objects, "objects",
     "GC mode: large objects freed in the trace and not yet swept"},
    {"garbage", "garbage", &alloc::LargeStats::garbage, "B", "GC mode: their spans' bytes"},
}};

// The tiny allocator ("tiny"): noscan objects under 16 B, packed into 16-byte blocks.
inline constexpr std::array<Figure<alloc::TinyStats>, 4> kTinyFigures = {{
    {"allocs", "allocations", &alloc::TinyStats::allocs, "objects",
     "cumulative tiny sub-object allocations"},
    {"frees", "frees", &alloc::TinyStats::frees, "objects", "cumulative tiny sub-object frees"},
    {"live_objects", "live sub-objects", &alloc::TinyStats::live_objects, "objects",
     "live sub-objects"},
    {"live_blocks", "live blocks", &alloc::TinyStats::live_blocks, "blocks",
     "16-byte blocks holding a live sub-object or current in a P"},
}};

}  // namespace goalloc::report
