// The `go` backend (see go_backend.h).
#include "src/replay/go_backend.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "src/alloc/sizeclasses.h"

namespace goalloc::replay {
namespace {

constexpr uint64_t kPage = 4096;

// True when the machine has no swap (then only resident pages can hold non-zero data).
bool NoSwap() {
  std::FILE* f = std::fopen("/proc/meminfo", "r");
  if (f == nullptr) return false;
  char line[256];
  bool none = false;
  unsigned long long kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "SwapTotal: %llu kB", &kib) == 1) {
      none = kib == 0;
      break;
    }
  }
  std::fclose(f);
  return none;
}

constexpr uint64_t kClearByResidency = 64 << 10;  // smaller objects: plain memset

}  // namespace

// Every calloc passes here: the small path is a test and a tail call to memset, with no
// frame; the frame of ClearByResidency (its mincore buffer, the stack protector) is set up
// only for large objects. Out of line: inlined into the replay loop, the test cost the
// loop's free path a register (docs/performance.md, issue 21).
void GoBackend::ClearObject(void* p, uint64_t size) {
  if (size < kClearByResidency) [[likely]] {
    std::memset(p, 0, size);
  } else {
    ClearByResidency(p, size);
  }
}

[[gnu::noinline]] void GoBackend::ClearByResidency(void* p, uint64_t size) {
  static const bool no_swap = NoSwap();
  if (!no_swap) {
    std::memset(p, 0, size);
    return;
  }
  const uintptr_t start = reinterpret_cast<uintptr_t>(p), end = start + size;
  const uintptr_t first = (start + kPage - 1) & ~(kPage - 1), last = end & ~(kPage - 1);
  std::memset(p, 0, first - start);  // partial pages at both ends
  std::memset(reinterpret_cast<void*>(last), 0, end - last);
  unsigned char resident[1024];
  for (uintptr_t chunk = first; chunk < last; chunk += sizeof resident * kPage) {
    const uint64_t pages = std::min<uint64_t>(sizeof resident, (last - chunk) / kPage);
    if (::mincore(reinterpret_cast<void*>(chunk), pages * kPage, resident) != 0) {
      std::memset(reinterpret_cast<void*>(chunk), 0, pages * kPage);
      continue;
    }
    // One memset per run of resident pages, not per page: memset picks its strategy by
    // size (fast-string stores for long runs), which clears phases.gat.zst's large callocs
    // in less time than page-sized calls did.
    for (uint64_t i = 0; i < pages;) {
      if ((resident[i] & 1) == 0) {
        ++i;
        continue;
      }
      uint64_t run = i + 1;
      while (run < pages && (resident[run] & 1) != 0) ++run;
      std::memset(reinterpret_cast<void*>(chunk + i * kPage), 0, (run - i) * kPage);
      i = run;
    }
  }
}

GoBackend::GoBackend(const alloc::HeapConfig& config, uint32_t threads)
    : heap_(config), caches_(threads, nullptr), footprint_(heap_.FootprintWord()) {}

GoBackend::~GoBackend() { ReleaseContexts(); }

void GoBackend::ReleaseContexts() {
  for (alloc::MCache* c : caches_) {
    if (c != nullptr) heap_.ReleaseMCache(c);
  }
  caches_.clear();
}

GoGcBackendBase::GoGcBackendBase(const alloc::HeapConfig& config, uint32_t threads)
    : GoBackend(config, threads),
      config_(config.gc),
      clock_(heap_.GcClock()),
      due_(heap_.GcSafepointDue()) {}

GcFigures GoGcBackendBase::Figures(alloc::MCache* c) {
  const alloc::GcStats g = heap_.ReadGc();  // before the final GC, which is not the trace's
  GcFigures gc;
  gc.model = true;
  gc.gogc = config_.gogc;
  gc.memory_limit_bytes = config_.memory_limit;
  gc.cycles = g.cycles;
  gc.peak_heap_inuse = g.peak_heap_inuse;
  gc.peak_heap_inuse_event = g.peak_heap_inuse_event;
  gc.peak_heap_alloc = g.peak_heap_alloc;
  gc.heap_goal_at_end = g.goal;
  gc.mark_seconds = double(g.mark_ns) * 1e-9;
  gc.sweep_seconds = double(g.sweep_ns) * 1e-9;
  for (size_t i = 0; i < g.cycle_log.size(); i++) {
    const alloc::GcCycleStats& k = g.cycle_log[i];
    GcCycle cycle;
    cycle.cycle = i + 1;
    cycle.event = k.mark_termination_event;
    cycle.heap_goal = k.next_goal;
    cycle.trigger_event = k.trigger_event;
    cycle.heap_live_at_trigger = k.heap_live_at_trigger;
    cycle.trigger = k.trigger;
    cycle.goal = k.goal;
    cycle.heap_marked = k.heap_marked;
    cycle.heap_inuse_start = k.heap_inuse_start;
    cycle.heap_inuse_end = k.heap_inuse_end;
    cycle.spans_swept = k.spans_swept;
    cycle.pages_released = k.pages_released;
    gc.cycle_log.push_back(cycle);
  }
  if (!gc.cycle_log.empty() && g.cycle_log.back().heap_inuse_end == 0) {
    gc.cycle_log.back().heap_inuse_end = heap_.ReadTotals().inuse;  // still sweeping at the end
  }
  // runtime.GC() at the end, as the go-runtime backend does: HeapAlloc is then the live
  // objects' slots, which the span walk counts independently of the collector's counters.
  heap_.GcCollect(c);
  const alloc::HeapStats st = heap_.ReadStats();
  gc.heap_alloc_after_final_gc = heap_.ReadGc().heap_alloc;
  uint64_t slots = st.large.pages * alloc::kPageSize;
  for (const alloc::SpanClassStats& k : st.span_classes) slots += k.objects_in_use * k.object_size;
  gc.predicted_heap_alloc_after_final_gc = slots;
  gc.final_gc_checked = true;
  gc.heap_inuse_after_final_gc = st.totals.inuse;
  return gc;
}

void GoBackend::FillSample(Sample& s) const {
  const alloc::HeapTotals t = heap_.ReadTotals();
  s.footprint = t.footprint();
  s.heap = t;
}

void GoBackend::FillSnapshot(Snapshot& s) const {
  alloc::HeapStats stats = heap_.ReadStats();
  s.footprint = stats.totals.footprint();
  s.go = std::move(stats);
}

}  // namespace goalloc::replay
