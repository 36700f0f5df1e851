// The four Johnstone & Wilson fragmentation measures (see fragmentation.h).
#include "src/report/fragmentation.h"

#include <fmt/core.h>

#include <algorithm>

#include "src/report/units.h"

namespace goalloc::report {

std::optional<double> FragRatio(uint64_t footprint, uint64_t live) {
  if (live == 0) return std::nullopt;
  return double(footprint) / double(live) - 1.0;
}

Fragmentation ComputeFragmentation(const replay::TraceSummary& trace,
                                   const replay::ReplayResult& run) {
  Fragmentation f;
  f.footprint_source = run.allocator == "go"           ? "heap accounting"
                       : run.allocator == "go-runtime" ? "runtime memstats"
                                                       : "rss";
  f.max_live_bytes = std::max(trace.peak_live_bytes, run.at_peak_live.live);

  // The peak footprint: the replay's own record (every event in sim mode), unless a sample
  // or snapshot saw more; on equal footprint the earliest event.
  f.peak_footprint_bytes = run.peak_footprint;
  f.peak_footprint_event = run.peak_footprint_event;
  f.live_at_peak_footprint = run.live_at_peak_footprint;
  auto consider = [&f](uint64_t footprint, uint64_t event, uint64_t live) {
    if (footprint > f.peak_footprint_bytes ||
        (footprint == f.peak_footprint_bytes && event < f.peak_footprint_event)) {
      f.peak_footprint_bytes = footprint;
      f.peak_footprint_event = event;
      f.live_at_peak_footprint = live;
    }
  };
  consider(run.at_peak_live.footprint, run.at_peak_live.event, run.at_peak_live.live);
  consider(run.at_end.footprint, run.at_end.event, run.at_end.live);

  double sum = 0;
  uint64_t used = 0;
  for (const replay::Sample& s : run.timeline) {
    ++f.samples;
    f.max_live_bytes = std::max(f.max_live_bytes, s.live);
    consider(s.footprint, s.event, s.live);
    if (s.live == 0) {
      ++f.samples_zero_live;
      continue;
    }
    sum += double(s.footprint) / double(s.live);
    ++used;
  }
  if (used > 0) f.frag_mean = sum / double(used) - 1.0;

  f.peak_live_event = run.at_peak_live.event;
  f.live_at_peak_live = run.at_peak_live.live;
  f.footprint_at_peak_live = run.at_peak_live.footprint;
  f.frag_at_peak_live = FragRatio(f.footprint_at_peak_live, f.live_at_peak_live);
  f.frag_at_peak_footprint = FragRatio(f.peak_footprint_bytes, f.live_at_peak_footprint);
  f.frag_peak_to_peak = FragRatio(f.peak_footprint_bytes, f.max_live_bytes);
  return f;
}

std::vector<FragmentationRow> FragmentationRows(const Fragmentation& f) {
  auto measure = [](std::optional<double> Fragmentation::*m) {
    return std::string(FragmentationFigure(m).key);
  };
  return {
      {measure(&Fragmentation::frag_mean), f.frag_mean, std::nullopt, std::nullopt,
       fmt::format("mean over {} samples ({} with live = 0 excluded)",
                   FormatCount(f.samples - f.samples_zero_live), FormatCount(f.samples_zero_live))},
      {measure(&Fragmentation::frag_at_peak_live), f.frag_at_peak_live, f.footprint_at_peak_live,
       f.live_at_peak_live, fmt::format("event {}", FormatCount(f.peak_live_event))},
      {measure(&Fragmentation::frag_at_peak_footprint), f.frag_at_peak_footprint,
       f.peak_footprint_bytes, f.live_at_peak_footprint,
       fmt::format("event {}", FormatCount(f.peak_footprint_event))},
      {measure(&Fragmentation::frag_peak_to_peak), f.frag_peak_to_peak, f.peak_footprint_bytes,
       f.max_live_bytes, "max footprint / max live"},
  };
}

}  // namespace goalloc::report
