// The text rendering of a corpus comparison: the summary table first (one row per trace:
// events, peak live, and per column the peak footprint with its ratio to glibc and
// frag_peak_to_peak), the traces that could not be replayed and the checks that failed,
// then, when compared with a baseline, the gate's verdict with one line per regression;
// after all that, each trace's own compare report (RenderCompareText).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "src/report/corpus_report.h"
#include "src/report/gate.h"

namespace goalloc::report {

struct GateOutcome {
  std::string baseline;  // its path
  Thresholds thresholds;
  bool timing = false;
  std::vector<Regression> regressions;
};

std::string RenderCorpusText(const CorpusReport& corpus, const GateOutcome* gate, size_t width);

}  // namespace goalloc::report
