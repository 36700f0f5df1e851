// The four fragmentation measures of Johnstone & Wilson (ISMM 1998), each footprint/live − 1,
// computed from a replay's timeline samples and snapshots (docs/report.md, "fragmentation").
// A measure whose live bytes are 0 is undefined (absent). frag_mean averages over the
// samples with live > 0 only; samples with nothing live are counted and excluded, since
// footprint/0 has no meaning and any footprint at all would dominate the mean.
// O(samples).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/replay/replay_result.h"
#include "src/report/figure.h"

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

// Every figure of Fragmentation, in the JSON report's order ("fragmentation").
inline constexpr std::array<Figure<Fragmentation>, 14> kFragmentationFigures = {{
    {"footprint_source", "footprint", &Fragmentation::footprint_source, "—",
     "the footprint the measures divide: `heap accounting` (`go`: sys − released + metadata), "
     "`runtime memstats` (`go-runtime`: HeapSys − HeapReleased), `rss` (system allocators: "
     "resident set minus the baseline)"},
    {"frag_mean", "frag_mean", &Fragmentation::frag_mean, "fraction",
     "mean footprint/live − 1 over samples with live > 0"},
    {"frag_at_peak_live", "frag_at_peak_live", &Fragmentation::frag_at_peak_live, "fraction",
     "footprint/live − 1 at the peak-live snapshot"},
    {"frag_at_peak_footprint", "frag_at_peak_footprint", &Fragmentation::frag_at_peak_footprint,
     "fraction", "footprint/live − 1 where footprint is highest"},
    {"frag_peak_to_peak", "frag_peak_to_peak", &Fragmentation::frag_peak_to_peak, "fraction",
     "highest footprint / highest live − 1"},
    {"samples", "samples", &Fragmentation::samples, "samples", "timeline samples"},
    {"samples_zero_live", "samples with live 0", &Fragmentation::samples_zero_live, "samples",
     "of them, with live 0: excluded from frag_mean"},
    {"peak_live_event", "peak-live event", &Fragmentation::peak_live_event, "event index",
     "the peak-live snapshot's event"},
    {"live_at_peak_live", "live at peak live", &Fragmentation::live_at_peak_live, "B",
     "live bytes at the peak-live snapshot"},
    {"footprint_at_peak_live", "footprint at peak live", &Fragmentation::footprint_at_peak_live,
     "B", "footprint at the peak-live snapshot"},
    {"peak_footprint_bytes", "peak footprint", &Fragmentation::peak_footprint_bytes, "B",
     "the highest footprint seen"},
    {"peak_footprint_event", "peak-footprint event", &Fragmentation::peak_footprint_event,
     "event index", "the first event where it was seen"},
    {"live_at_peak_footprint", "live at peak footprint", &Fragmentation::live_at_peak_footprint,
     "B", "live bytes there"},
    {"max_live_bytes", "peak live", &Fragmentation::max_live_bytes, "B",
     "the highest live bytes (denominator of frag_peak_to_peak)"},
}};

template <class M>
const Figure<Fragmentation>& FragmentationFigure(M Fragmentation::*member) {
  return FigureOf(kFragmentationFigures, member);
}

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
