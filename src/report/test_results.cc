// Replay results built by hand for the reporter's unit tests (see test_results.h).
#include "src/report/test_results.h"

#include <array>
#include <tuple>
#include <utility>

#include "src/trace/event.h"

namespace goalloc::report::testing {
namespace {

constexpr uint64_t kPage = 8192;
constexpr uint64_t kChunk = 4 << 20;
constexpr uint64_t kMetadata = 64 << 10;

alloc::HeapStats Stats(uint64_t objects_in_use, uint64_t mallocs, uint64_t frees) {
  alloc::HeapStats s;
  s.totals.sys = kChunk;
  s.totals.released = 0;
  s.totals.inuse = 3 * kPage;
  s.totals.idle = kChunk - 3 * kPage;
  s.totals.metadata = kMetadata;
  s.totals.spans_in_use = 3;
  s.requested = 24 * objects_in_use;
  s.rounding = 0;
  s.tiny_waste = 0;
  s.free_slots = (3 * 341 - objects_in_use) * 24;
  s.tail_waste = 3 * 8;
  s.mallocs = mallocs;
  s.frees = frees;
  alloc::SpanClassStats c;
  c.size_class = 3;
  c.noscan = true;
  c.object_size = 24;
  c.span_pages = 1;
  c.span_slots = 341;
  c.spans_mcache = 1;
  c.spans_partial = objects_in_use == 1000 ? 0 : 2;
  c.spans_full = objects_in_use == 1000 ? 2 : 0;
  c.objects_in_use = objects_in_use;
  c.slots = 3 * 341;
  c.mallocs = mallocs;
  c.frees = frees;
  c.requested = s.requested;
  c.free_slots = s.free_slots;
  c.tail_waste = s.tail_waste;
  c.occupancy_histogram = objects_in_use == 1000 ? std::array<uint64_t, 5>{0, 0, 0, 1, 2}
                                                 : std::array<uint64_t, 5>{0, 0, 3, 0, 0};
  s.span_classes = {c};
  s.large = {};
  s.tiny = {};
  s.locks = {{"mheap", 3, 0, 0, 0}, {"mcentral[3n]", 5, 0, 0, 0}};
  return s;
}

}  // namespace

replay::TraceSummary SmallTrace() {
  replay::TraceSummary t;
  t.path = "small.json";
  t.encoding = "json";
  t.events = 1500;
  t.threads = 2;
  t.ops[size_t(trace::Op::kMalloc)] = 1000;
  t.ops[size_t(trace::Op::kFree)] = 500;
  t.peak_live_bytes = 24000;
  t.peak_live_objects = 1000;
  t.peak_live_event = 999;
  t.final_live_bytes = 12000;
  t.final_live_objects = 500;
  return t;
}

namespace {

// A run of the small trace's 1,500 events on two threads, taking `seconds`.
replay::ReplayResult SmallRun(const char* allocator, const char* mode, double seconds) {
  return {.allocator = allocator,
          .mode = mode,
          .threads = 2,
          .replay_seconds = seconds,
          .cpu_seconds = seconds,
          .events_per_second = 1500 / seconds,
          .events_replayed = 1500};
}

}  // namespace

replay::ReplayResult SmallGoRun() {
  replay::ReplayResult r = SmallRun("go", "sim", 0.001);
  const uint64_t footprint = kChunk + kMetadata;
  // Samples: before anything is live, at the first malloc, at the peak, at the end.
  for (auto [event, live] :
       {std::pair<uint64_t, uint64_t>{0, 0}, {1, 24}, {999, 24000}, {1499, 12000}}) {
    replay::Sample s;
    s.event = event;
    s.live = live;
    s.footprint = live == 0 ? 0 : footprint;
    s.heap = Stats(live / 24, live / 24, 0).totals;
    r.timeline.push_back(s);
  }
  r.at_peak_live = {999, true, 24000, footprint, Stats(1000, 1000, 0), std::nullopt};
  r.at_end = {1499, true, 12000, footprint, Stats(500, 1000, 500), std::nullopt};
  r.peak_footprint = footprint;
  r.peak_footprint_event = 1;
  r.live_at_peak_footprint = 24;
  r.locks = Stats(0, 0, 0).locks;
  return r;
}

replay::ReplayResult SmallGlibcRun() {
  replay::ReplayResult r = SmallRun("glibc", "parallel", 0.002);
  r.peak_rss_bytes = 40960;
  for (auto [event, live, fp] : {std::tuple<uint64_t, uint64_t, uint64_t>{0, 0, 0},
                                 {999, 24000, 36864},
                                 {1499, 12000, 36864}}) {
    replay::Sample s;
    s.event = event;
    s.live = live;
    s.footprint = fp;
    r.timeline.push_back(s);
  }
  replay::SystemHeap h;
  h.rss_bytes = 36864;
  h.has_mallinfo = true;
  h.arena = 135168;
  h.uordblks = 32000;
  h.fordblks = 103168;
  // mallinfo2's figures: the replayer's own 4,096 B allocated at the baseline.
  r.allocator_stats_source = "mallinfo2";
  r.allocator_stats_baseline = replay::AllocatorStats{.mapped = 8192, .allocated = 4096};
  h.allocator = replay::AllocatorStats{.mapped = 135168, .allocated = 32000};
  r.at_peak_live = {999, true, 24000, 36864, std::nullopt, h};
  r.at_end = {1499, true, 12000, 36864, std::nullopt, h};
  r.peak_footprint = 36864;
  r.peak_footprint_event = 999;
  r.live_at_peak_footprint = 24000;
  return r;
}

}  // namespace goalloc::report::testing
