// `goalloc-replay tune-classes TRACE… -o FILE [--classes N] [--objective peak|alloc]
// [--weights W,…]` (docs/size-classes.md): the size-class table that wastes least on the
// traces' objects (src/tune), written to FILE; the predicted waste with Go's table, the tuned
// one and the floor; then every trace replayed (go, sim mode) with Go's table and the tuned
// one, and the prediction checked against what the heap counted at peak live: rounding to
// the byte, tail waste at least the packed spans' (exit 1 otherwise).
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "src/alloc/size_class_file.h"
#include "src/cli/commands.h"
#include "src/cli/report_outputs.h"
#include "src/replay/memory_budget.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/replay.h"
#include "src/report/atomic_file.h"
#include "src/report/fragmentation.h"
#include "src/report/units.h"
#include "src/tune/class_tuner.h"
#include "src/tune/trace_histogram.h"

namespace goalloc::cli {
namespace {

using alloc::SizeClassTable;
using report::FormatCount;

struct TuneArgs {
  std::vector<std::string> traces;
  std::string output;
  int classes = alloc::kNumSizeClasses - 1;
  std::string objective = "peak";
  std::string pages = "any";
  std::vector<double> weights;  // empty: 1 each
  bool strict = false;
};

struct Trace {
  std::shared_ptr<const replay::PreparedTrace> prepared;
  tune::Histogram at_peak;  // what the prediction is checked on
  tune::Histogram tuned_for;
};

std::string Header(const TuneArgs& a, const std::vector<Trace>& traces) {
  std::string h = fmt::format(
      "goalloc-replay tune-classes: objective {} ({}), at most {} classes, pages {}, traces "
      "weighted by weight × waste / requested bytes\n",
      a.objective, a.objective == "peak" ? "objects live at each trace's peak" : "every allocation",
      a.classes, a.pages);
  for (const Trace& t : traces) {
    h += fmt::format("trace {} (weight {})\n", t.tuned_for.name, t.tuned_for.weight);
  }
  return h;
}

std::string WasteCells(const tune::Waste& w) {
  return fmt::format("{:>12} {:>12}", FormatCount(w.rounding + w.tail), FormatCount(w.total()));
}

// The replay of one trace on the go heap with `table` (null: Go's), sim mode.
replay::ReplayResult ReplayWith(const Trace& t, std::shared_ptr<const SizeClassTable> table,
                                const std::string& name) {
  replay::ReplayOptions o;
  o.allocator = "go";
  o.mode = "sim";
  o.timeline_samples = 0;
  o.heap.size_classes = std::move(table);
  o.size_classes = name;
  try {
    return replay::Replay(*t.prepared, o);
  } catch (const replay::ReplayFailed& e) {
    throw CheckFailed(e.what());
  }
}

int RunTuneClasses(const TuneArgs& a) {
  if (a.classes < 3 || a.classes > alloc::kMaxSizeClasses - 1) {
    throw UsageError(
        fmt::format("--classes {}: must be 3 to 127 (8 B and 16 B are fixed)", a.classes));
  }
  if (!a.weights.empty() && a.weights.size() != a.traces.size()) {
    throw UsageError(
        fmt::format("--weights gives {} weights for {} traces", a.weights.size(), a.traces.size()));
  }
  for (double w : a.weights) {
    if (!(w > 0)) throw UsageError(fmt::format("--weights: {} is not a positive weight", w));
  }
  for (const std::string& t : a.traces) CheckReportOutputs(t, {{"-o", a.output}});
  if (a.output == "-") throw UsageError("-o -: the table goes to a file, the report to stdout");

  const tune::Objective objective =
      a.objective == "peak" ? tune::Objective::kPeak : tune::Objective::kAlloc;
  std::vector<Trace> traces;
  std::vector<tune::Histogram> histograms;
  for (size_t i = 0; i < a.traces.size(); i++) {
    Trace t;
    t.prepared = replay::DecodeTrace(a.traces[i], {.strict = a.strict, .progress = false});
    if (std::string err = replay::CheckMemoryBudget(*t.prepared, "go", std::nullopt);
        !err.empty()) {
      throw UsageError(err);
    }
    t.at_peak = tune::HistogramOf(*t.prepared, tune::Objective::kPeak);
    t.tuned_for =
        objective == tune::Objective::kPeak ? t.at_peak : tune::HistogramOf(*t.prepared, objective);
    t.tuned_for.weight = a.weights.empty() ? 1 : a.weights[i];
    histograms.push_back(t.tuned_for);
    traces.push_back(std::move(t));
  }
  const tune::Tuned tuned = tune::TuneClasses(
      histograms, a.classes, a.pages == "any" ? tune::PageLimit::kAny : tune::PageLimit::kGoRule);
  auto table = std::make_shared<const SizeClassTable>(SizeClassTable::FromRows(tuned.rows));
  report::WriteFileAtomically(a.output, alloc::SizeClassFileText(*table, Header(a, traces)));
  const alloc::SizeClassFile written = [&] {
    try {
      return alloc::LoadSizeClassFile(a.output);
    } catch (const alloc::SizeClassFileError& e) {
      throw CheckFailed(fmt::format("the table written does not read back: {}", e.what()));
    }
  }();
  if (!(*written.table == *table)) throw CheckFailed("the table written does not read back");
  fmt::print("Tuned  {} classes written to {}\n\n", table->num_classes() - 1, written.Name());

  fmt::print(
      "Predicted waste ({}, each class's objects packed), bytes: rounding + tail, and all:\n"
      "with half a span for each span class in use (the tuner's objective)\n",
      a.objective == "peak" ? "objects live at peak" : "every allocation at once");
  fmt::print("{:<32} {:>25} {:>25} {:>25}\n", "trace", "Go's table", "tuned", "floor");
  fmt::print("{:<32} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}\n", "", "round+tail", "all",
             "round+tail", "all", "round+tail", "all");
  for (const Trace& t : traces) {
    fmt::print("{:<32} {} {} {}\n", t.tuned_for.name,
               WasteCells(tune::PredictWaste(SizeClassTable::Go(), t.tuned_for)),
               WasteCells(tune::PredictWaste(*table, t.tuned_for)),
               WasteCells(tune::FloorWaste(t.tuned_for)));
  }

  fmt::print(
      "\nReplayed  go, sim mode, at peak live: rounding (predicted = measured) and tail waste "
      "(measured; predicted: packed)\n");
  fmt::print("{:<32} {:<6} {:>12} {:>12} {:>12} {:>16} {:>10}\n", "trace", "table", "rounding",
             "tail", "packed tail", "peak footprint", "frag_p2p");
  std::vector<std::string> failed;
  for (const Trace& t : traces) {
    for (bool go : {true, false}) {
      const replay::ReplayResult r =
          go ? ReplayWith(t, nullptr, "go") : ReplayWith(t, table, written.Name());
      const alloc::HeapStats& at_peak = *r.at_peak_live.go;
      const tune::Waste predicted =
          tune::PredictWaste(go ? SizeClassTable::Go() : *table, t.at_peak);
      const report::Fragmentation frag =
          report::ComputeFragmentation(replay::SummaryOf(*t.prepared), r);
      fmt::print("{:<32} {:<6} {:>12} {:>12} {:>12} {:>16} {:>10}\n", t.at_peak.name,
                 go ? "go" : "tuned", FormatCount(at_peak.rounding),
                 FormatCount(at_peak.tail_waste), FormatCount(predicted.tail),
                 FormatCount(frag.peak_footprint_bytes),
                 report::FormatPercent(frag.frag_peak_to_peak));
      const std::string which =
          fmt::format("{} with {}", t.at_peak.name, go ? "Go's table" : "the tuned table");
      if (!r.at_peak_live.exact) failed.push_back(which + ": the peak-live snapshot is not exact");
      if (at_peak.rounding != predicted.rounding) {
        failed.push_back(fmt::format("{}: rounding at peak live {} B, predicted {} B", which,
                                     at_peak.rounding, predicted.rounding));
      }
      if (at_peak.tail_waste < predicted.tail) {
        failed.push_back(fmt::format("{}: tail waste at peak live {} B, under the packed {} B",
                                     which, at_peak.tail_waste, predicted.tail));
      }
    }
  }
  if (!failed.empty()) {
    for (size_t i = 0; i + 1 < failed.size(); i++) fmt::print(stderr, "error: {}\n", failed[i]);
    throw CheckFailed(failed.back());
  }
  fmt::print(
      "\nChecks  passed: predicted rounding at peak live equals the replay's, to the byte\n");
  return 0;
}

}  // namespace

void AddTuneClassesCommand(CLI::App& root, Commands& out) {
  auto a = std::make_shared<TuneArgs>();
  auto* sub = root.add_subcommand(
      "tune-classes",
      "find the size-class table that wastes least on TRACEs, and check it by replay");
  sub->add_option("TRACE", a->traces, "traces to tune for")->required();
  sub->add_option("-o,--output", a->output, "write the table to FILE")
      ->required()
      ->option_text("FILE REQUIRED");
  sub->add_option("--classes", a->classes, "at most N classes, 8 B and 16 B included")
      ->capture_default_str();
  sub->add_option("--objective", a->objective,
                  "peak: the objects live at each trace's peak; alloc: every allocation")
      ->check(CLI::IsMember({"peak", "alloc"}))
      ->capture_default_str();
  sub->add_option("--pages", a->pages,
                  "any: each class's pages chosen from 1 to 32; go-rule: at most the fewest "
                  "with tail <= 1/8 (Go's rule)")
      ->check(CLI::IsMember({"any", "go-rule"}))
      ->capture_default_str();
  sub->add_option("--weights", a->weights, "one weight per trace (default: 1 each)")
      ->delimiter(',');
  sub->add_flag("--strict", a->strict, "inconsistent events are errors");
  out.emplace_back(sub, [a] { return RunTuneClasses(*a); });
}

}  // namespace goalloc::cli
