// The comparison of a corpus (`compare TRACE… ` with several traces or a directory): each
// trace's comparison (compare_model.h) and a summary table with one row per trace, whose
// figures are also what a CI gate compares with a baseline (gate.h). The combined JSON
// (schema "goalloc-compare/1", docs/ci.md) holds the summary table and each trace's compare
// report; a baseline is such a file, read back with ParseSummary.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/report/compare_model.h"
#include "src/report/json_report.h"

namespace goalloc::report {

inline constexpr const char* kCorpusSchema = "goalloc-compare/1";

struct CorpusTrace {
  std::string content_hash;  // of the trace file's bytes (ContentHash)
  CompareReport compare;
};

// A trace that could not be replayed (bad input, a replay that failed): it has no report.
struct FailedTrace {
  std::string path, error;
  int status = 1;  // the exit status it would have had alone: 2 bad input, 1 a failed replay
};

struct CorpusReport {
  ToolInfo tool;
  std::vector<CorpusTrace> traces;  // in the order given (directories expanded, sorted)
  std::vector<FailedTrace> failed_traces;
  std::vector<std::string> failed_checks;  // every trace's, prefixed with its path
};

CorpusReport BuildCorpus(const ToolInfo& tool, std::vector<CorpusTrace> traces,
                         std::vector<FailedTrace> failed);

// A column whose allocator collects (go in GC mode, go-runtime): the collector's settings,
// which a baseline's must match, and the figures the gate compares where the column is
// deterministic (go in GC mode: the model's, exact).
struct GcSummary {
  std::optional<uint32_t> gogc;  // empty: off
  std::optional<uint64_t> memory_limit_bytes;
  uint64_t peak_heap_inuse = 0;  // gc.peak_heap_inuse
  uint64_t cycles = 0;           // gc.cycles

  // "GOGC=100", "GOGC=off, limit 512.0 MiB": as the compare report labels the column.
  std::string Label() const;
  bool SameSettings(const GcSummary& o) const {
    return gogc == o.gogc && memory_limit_bytes == o.memory_limit_bytes;
  }
  bool operator==(const GcSummary&) const = default;
};

// One trace × column of the summary table. `deterministic` columns (go in sim mode, with or
// without GC mode) give the same memory figures on every run of the same trace and binary;
// the others vary.
struct ColumnSummary {
  std::string allocator, mode;
  uint32_t threads = 0;  // replay threads (Ps)
  bool deterministic = false;
  uint64_t peak_footprint_bytes = 0;
  std::optional<double> frag_peak_to_peak, frag_at_peak_live;
  double replay_seconds = 0;
  // Ratios to the glibc column of the same trace (compare_model.h); absent without glibc.
  std::optional<double> peak_footprint_ratio, frag_peak_to_peak_ratio, replay_seconds_ratio;
  // go: slots over in-use spans at the peak-live snapshot, per span class ("5n", "44s").
  std::map<std::string, uint64_t> slots_at_peak;
  std::optional<GcSummary> gc;  // empty: no collector (frees as the trace says)
  bool checks_passed = true;    // the run's own checks (byte accounting, live bytes, verify)

  // "go (sim)", "go (sim, GOGC=100)": the column as the gate's messages and cases name it.
  std::string Name() const {
    return allocator + " (" + mode + (gc ? ", " + gc->Label() : "") + ")";
  }
  bool operator==(const ColumnSummary&) const = default;
};

struct TraceSummaryRow {
  std::string trace, content_hash;
  uint64_t events = 0, peak_live_bytes = 0;
  std::vector<ColumnSummary> columns;
  bool operator==(const TraceSummaryRow&) const = default;
};

std::vector<TraceSummaryRow> SummaryOf(const CorpusReport& corpus);

// The summary table's columns: every column name ("go (sim)") of any row, in the order first
// seen (traces may have been compared on different allocators).
std::vector<std::string> ColumnNames(const std::vector<TraceSummaryRow>& rows);
// The column of `row` named `name`; null when the trace has none.
const ColumnSummary* FindColumn(const TraceSummaryRow& row, const std::string& name);
// Whether any column of any row passes `test`.
template <typename Test>
bool AnyColumn(const std::vector<TraceSummaryRow>& rows, Test test) {
  for (const TraceSummaryRow& row : rows) {
    for (const ColumnSummary& c : row.columns) {
      if (test(c)) return true;
    }
  }
  return false;
}

Json SummaryJson(const std::vector<TraceSummaryRow>& rows);
// The summary table of a combined JSON file (`what` names it in errors). Throws
// std::invalid_argument naming the field when the file is not a goalloc-compare/1 report
// or a field is missing or of the wrong type.
std::vector<TraceSummaryRow> ParseSummary(const Json& corpus, const std::string& what);

Json CorpusJson(const CorpusReport& corpus);

// The content hash of a trace file: "fnv1a64:" and the 16 hex digits of the 64-bit FNV-1a
// hash of its bytes, fed in pieces. Enough to tell a changed trace from its baseline (not a
// defence against a forged one).
class ContentHash {
 public:
  void Update(std::string_view bytes);
  std::string Text() const;

 private:
  uint64_t hash_ = 0xcbf29ce484222325ull;  // FNV-1a's 64-bit offset basis
};

}  // namespace goalloc::report
