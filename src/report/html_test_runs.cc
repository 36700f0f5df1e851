// Synthetic replays for the HTML report's tests (see html_test_runs.h).
#include "src/report/html_test_runs.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace goalloc::report {
namespace {

constexpr uint64_t kPage = 8192;
constexpr uint64_t kEvents = 10000;
constexpr uint64_t kPeakEvent = 6000;

struct ClassShape {
  int size_class;
  bool noscan;
  uint32_t object_size, slots_per_span, tail;  // slots × size + tail = one page
};
constexpr ClassShape kClasses[] = {
    {2, true, 16, 512, 0}, {3, true, 24, 341, 8}, {5, false, 48, 170, 32}, {18, true, 256, 32, 0}};

// A heap holding `scale` × a fixed population: every class's objects, spans and bytes.
alloc::HeapStats Heap(uint64_t scale, uint64_t idle_pages, uint64_t released_pages) {
  alloc::HeapStats h;
  uint64_t inuse = 0;
  for (const ClassShape& s : kClasses) {
    alloc::SpanClassStats c;
    c.size_class = s.size_class;
    c.noscan = s.noscan;
    c.object_size = s.object_size;
    c.span_pages = 1;
    c.span_slots = s.slots_per_span;
    uint64_t objects = scale * (600 / uint64_t(s.size_class));
    uint64_t spans = (objects + s.slots_per_span - 1) / s.slots_per_span + 1;  // one spare span
    c.spans_mcache = 1;
    c.spans_full = objects / s.slots_per_span;
    c.spans_partial = spans - c.spans_mcache - c.spans_full;
    c.objects_in_use = objects;
    c.slots = spans * s.slots_per_span;
    c.mallocs = objects * 3;
    c.frees = objects * 2;
    c.requested = objects * (s.object_size - s.object_size / 8);
    c.rounding = objects * s.object_size - c.requested;
    c.free_slots = (c.slots - objects) * s.object_size;
    c.tail_waste = spans * s.tail;
    c.occupancy_histogram = {1, 0, 0, c.spans_partial, c.spans_full};
    h.requested += c.requested;
    h.rounding += c.rounding;
    h.free_slots += c.free_slots;
    h.tail_waste += c.tail_waste;
    inuse += spans * kPage;
    h.span_classes.push_back(c);
  }
  h.large = {5, 4, 1, 100'000, 13, 13 * kPage - 100'000};
  h.requested += h.large.live_bytes;
  h.rounding += h.large.rounding;
  inuse += h.large.pages * kPage;
  h.totals.inuse = inuse;
  h.totals.idle = idle_pages * kPage;
  h.totals.released = released_pages * kPage;
  h.totals.sys = inuse + h.totals.idle + h.totals.released;
  h.totals.metadata = 64 * 1024;
  return h;
}

replay::Snapshot GoSnapshot(uint64_t event, alloc::HeapStats heap) {
  replay::Snapshot s;
  s.event = event;
  s.go = std::move(heap);
  s.live = s.go->requested;
  s.footprint = s.go->totals.footprint();
  return s;
}

// The heaps of the two snapshots: at peak live, and at the end with half the objects.
alloc::HeapStats PeakHeap() { return Heap(40, 0, 0); }
alloc::HeapStats EndHeap() { return Heap(20, 30, 10); }

// Live bytes after event e: rising to the peak at kPeakEvent, then falling to the end's.
uint64_t LiveAt(uint64_t e) {
  double peak = double(PeakHeap().requested), end = double(EndHeap().requested);
  if (e <= kPeakEvent) return uint64_t(peak * (0.2 + 0.8 * double(e) / kPeakEvent));
  return uint64_t(peak + (end - peak) * double(e - kPeakEvent) / double(kEvents - 1 - kPeakEvent));
}

}  // namespace

replay::TraceSummary TestTrace(const std::string& path) {
  replay::TraceSummary t;
  t.path = path;
  t.encoding = "json";
  t.events = kEvents;
  t.threads = 4;
  t.ops = {5000, 100, 50, 10, 4840};
  t.peak_live_bytes = PeakHeap().requested;
  t.peak_live_event = kPeakEvent;
  t.final_live_bytes = EndHeap().requested;
  return t;
}

namespace {

// A run of the test trace's kEvents events on its threads, taking `seconds`.
replay::ReplayResult TestRun(const std::string& allocator, const std::string& mode,
                             const replay::TraceSummary& trace, double seconds) {
  return {.allocator = allocator,
          .mode = mode,
          .threads = trace.threads,
          .replay_seconds = seconds,
          .events_per_second = double(kEvents) / seconds};
}

}  // namespace

replay::ReplayResult TestGoRun(const replay::TraceSummary& trace, const std::string& mode) {
  replay::ReplayResult r = TestRun("go", mode, trace, 0.25);
  for (uint64_t e = 0; e < kEvents; e += 100) {
    replay::Sample s;
    s.event = e;
    s.live = LiveAt(e);
    alloc::HeapTotals h;
    h.inuse = s.live + s.live / 4;
    h.idle = e > kPeakEvent ? (e - kPeakEvent) * 120 : 0;
    h.released = e > 8000 ? (e - 8000) * 100 : 0;
    h.sys = h.inuse + h.idle + h.released;
    h.metadata = 64 * 1024;
    h.spans_in_use = h.inuse / kPage;
    s.footprint = h.footprint();
    s.heap = h;
    r.timeline.push_back(s);
  }
  r.at_peak_live = GoSnapshot(kPeakEvent, PeakHeap());
  r.at_end = GoSnapshot(kEvents - 1, EndHeap());
  r.peak_footprint = r.timeline[70].footprint;
  r.peak_footprint_event = r.timeline[70].event;
  r.live_at_peak_footprint = r.timeline[70].live;
  bool parallel = mode == "parallel";
  r.locks = {
      {"mcentral[5s]", 900, parallel ? 40u : 0u, parallel ? 50'000u : 0u, parallel ? 9'000u : 0u},
      {"mheap", 300, parallel ? 12u : 0u, parallel ? 1'250'000u : 0u, parallel ? 400'000u : 0u},
      {"mcentral[3n]", 2000, 0, 0, 0}};
  return r;
}

replay::ReplayResult TestGlibcRun(const replay::TraceSummary& trace) {
  replay::ReplayResult r = TestRun("glibc", "parallel", trace, 0.2);
  for (uint64_t e = 0; e < kEvents; e += 100) {
    replay::Sample s;
    s.event = e;
    s.live = LiveAt(e);
    s.footprint = std::max<uint64_t>(s.live + s.live / 3, 2'000'000 + e * 10);
    r.timeline.push_back(s);
  }
  for (auto [snap, event] :
       {std::pair{&r.at_peak_live, kPeakEvent}, std::pair{&r.at_end, kEvents - 1}}) {
    snap->event = event;
    snap->live = event == kPeakEvent ? trace.peak_live_bytes : trace.final_live_bytes;
    snap->footprint = snap->live * 2;
    snap->system = replay::SystemHeap{
        snap->footprint, true, snap->footprint, 0, snap->live, snap->footprint - snap->live, 4096};
  }
  r.peak_footprint = r.at_peak_live.footprint;
  r.peak_footprint_event = kPeakEvent;
  r.live_at_peak_footprint = r.at_peak_live.live;
  return r;
}

}  // namespace goalloc::report
