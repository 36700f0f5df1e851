// `compare` over a corpus (docs/ci.md): several traces or directories, each trace replayed on
// every column in its own worker process (`-j N`), one combined report (goalloc-compare/1)
// with a summary table first, and the CI gate: `--baseline FILE` with `--max-regression
// SPEC` and `--timing`, `--write-baseline FILE`, `--summary FILE.md`, `--junit FILE.xml`.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "src/replay/replay_result.h"
#include "src/report/report_model.h"

namespace goalloc::cli {

struct CorpusArgs {
  size_t jobs = 0;  // 0: one per usable CPU
  std::string baseline, write_baseline, summary, junit;
  std::string max_regression;
  bool baseline_partial = false;
  bool timing = false;
};

void AddCorpusOptions(CLI::App& compare, CorpusArgs& args);

// Whether `compare TRACE…` compares a corpus rather than one trace (today's report): several
// traces, a directory, or an option of the gate or of CI's outputs (which, without
// --baseline, RunCorpusCompare refuses).
bool IsCorpus(const std::vector<std::string>& traces, const CorpusArgs& args);

// One trace's replays on every column, as the one-trace compare makes them.
struct ColumnRuns {
  replay::TraceSummary trace;
  std::vector<replay::ReplayResult> runs;
};

// The common report options of compare (--json, --html, --quiet, text width).
struct CorpusOutputs {
  std::string json, html;
  bool quiet = false;
  size_t text_width = 0;
};

// Runs the corpus comparison; `run` replays one trace (it runs in a worker process and may
// throw as the one-trace compare does). Returns the exit status or throws UsageError and
// CheckFailed as the other commands do.
int RunCorpusCompare(const report::ToolInfo& tool, const std::vector<std::string>& traces,
                     const CorpusArgs& args, const CorpusOutputs& outputs,
                     const std::function<ColumnRuns(const std::string&)>& run);

}  // namespace goalloc::cli
