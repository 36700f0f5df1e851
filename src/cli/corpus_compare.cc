// See corpus_compare.h.
#include "src/cli/corpus_compare.h"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "src/cli/commands.h"
#include "src/cli/report_outputs.h"
#include "src/cli/trace_set.h"
#include "src/cli/worker_pool.h"
#include "src/replay/replay_result_json.h"
#include "src/report/ci_outputs.h"
#include "src/report/corpus_report.h"
#include "src/report/corpus_text.h"
#include "src/report/gate.h"
#include "src/report/html_corpus.h"
#include "src/trace/trace_error.h"

namespace goalloc::cli {
namespace {

constexpr int kStatusBadInput = 2;
constexpr int kStatusFailed = 1;

// The worker's answer: the runs, or the error the one-trace compare would have exited with.
std::string Answer(const std::function<ColumnRuns(const std::string&)>& run,
                   const std::string& path) {
  nlohmann::json answer;
  try {
    ColumnRuns r = run(path);
    answer = {{"trace", r.trace}, {"runs", r.runs}};
  } catch (const trace::TraceError& e) {
    answer = {{"error", e.what()}, {"status", kStatusBadInput}};
  } catch (const UsageError& e) {
    answer = {{"error", e.what()}, {"status", kStatusBadInput}};
  } catch (const std::exception& e) {
    answer = {{"error", e.what()}, {"status", kStatusFailed}};
  }
  return answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// "2m05s", "48s".
std::string Duration(double seconds) {
  auto s = uint64_t(seconds + 0.5);
  return s >= 60 ? fmt::format("{}m{:02}s", s / 60, s % 60) : fmt::format("{}s", s);
}

// The progress line on a terminal: traces done, share of the corpus's bytes done, elapsed
// time and the time left at the rate of the bytes done so far.
class Progress {
 public:
  Progress(const std::vector<TraceFile>& files, bool shown) : files_(files), shown_(shown) {
    for (const TraceFile& f : files) total_ += f.bytes;
  }
  void Update(const std::vector<size_t>& ended) {
    if (!shown_) return;
    uint64_t done = 0;
    for (size_t i : ended) done += files_[i].bytes;
    double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    std::string eta = done > 0 && done < total_
                          ? ", ETA " + Duration(elapsed * double(total_ - done) / double(done))
                          : "";
    fmt::print(stderr, "\r\033[Kcompare: {}/{} traces, {:.0f} % of the bytes, {} elapsed{}",
               ended.size(), files_.size(), total_ ? 100.0 * double(done) / double(total_) : 100,
               Duration(elapsed), eta);
    std::fflush(stderr);
  }
  void Finish() {
    if (shown_) fmt::print(stderr, "\r\033[K");
  }

 private:
  using Clock = std::chrono::steady_clock;
  const std::vector<TraceFile>& files_;
  bool shown_;
  uint64_t total_ = 0;
  Clock::time_point start_ = Clock::now();
};

std::vector<report::TraceSummaryRow> ReadBaseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("--baseline {}: cannot be read", path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  report::Json json = report::Json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    throw UsageError(fmt::format("--baseline {}: not a JSON document", path));
  }
  try {
    return report::ParseSummary(json, "--baseline " + path);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

// The corpus report from the workers' answers, in the order of the traces.
report::CorpusReport Collect(const report::ToolInfo& tool, const std::vector<TraceFile>& files,
                             const std::vector<WorkerAnswer>& answers) {
  std::vector<report::CorpusTrace> traces;
  std::vector<report::FailedTrace> failed;
  for (size_t i = 0; i < files.size(); ++i) {
    const WorkerAnswer& a = answers[i];
    if (!a.answered) {
      failed.push_back({files[i].path, a.failure, kStatusFailed});
      continue;
    }
    nlohmann::json answer = nlohmann::json::parse(a.text);
    if (answer.contains("error")) {
      failed.push_back(
          {files[i].path, answer["error"].get<std::string>(), answer["status"].get<int>()});
      continue;
    }
    report::CompareReport c =
        report::BuildCompare(tool, answer["trace"].get<replay::TraceSummary>(),
                             answer["runs"].get<std::vector<replay::ReplayResult>>());
    traces.push_back({files[i].content_hash, std::move(c)});
  }
  return report::BuildCorpus(tool, std::move(traces), std::move(failed));
}

}  // namespace

void AddCorpusOptions(CLI::App& compare, CorpusArgs& a) {
  compare
      .add_option("-j,--jobs", a.jobs,
                  "replay up to N traces at once, each in its own process (default: one per "
                  "CPU)")
      ->check(CLI::Range(size_t{1}, size_t{1024}));
  compare.add_option("--baseline", a.baseline,
                     "compare with FILE, an earlier --json or --write-baseline of the same "
                     "traces; exit 1 on a regression (docs/ci.md)");
  compare
      .add_option("--max-regression", a.max_regression,
                  "how much each figure may grow, e.g. footprint=1%,frag=0.5pp,slots=5%,"
                  "gc_peak=1%,cycles=5%,timing=25% (these are the defaults; gc_peak and cycles: "
                  "GC mode)")
      ->check(CLI::Validator(
          [](const std::string& spec) -> std::string {
            try {
              report::ParseThresholds(spec);
              return "";
            } catch (const std::invalid_argument& e) {
              return e.what();
            }
          },
          "SPEC"));
  compare.add_flag("--timing", a.timing,
                   "also gate each column's replay time relative to glibc's in the same run");
  compare.add_flag("--baseline-partial", a.baseline_partial,
                   "the traces are a part of the baseline's (one shard of a corpus)");
  compare.add_option("--write-baseline", a.write_baseline,
                     "write this run's summary table as a new baseline to FILE (not when a check "
                     "failed)");
  compare.add_option("--summary", a.summary,
                     "write a Markdown summary for a CI job or a pull request to FILE");
  compare.add_option("--junit", a.junit,
                     "write a JUnit XML file, one test case per trace and column, to FILE");
}

bool IsCorpus(const std::vector<std::string>& traces, const CorpusArgs& a) {
  return traces.size() > 1 || IsDirectory(traces.front()) || !a.baseline.empty() ||
         !a.write_baseline.empty() || !a.summary.empty() || !a.junit.empty() || a.timing ||
         !a.max_regression.empty() || a.baseline_partial;
}

int RunCorpusCompare(const report::ToolInfo& tool, const std::vector<std::string>& args,
                     const CorpusArgs& a, const CorpusOutputs& out,
                     const std::function<ColumnRuns(const std::string&)>& run) {
  if ((a.timing || !a.max_regression.empty() || a.baseline_partial) && a.baseline.empty()) {
    throw UsageError("--timing, --max-regression and --baseline-partial need --baseline FILE");
  }
  std::vector<TraceFile> files = ExpandTraces(args);
  bool stdout_taken = false;
  for (const TraceFile& f : files) {
    stdout_taken = CheckReportOutputs(f.path, {{"--json", out.json},
                                               {"--html", out.html},
                                               {"--summary", a.summary},
                                               {"--junit", a.junit},
                                               {"--write-baseline", a.write_baseline}});
  }
  const report::Thresholds thresholds = report::ParseThresholds(a.max_regression);
  std::vector<report::TraceSummaryRow> baseline;
  if (!a.baseline.empty()) {
    baseline = ReadBaseline(a.baseline);
    std::vector<std::pair<std::string, std::string>> hashes;
    for (const TraceFile& f : files) hashes.emplace_back(f.path, f.content_hash);
    try {
      report::CheckTraceSet(baseline, hashes, a.baseline_partial, a.baseline);
    } catch (const report::BaselineMismatch& e) {
      throw UsageError(e.what());
    }
  }

  Progress progress(files, !out.quiet && isatty(STDERR_FILENO));
  std::vector<WorkerAnswer> answers = RunInWorkers(
      files.size(), a.jobs ? a.jobs : UsableCpus(),
      [&](size_t i) { return Answer(run, files[i].path); },
      [&](const std::vector<size_t>& ended) { progress.Update(ended); });
  progress.Finish();
  report::CorpusReport corpus = Collect(tool, files, answers);

  std::optional<report::GateOutcome> gate;
  if (!a.baseline.empty()) {
    gate = report::GateOutcome{a.baseline, thresholds, a.timing, {}};
    try {
      gate->regressions = report::FindRegressions(baseline, report::SummaryOf(corpus), thresholds,
                                                  a.timing, a.baseline);
    } catch (const report::BaselineMismatch& e) {
      throw UsageError(e.what());
    }
  }
  const std::vector<report::Regression> no_regressions;
  const std::vector<report::Regression>& regressions = gate ? gate->regressions : no_regressions;
  std::vector<report::GateCase> cases = report::GateCases(corpus, regressions);

  // A baseline holds only traces that replayed with every check passed.
  std::vector<std::string> failed = corpus.failed_checks;
  std::string write_baseline = a.write_baseline;
  if (!write_baseline.empty() && !failed.empty()) {
    failed.push_back(fmt::format("no baseline written to {}: {} check(s) failed", write_baseline,
                                 corpus.failed_checks.size()));
    write_baseline.clear();
  }
  if (!regressions.empty()) {
    failed.push_back(
        fmt::format("{} regression(s) against baseline {}", regressions.size(), a.baseline));
  }
  const report::Json json = report::CorpusJson(corpus);
  try {
    Emit(
        stdout_taken, report::RenderCorpusText(corpus, gate ? &*gate : nullptr, out.text_width),
        {{"JSON", out.json, [&] { return JsonText(json); }},
         {"HTML", out.html, [&] { return report::RenderCorpusHtml(corpus); }},
         {"baseline", write_baseline,
          [&] {  // the summary table is all a baseline needs
            return JsonText(
                {{"schema", json["schema"]}, {"tool", json["tool"]}, {"summary", json["summary"]}});
          }},
         {"Markdown summary", a.summary,
          [&] { return report::RenderMarkdownSummary(corpus, cases, regressions, a.baseline); }},
         {"JUnit", a.junit, [&] { return report::RenderJUnit(cases); }}},
        failed);
  } catch (const CheckFailed& e) {
    // After the report, one line per regression, then the verdict (main prints e).
    for (const report::Regression& r : regressions) {
      fmt::print(stderr, "error: regression: {}\n", r.Line());
    }
    for (const report::FailedTrace& f : corpus.failed_traces) {
      if (f.status == kStatusBadInput) throw UsageError(e.what());
    }
    throw;
  }
  return 0;
}

}  // namespace goalloc::cli
