// The four fragmentation measures of Johnstone & Wilson (ISMM 1998), each footprint/live − 1,
// computed from a replay's timeline samples and snapshots (docs/report.md, "fragmentation").
// A measure whose live bytes are 0 is undefined (absent). frag_mean averages over the
// samples with live > 0 only; samples with nothing live are counted and excluded, since
// footprint/0 has no meaning and any footprint at all would dominate the mean.
// O(samples).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/replay/replay_result.h"

namespace goalloc::report {

struct Fragmentation {
  // Which footprint the measures divide (docs/report.md): "heap accounting" (go: sys −
  // released + metadata), "runtime memstats" (go-runtime: HeapSys − HeapReleased) or "rss"
  // (system allocators: resident set minus the baseline).
  std::string footprint_source;
  std::optional<double> frag_mean, frag_at_peak_live, frag_at_peak_footprint, frag_peak_to_peak;
  uint64_t samples = 0;            // timeline samples seen
  uint64_t samples_zero_live = 0;  // of them, excluded from frag_mean (live = 0)
  // The peak-live snapshot.
  uint64_t peak_live_event = 0, live_at_peak_live = 0, footprint_at_peak_live = 0;
  // The highest footprint seen, its event, and live bytes there.
  uint64_t peak_footprint_bytes = 0, peak_footprint_event = 0, live_at_peak_footprint = 0;
  // The highest live bytes of the trace (denominator of frag_peak_to_peak).
  uint64_t max_live_bytes = 0;
};

// footprint / live − 1; absent when live is 0.
std::optional<double> FragRatio(uint64_t footprint, uint64_t live);

Fragmentation ComputeFragmentation(const replay::TraceSummary& trace,
                                   const replay::ReplayResult& run);

// One row of the fragmentation table, as every rendering (text, HTML) shows it: the
// measure, its value, the footprint and live bytes it divides (absent for frag_mean), and
// where it was taken.
struct FragmentationRow {
  std::string measure;
  std::optional<double> value;
  std::optional<uint64_t> footprint, live;
  std::string where;
};
std::vector<FragmentationRow> FragmentationRows(const Fragmentation& f);

}  // namespace goalloc::report
