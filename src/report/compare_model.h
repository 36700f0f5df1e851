// The comparison of several replays of one trace (the `compare` command): the full report of
// each run, and one row per run with the figures users compare and each figure's ratio to
// the glibc run. For sizes and times the ratio is value / glibc's value. For the
// fragmentation measures (each a ratio − 1) it is (1 + frag) / (1 + frag of glibc), the
// ratio of footprint-to-live ratios — at equal live bytes, the ratio of footprints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/report/report_model.h"

namespace goalloc::report {

enum class FigureKind { kSeconds, kRate, kBytes, kFraction };

struct CompareRow {
  std::string allocator, mode;
  std::string size_classes;  // as ReplayResult's
  std::string gc;  // GcLabel of a run with a collector (go-runtime, go in GC mode), else ""
  uint32_t threads = 0;
  double replay_seconds = 0, events_per_second = 0;
  uint64_t peak_rss_bytes = 0, peak_footprint_bytes = 0;
  // System allocators that report their own figures: SnapshotReport::allocator_footprint.
  std::optional<uint64_t> allocator_footprint_at_peak_live;
  uint64_t live_at_end = 0, live_at_peak_live = 0;
  std::optional<double> frag_mean, frag_at_peak_live, frag_at_peak_footprint, frag_peak_to_peak;
  std::vector<std::optional<double>> ratio_to_glibc;  // one per kCompareFigures entry
};

struct CompareFigure {
  const char* key;    // JSON name
  const char* label;  // text table label
  FigureKind kind;
  std::optional<double> (*value)(const CompareRow&);
};

// The figures of a compare row that have a ratio to glibc, in table order.
extern const std::vector<CompareFigure> kCompareFigures;

struct CompareReport {
  ToolInfo tool;
  replay::TraceSummary trace;
  std::vector<Report> runs;
  std::vector<CompareRow> rows;            // one per run, same order
  std::optional<size_t> glibc_row;         // the reference row, when glibc ran
  std::vector<std::string> failed_checks;  // each run's, prefixed, and the cross-run ones
};

CompareReport BuildCompare(const ToolInfo& tool, const replay::TraceSummary& trace,
                           std::vector<replay::ReplayResult> runs);

}  // namespace goalloc::report
