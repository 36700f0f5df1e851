// Size classes that fit a workload (docs/size-classes.md): the waste a size-class table
// costs a histogram of objects, and the table of at most N classes that minimises it, found
// exactly by dynamic programming.
//
// Waste of a table for a set of objects that coexist (the objects live at a trace's peak, or
// with --objective alloc every object the trace allocates): rounding (slot or page bytes
// beyond the request, Go's 8-byte malloc header included) + tail waste of the spans needed
// to hold them packed (each span class's objects in ceil(objects / slots per span) spans)
// + half a span for each span class that holds objects: the free slots a partly filled span
// holds, on average, in a running heap. (The exact free slots of the packed snapshot's last
// span reward spans sized to fit the snapshot's count, 42 objects of 4480 B in 23 pages, which
// lie partly empty the rest of the time: docs/size-classes.md measures both.) Tiny objects
// (noscan, under 16 B) are packed into 16-byte blocks whatever the table: left out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/alloc/size_class_table.h"

namespace goalloc::tune {

// Objects of one request kind, and how many.
struct ObjectGroup {
  uint64_t size = 0;
  uint32_t align = 0;  // aligned_alloc's alignment; 0 for the others
  bool noscan = true;
  uint64_t count = 0;
};

struct Histogram {
  std::string name;  // the trace
  std::vector<ObjectGroup> groups;
  double weight = 1;  // in the objective: weight × waste / requested
  uint64_t requested() const;
};

struct Waste {
  uint64_t requested = 0;      // bytes asked for, tiny objects apart
  uint64_t rounding = 0;       // small and large objects, as the heap counts it
  uint64_t tail = 0;           // of the packed spans
  uint64_t partial_spans = 0;  // half a span per span class holding objects
  uint64_t tiny_objects = 0;   // left out
  uint64_t total() const { return rounding + tail + partial_spans; }
};

// Where each group lands under `table` (as MCache::Malloc / AlignedAlloc place it), packed.
Waste PredictWaste(const alloc::SizeClassTable& table, const Histogram& h);

// The class size every request of `size` bytes (header included) needs under the rules:
// rounded up to 8, to 16 from 32 B, to 128 above 1 KiB.
uint32_t RoundToRules(uint64_t size);

struct Tuned {
  std::vector<alloc::SizeClassRow> rows;  // classes 1.. (8 B and 16 B first), pages given
  double objective = 0;                   // Σ weight × small-object waste / requested
};

// The pages a class may have: any the rules allow (1 to 32), or at most the fewest whose
// tail is 1/8 of the span or less (Go's rule, PagesByGoRule).
enum class PageLimit { kAny, kGoRule };

// The rows of at most max_classes classes (3..127) minimising the objective over every table
// the rules allow (pages within `limit`), exactly (class_tuner.cc says why the sizes it tries
// are enough). Aligned requests (align > 8) count by size, so for them it may not be optimal.
Tuned TuneClasses(const std::vector<Histogram>& histograms, int max_classes,
                  PageLimit limit = PageLimit::kAny);

// The floor: the waste of h if every rounded size seen had a class of its own (any number of
// classes), each with its best size and pages (any the rules allow).
Waste FloorWaste(const Histogram& h);

}  // namespace goalloc::tune
