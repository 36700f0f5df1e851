// The `replay` and `compare` subcommands (docs/cli.md): decode the trace once, replay it on
// one allocator (replay) or on several (compare: go in both modes, the system allocators in
// parallel mode), print the text report and write the JSON report. Errors map onto the exit
// statuses: bad options and unknown or missing allocators are usage errors (2); a replay
// that could not finish, a failed --verify or byte accounting is a failed check (1), raised
// after the report is out so the user sees what failed.
#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "src/cli/commands.h"
#include "src/cli/go_runtime_options.h"
#include "src/replay/allocators.h"
#include "src/replay/replay.h"
#include "src/report/atomic_file.h"
#include "src/report/compare_model.h"
#include "src/report/html_compare.h"
#include "src/report/html_report.h"
#include "src/report/json_report.h"
#include "src/report/report_model.h"
#include "src/report/text_report.h"

namespace goalloc::cli {
namespace {

// Options shared by `replay` and `compare`.
struct ReplayArgs {
  std::string trace;
  std::string allocator = "go";
  std::string allocators;  // compare: comma-separated; empty: go and every installed one
  std::string mode;
  uint32_t threads = 0;
  std::string json;
  std::string html;  // --html FILE: the self-contained HTML report (docs/html-report.md)
  bool strict = false;
  uint32_t timeline = 1000;
  bool quiet = false;
  bool verify = false;
  uint64_t verify_every = 0;
  GoRuntimeArgs go_runtime;
};

void AddCommonOptions(CLI::App& cmd, ReplayArgs& a) {
  cmd.add_option("TRACE", a.trace, "trace file: JSON, mtrace or binary, optionally .gz/.zst")
      ->required();
  cmd.add_option("--mode", a.mode,
                 "sim: deterministic, recorded order on one OS thread; parallel: one OS thread "
                 "per replay thread (default: parallel)")
      ->check(CLI::IsMember({"sim", "parallel"}));
  cmd.add_option("--threads", a.threads,
                 "replay threads (= Ps); recorded thread t runs on t mod N (default: the "
                 "trace's threads)")
      ->check(CLI::Range(1u, 1u << 16));
  cmd.add_option("--json", a.json, "write the JSON report to FILE ('-' = stdout)");
  cmd.add_option("--html", a.html, "write the HTML report (charts and tables, one file) to FILE");
  cmd.add_flag("--strict", a.strict, "inconsistent events are errors, not counted warnings");
  cmd.add_option("--timeline", a.timeline, "about N evenly spaced timeline samples")
      ->check(CLI::Range(1u, 10000000u))
      ->capture_default_str();
  cmd.add_flag("--quiet", a.quiet, "no progress display, only the report");
  cmd.add_flag("--verify", a.verify,
               "check the allocator's invariants at the end, realloc/calloc contents and "
               "alignment");
  cmd.add_option("--verify-every", a.verify_every, "also verify every N events (implies --verify)");
  AddGoRuntimeOptions(cmd, a.go_runtime);
}

// Unknown names are usage errors before the (possibly long) decode.
void CheckKnown(const std::string& allocator) {
  if (!replay::IsKnownAllocator(allocator)) {
    throw UsageError(fmt::format(
        "unknown allocator '{}' (known: go, go-runtime, glibc, jemalloc, tcmalloc, mimalloc)",
        allocator));
  }
}

replay::ReplayOptions OptionsFor(const ReplayArgs& a, const std::string& allocator,
                                 const std::string& mode) {
  replay::ReplayOptions o;
  o.allocator = allocator;
  o.mode = mode;
  o.threads = a.threads;
  o.timeline_samples = a.timeline;
  o.verify = a.verify || a.verify_every > 0;
  o.verify_every = a.verify_every;
  o.progress = !a.quiet && isatty(STDERR_FILENO);
  if (allocator == replay::kGoRuntime) ApplyGoRuntimeOptions(a.go_runtime, o);
  return o;
}

std::shared_ptr<const replay::PreparedTrace> Decode(const ReplayArgs& a) {
  replay::DecodeOptions o;
  o.strict = a.strict;
  o.progress = !a.quiet && isatty(STDERR_FILENO);
  return replay::DecodeTrace(a.trace, o);
}

replay::ReplayResult RunOne(const replay::PreparedTrace& trace,
                            const replay::ReplayOptions& options) {
  try {
    replay::ReplayResult r = replay::Replay(trace, options);
    if (r.decode_seconds == 0) r.decode_seconds = replay::DecodeSecondsOf(trace);
    return r;
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  } catch (const replay::ReplayFailed& e) {
    throw CheckFailed(fmt::format("replay on {} failed: {}", options.allocator, e.what()));
  }
}

// Text to stdout unless the JSON goes there; JSON to its file; then the verdict.
void Emit(const ReplayArgs& a, const std::string& text, const report::Json& json,
          const std::vector<std::string>& failed_checks) {
  if (a.json != "-") std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  if (!a.json.empty()) report::WriteOutput(a.json, json.dump(2) + "\n");
  if (!failed_checks.empty()) {
    std::string all = failed_checks.front();
    if (failed_checks.size() > 1) all += fmt::format(" (and {} more)", failed_checks.size() - 1);
    throw CheckFailed(all);
  }
}

report::ToolInfo Tool(const CLI::App& root) { return {"goalloc-replay", root.version()}; }

int RunReplay(const CLI::App& root, const ReplayArgs& a) {
  CheckKnown(a.allocator);
  CheckGoRuntimeOptions(a.go_runtime, {a.allocator});
  auto trace = Decode(a);
  report::Report r = report::BuildReport(Tool(root), replay::SummaryOf(*trace),
                                         RunOne(*trace, OptionsFor(a, a.allocator, a.mode)));
  if (!a.html.empty()) report::WriteFileAtomically(a.html, report::RenderHtml(r));
  Emit(a, report::RenderText(r), report::ReportJson(r), r.failed_checks);
  return 0;
}

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

int RunCompare(const CLI::App& root, const ReplayArgs& a) {
  std::vector<std::string> allocators =
      a.allocators.empty() ? replay::InstalledAllocators() : SplitList(a.allocators);
  if (allocators.empty()) throw UsageError("--allocators names no allocator");
  for (const std::string& name : allocators) CheckKnown(name);
  CheckGoRuntimeOptions(a.go_runtime, allocators);
  auto trace = Decode(a);
  std::vector<replay::ReplayResult> runs;
  for (const std::string& name : allocators) {
    // go in both modes (sim for fragmentation, parallel for speed and contention), the
    // system allocators in parallel mode; --mode restricts every run to one mode.
    std::vector<std::string> modes = {a.mode.empty() ? "parallel" : a.mode};
    if (name == "go" && a.mode.empty()) modes = {"sim", "parallel"};
    for (const std::string& mode : modes) runs.push_back(RunOne(*trace, OptionsFor(a, name, mode)));
  }
  report::CompareReport c =
      report::BuildCompare(Tool(root), replay::SummaryOf(*trace), std::move(runs));
  if (!a.html.empty()) report::WriteFileAtomically(a.html, report::RenderCompareHtml(c));
  Emit(a, report::RenderCompareText(c), report::CompareJson(c), c.failed_checks);
  return 0;
}

}  // namespace

void AddReplayCommands(CLI::App& root, Commands& out) {
  auto replay_args = std::make_shared<ReplayArgs>();
  CLI::App* replay = root.add_subcommand("replay", "replay one trace on one allocator and report");
  AddCommonOptions(*replay, *replay_args);
  replay
      ->add_option("--allocator", replay_args->allocator,
                   "go, go-runtime, glibc, and where installed jemalloc, tcmalloc, mimalloc")
      ->capture_default_str();
  out.emplace_back(replay, [&root, replay_args] { return RunReplay(root, *replay_args); });

  auto compare_args = std::make_shared<ReplayArgs>();
  CLI::App* compare = root.add_subcommand(
      "compare", "replay the same trace on several allocators and report them side by side");
  AddCommonOptions(*compare, *compare_args);
  compare->add_option("--allocators", compare_args->allocators,
                      "comma-separated, e.g. go,glibc,jemalloc (default: go and every other "
                      "installed one)");
  out.emplace_back(compare, [&root, compare_args] { return RunCompare(root, *compare_args); });
}

}  // namespace goalloc::cli
