// The comparison of several replays of one trace (see compare_model.h).
#include "src/report/compare_model.h"

#include <fmt/core.h>

#include <utility>

#include "src/report/gc_report.h"

namespace goalloc::report {
namespace {

CompareRow RowOf(const Report& r) {
  const Fragmentation& f = r.fragmentation;
  return {.allocator = r.run.allocator,
          .mode = r.run.mode,
          .size_classes = r.run.size_classes,
          .gc = r.run.gc ? GcLabel(*r.run.gc) : "",
          .threads = r.run.threads,
          .replay_seconds = r.run.replay_seconds,
          .events_per_second = r.run.events_per_second,
          .peak_rss_bytes = r.run.peak_rss_bytes,
          .peak_footprint_bytes = f.peak_footprint_bytes,
          .allocator_footprint_at_peak_live = r.at_peak_live.allocator_footprint,
          .live_at_end = r.at_end.live,
          .live_at_peak_live = r.at_peak_live.live,
          .frag_mean = f.frag_mean,
          .frag_at_peak_live = f.frag_at_peak_live,
          .frag_at_peak_footprint = f.frag_at_peak_footprint,
          .frag_peak_to_peak = f.frag_peak_to_peak};
}

std::optional<double> Ratio(FigureKind kind, std::optional<double> v, std::optional<double> ref) {
  if (!v || !ref) return std::nullopt;
  double num = kind == FigureKind::kFraction ? 1 + *v : *v;
  double den = kind == FigureKind::kFraction ? 1 + *ref : *ref;
  if (den == 0) return std::nullopt;
  return num / den;
}

}  // namespace

const std::vector<CompareFigure> kCompareFigures = {
    {"replay_seconds", "replay time", FigureKind::kSeconds,
     [](const CompareRow& r) -> std::optional<double> { return r.replay_seconds; }},
    {"events_per_second", "events/s", FigureKind::kRate,
     [](const CompareRow& r) -> std::optional<double> { return r.events_per_second; }},
    {"peak_rss_bytes", "peak RSS", FigureKind::kBytes,
     [](const CompareRow& r) -> std::optional<double> { return double(r.peak_rss_bytes); }},
    {"peak_footprint_bytes", "peak footprint", FigureKind::kBytes,
     [](const CompareRow& r) -> std::optional<double> { return double(r.peak_footprint_bytes); }},
    {"allocator_footprint_at_peak_live", "allocator footprint at peak live", FigureKind::kBytes,
     [](const CompareRow& r) -> std::optional<double> {
       if (!r.allocator_footprint_at_peak_live) return std::nullopt;
       return double(*r.allocator_footprint_at_peak_live);
     }},
    {"frag_mean", "frag_mean", FigureKind::kFraction,
     [](const CompareRow& r) { return r.frag_mean; }},
    {"frag_at_peak_live", "frag_at_peak_live", FigureKind::kFraction,
     [](const CompareRow& r) { return r.frag_at_peak_live; }},
    {"frag_at_peak_footprint", "frag_at_peak_footprint", FigureKind::kFraction,
     [](const CompareRow& r) { return r.frag_at_peak_footprint; }},
    {"frag_peak_to_peak", "frag_peak_to_peak", FigureKind::kFraction,
     [](const CompareRow& r) { return r.frag_peak_to_peak; }},
};

CompareReport BuildCompare(const ToolInfo& tool, const replay::TraceSummary& trace,
                           std::vector<replay::ReplayResult> runs) {
  CompareReport c;
  c.tool = tool;
  c.trace = trace;
  for (replay::ReplayResult& run : runs) {
    c.runs.push_back(BuildReport(tool, trace, std::move(run)));
    const Report& r = c.runs.back();
    c.rows.push_back(RowOf(r));
    if (r.run.allocator == "glibc" && !c.glibc_row) c.glibc_row = c.rows.size() - 1;
    for (const std::string& why : r.failed_checks) {
      c.failed_checks.push_back(fmt::format("{} ({}): {}", r.run.allocator, r.run.mode, why));
    }
  }
  for (CompareRow& row : c.rows) {
    for (const CompareFigure& f : kCompareFigures) {
      row.ratio_to_glibc.push_back(
          c.glibc_row ? Ratio(f.kind, f.value(row), f.value(c.rows[*c.glibc_row])) : std::nullopt);
    }
  }
  // Every backend replays the same events, so live bytes must agree between runs.
  for (const CompareRow& row : c.rows) {
    const CompareRow& first = c.rows.front();
    if (row.live_at_end != first.live_at_end) {
      c.failed_checks.push_back(
          fmt::format("live bytes at the end disagree: {} ({}) {} B, {} ({}) {} B", first.allocator,
                      first.mode, first.live_at_end, row.allocator, row.mode, row.live_at_end));
    }
  }
  for (const Report& r : c.runs) {
    const Report& first = c.runs.front();
    if (r.at_peak_live.exact && first.at_peak_live.exact &&
        r.at_peak_live.live != first.at_peak_live.live) {
      c.failed_checks.push_back(
          fmt::format("live bytes at peak disagree: {} ({}) {} B, {} ({}) {} B",
                      first.run.allocator, first.run.mode, first.at_peak_live.live, r.run.allocator,
                      r.run.mode, r.at_peak_live.live));
    }
  }
  return c;
}

}  // namespace goalloc::report
