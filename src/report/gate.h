// The CI gate (`compare --baseline FILE`, docs/ci.md): the summary table of this run against
// that of an earlier one. Memory figures are compared only where both runs are deterministic
// (go in sim mode), so an unchanged trace and binary always pass; timing only as each
// column's replay time relative to glibc's in the same run, and only when asked for. A
// figure regresses when it grows past its threshold; improvements never fail.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "src/report/corpus_report.h"

namespace goalloc::report {

// --max-regression: how much each figure may grow. Defaults in docs/ci.md.
struct Thresholds {
  double footprint = 0.01;  // peak_footprint_bytes, relative ("footprint=1%")
  double frag = 0.005;      // frag_peak_to_peak, frag_at_peak_live, absolute ("frag=0.5pp")
  double slots = 0.05;      // slots at peak of each span class, relative ("slots=5%")
  // GC mode: gc.peak_heap_inuse, relative ("gc_peak=1%"), as strict as the footprint.
  double gc_peak = 0.01;
  // GC mode: gc.cycles, relative ("cycles=5%"). A cycle is a whole unit: on a trace of fewer
  // than 20 cycles, any extra one fails (traces/ has 0 to 102 at GOGC=100).
  double cycles = 0.05;
  double timing = 0.25;  // replay time / glibc's, relative, with --timing ("timing=25%")
};

// Parses "footprint=1%,frag=0.5pp,cycles=10%" over the defaults; throws std::invalid_argument
// naming the part that is wrong (unknown figure, missing or wrong unit, negative value).
Thresholds ParseThresholds(std::string_view spec);

// The baseline cannot be compared with this run: another trace set, a changed trace, other
// columns. Never a pass: the command exits 2.
class BaselineMismatch : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Before any replay: every trace to replay is in the baseline with the same content hash,
// and (unless `partial`: this run replays a shard of the baseline's traces) every trace of
// the baseline is replayed. `traces` pairs paths with content hashes.
void CheckTraceSet(const std::vector<TraceSummaryRow>& baseline,
                   const std::vector<std::pair<std::string, std::string>>& traces, bool partial,
                   const std::string& baseline_path);

struct Regression {
  std::string trace, column, figure;
  std::string baseline, now, threshold;  // formatted as the figure reads
  // "TRACE: COLUMN: FIGURE: baseline B, now N, threshold T".
  std::string Line() const;
};

// Compares the traces of `now` with the same traces of `baseline` (CheckTraceSet has
// passed); throws BaselineMismatch when a trace's columns differ from the baseline's,
// collector settings included (GC mode or not, GOGC, memory limit).
std::vector<Regression> FindRegressions(const std::vector<TraceSummaryRow>& baseline,
                                        const std::vector<TraceSummaryRow>& now,
                                        const Thresholds& thresholds, bool timing,
                                        const std::string& baseline_path);

// One test case of the gate: a trace × column, or a trace that could not be replayed
// (column empty). Failures: its regressions, its failed checks, why it was not replayed.
struct GateCase {
  std::string trace, column;
  double seconds = 0;
  std::vector<std::string> failures;
};

std::vector<GateCase> GateCases(const CorpusReport& corpus,
                                const std::vector<Regression>& regressions);

}  // namespace goalloc::report
