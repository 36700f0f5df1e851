// Sample points and per-thread event lists (see sample_plan.h).
#include "src/replay/sample_plan.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace goalloc::replay {
namespace {

// `points` (ascending) and a GC point after each event at which the bytes the trace has
// allocated reach the next multiple of `spacing`, unless a point is there already.
HugeVector<SamplePoint> WithGcPoints(const PreparedTrace& trace,
                                     const HugeVector<SamplePoint>& points, uint64_t spacing) {
  const auto events = trace.events();
  const uint64_t* size = trace.begin_sizes().data();
  HugeVector<SamplePoint> merged;
  size_t next = 0;
  uint64_t allocated = 0, threshold = spacing;
  for (uint64_t i = 0; i < events.size(); ++i) {
    if (!BeginsObject(events[i].op)) continue;
    allocated += *size++;
    if (allocated < threshold) continue;
    threshold = (allocated / spacing + 1) * spacing;
    while (next < points.size() && points[next].index < i) merged.push_back(points[next++]);
    if (next == points.size() || points[next].index != i) merged.push_back({.index = i});
  }
  merged.insert(merged.end(), points.begin() + int64_t(next), points.end());
  return merged;
}

}  // namespace

HugeVector<SamplePoint> PlanSamples(const PreparedTrace& trace, uint32_t timeline_samples,
                                    uint64_t gc_point_bytes) {
  const auto events = trace.events();
  HugeVector<SamplePoint> points;
  if (events.empty()) return points;
  const uint64_t last = events.size() - 1;
  // N points evenly spaced over [0, last], first and last included.
  for (uint64_t i = 0; i < timeline_samples; ++i) {
    const uint64_t index = timeline_samples == 1 ? last : i * last / (timeline_samples - 1);
    if (points.empty() || points.back().index != index) points.push_back({.index = index});
    points.back().timeline = true;
  }
  if (gc_point_bytes != 0) points = WithGcPoints(trace, points, gc_point_bytes);
  auto at = [&](uint64_t index) -> SamplePoint& {
    auto it = std::lower_bound(points.begin(), points.end(), index,
                               [](const SamplePoint& p, uint64_t i) { return p.index < i; });
    if (it == points.end() || it->index != index) it = points.insert(it, {.index = index});
    return *it;
  };
  at(trace.peak_live_index()).peak_live = true;
  at(last).end = true;
  // Live bytes after each point: the sizes of the objects begun so far minus those of the
  // objects ended, from counts of each kind of event. Counting and summing take no branch on
  // the op, whose outcome is data (as two branches per event this pass took longer than
  // replaying the trace with the noop backend).
  const auto begin_sizes = trace.begin_sizes(), end_sizes = trace.end_sizes();
  uint64_t live = 0, begun = 0, ended = 0, i = 0;
  for (SamplePoint& p : points) {
    uint64_t begins = begun, ends = ended;
    for (; i <= p.index; ++i) {
      begins += BeginsObject(events[i].op);
      ends += EndsObject(events[i].op);
    }
    live += std::accumulate(begin_sizes.begin() + begun, begin_sizes.begin() + begins, uint64_t{0});
    live -= std::accumulate(end_sizes.begin() + ended, end_sizes.begin() + ends, uint64_t{0});
    begun = begins;
    ended = ends;
    p.live = live;
  }
  return points;
}

HugeVector<ThreadEvents> SplitByThread(const PreparedTrace& trace, uint32_t threads,
                                       std::span<const SamplePoint> points) {
  const auto events = trace.events();
  HugeVector<ThreadEvents> work(threads);
  if (threads == 1) {
    work[0].events = events;
    work[0].begin_sizes = trace.begin_sizes();
    work[0].end_sizes = trace.end_sizes();
    work[0].realloc_slots = trace.realloc_slots();
    for (const SamplePoint& p : points) work[0].pause_before.push_back(p.index + 1);
    return work;
  }
  // Replay thread of each event; consecutive events mostly share a tid, so the division is
  // done once per run of events.
  const auto tids = trace.tids();
  HugeVector<uint32_t> thread_of(events.size());
  HugeVector<size_t> counts(threads);
  uint32_t last_tid = 0, last_thread = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i == 0 || tids[i] != last_tid) {
      last_tid = tids[i];
      last_thread = last_tid % threads;
    }
    thread_of[i] = last_thread;
    counts[last_thread]++;
  }
  for (uint32_t r = 0; r < threads; ++r) {
    work[r].copy.reserve(counts[r]);
    work[r].pause_before.reserve(points.size());
  }
  size_t next = 0;
  const uint64_t* begin_size = trace.begin_sizes().data();
  const uint64_t* end_size = trace.end_sizes().data();
  const uint32_t* realloc_slot = trace.realloc_slots().data();
  for (size_t i = 0; i < events.size(); ++i) {
    ThreadEvents& mine = work[thread_of[i]];
    const trace::Op op = events[i].op;
    mine.copy.push_back(events[i]);
    if (BeginsObject(op)) mine.begin_sizes_copy.push_back(*begin_size++);
    if (EndsObject(op)) mine.end_sizes_copy.push_back(*end_size++);
    if (op == trace::Op::kRealloc) mine.realloc_copy.push_back(*realloc_slot++);
    for (; next < points.size() && points[next].index == i; ++next) {
      for (ThreadEvents& w : work) w.pause_before.push_back(w.copy.size());
    }
  }
  for (ThreadEvents& w : work) {
    w.events = w.copy;
    w.begin_sizes = w.begin_sizes_copy;
    w.end_sizes = w.end_sizes_copy;
    w.realloc_slots = w.realloc_copy;
  }
  return work;
}

uint64_t CompactIndexOf(const PreparedTrace& trace, std::span<const ThreadEvents> work,
                        const ReplayEvent* e) {
  const auto events = trace.events();
  if (e >= events.data() && e < events.data() + events.size()) return e - events.data();
  for (size_t r = 0; r < work.size(); ++r) {
    const auto mine = work[r].events;
    if (e < mine.data() || e >= mine.data() + mine.size()) continue;
    // The k-th event of replay thread r's copy: the k-th of the trace that SplitByThread
    // gave to r.
    uint64_t k = e - mine.data();
    const auto tids = trace.tids();
    for (uint64_t i = 0; i < events.size(); ++i) {
      if (tids[i] % work.size() == r && k-- == 0) return i;
    }
  }
  throw std::logic_error("an event outside the replayed arrays");
}

}  // namespace goalloc::replay
