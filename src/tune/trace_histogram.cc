// HistogramOf: replays the trace's object lifetimes (no allocator) up to the peak-live event,
// or counts every object that begins.
#include "src/tune/trace_histogram.h"

#include <map>
#include <tuple>

namespace goalloc::tune {

Histogram HistogramOf(const replay::PreparedTrace& trace, Objective objective) {
  struct Live {
    uint64_t size = 0;
    uint32_t align = 0;
    bool noscan = true;
    bool live = false;
  };
  std::map<std::tuple<uint64_t, uint32_t, bool>, uint64_t> counts;
  std::vector<Live> slots(objective == Objective::kPeak ? trace.slots() : 0);
  const auto events = trace.events();
  const uint64_t last = objective == Objective::kPeak ? trace.peak_live_index() + 1 : events.size();
  size_t begin = 0, realloc = 0;
  for (uint64_t i = 0; i < last && i < events.size(); i++) {
    const replay::ReplayEvent& e = events[i];
    uint32_t born = e.slot;
    if (replay::EndsObject(e.op)) {
      if (objective == Objective::kPeak) slots[e.slot].live = false;
      if (e.op == trace::Op::kRealloc) born = trace.realloc_slots()[realloc++];
    }
    if (!replay::BeginsObject(e.op)) continue;
    const uint64_t size = trace.begin_sizes()[begin++];
    const uint32_t align = e.op == trace::Op::kAlignedAlloc ? uint32_t(e.align()) : 0;
    if (objective == Objective::kPeak) {
      slots[born] = {size, align, !e.scan, true};
    } else {
      counts[{size, align, !e.scan}]++;
    }
  }
  for (const Live& l : slots) {
    if (l.live) counts[{l.size, l.align, l.noscan}]++;
  }
  Histogram h;
  h.name = trace.summary().path;
  for (const auto& [key, n] : counts) {
    h.groups.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
  }
  return h;
}

}  // namespace goalloc::tune
