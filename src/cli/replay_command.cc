// The `replay` and `compare` subcommands (docs/cli.md): decode the trace once, replay it on
// one allocator (replay) or on several (compare: go in both modes, the system allocators in
// parallel mode), print the text report and write the JSON report. Errors map onto the exit
// statuses: bad options, unknown or missing allocators and report paths that cannot be
// written are usage errors (2); a replay that could not finish, a failed --verify or byte
// accounting, a report file that could not be written after all is a failed check (1),
// raised after every other report is out so the user sees what failed.
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "src/cli/commands.h"
#include "src/cli/go_runtime_options.h"
#include "src/cli/report_outputs.h"
#include "src/replay/allocators.h"
#include "src/replay/memory_budget.h"
#include "src/replay/replay.h"
#include "src/replay/thread_limit.h"
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
  bool wide = false;  // the text report in full width instead of kTextWidth columns
  bool verify = false;
  uint64_t verify_every = 0;
  std::optional<uint64_t> max_memory;  // unset: the memory available; 0: no check
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
                 "trace's threads); parallel mode runs at most the lowest of 1024, "
                 "vm.max_map_count/4, kernel.threads-max/4 and RLIMIT_NPROC/2")
      ->check(CLI::Range(1u, 1u << 16));
  cmd.add_option("--json", a.json, "write the JSON report to FILE ('-' = stdout)");
  cmd.add_option("--html", a.html,
                 "write the HTML report (charts and tables, one file) to FILE ('-' = stdout)");
  cmd.add_flag("--strict", a.strict, "inconsistent events are errors, not counted warnings");
  cmd.add_option("--timeline", a.timeline, "about N evenly spaced timeline samples")
      ->check(CLI::Range(1u, 10000000u))
      ->capture_default_str();
  cmd.add_flag("--quiet", a.quiet, "no progress display, only the report");
  cmd.add_flag("--wide", a.wide,
               "text report with every table whole, however wide (default: fits 100 columns)");
  cmd.add_flag("--verify", a.verify,
               "check the allocator's invariants at the end, realloc/calloc contents and "
               "alignment");
  cmd.add_option("--verify-every", a.verify_every, "also verify every N events (implies --verify)")
      ->check(CLI::Range(uint64_t{1}, std::numeric_limits<uint64_t>::max()));
  cmd.add_option("--max-memory", a.max_memory,
                 "refuse a replay that would touch more than BYTES (e.g. 512MiB, 2GiB; default: "
                 "the memory available); 0 turns the check off, which is dangerous")
      ->transform(CLI::AsSizeValue(true));
  AddGoRuntimeOptions(cmd, a.go_runtime);
}

// An explicit --threads past parallel mode's cap is refused before the (possibly long) decode
// and before compare's sim runs.
void CheckThreads(const ReplayArgs& a) {
  if (a.threads == 0 || a.mode == "sim") return;
  try {
    replay::ReplayThreads(a.threads, 0, true, replay::ReadThreadLimits());
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
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
  if (allocator == "go") {
    ApplyGoGcOptions(a.go_runtime, o);
    if (o.heap.gc.enabled && mode.empty()) o.mode = "sim";  // GC mode runs in sim mode only
  }
  return o;
}

// The pre-flight check of each allocator's replay, before any of them runs (a usage error).
void CheckMemory(const ReplayArgs& a, const replay::PreparedTrace& trace,
                 const std::vector<std::string>& allocators) {
  for (const std::string& name : allocators) {
    for (const std::string& gogc : GogcValues(a.go_runtime)) {  // GC mode holds garbage
      ReplayArgs one = a;
      one.go_runtime.gogc = gogc;
      const replay::ReplayOptions o = OptionsFor(one, name, a.mode);
      if (std::string err = replay::CheckMemoryBudget(trace, name, a.max_memory, &o.heap.gc);
          !err.empty()) {
        throw UsageError(err);
      }
    }
  }
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
    throw CheckFailed(e.what());  // names the allocator, and the event where it failed
  }
}

// A report file asked for (--json, --html), rendered only when asked for.
struct ReportFile {
  const char* what;
  const std::string& path;
  std::function<std::string()> render;
};

// The JSON report. Names that are not valid UTF-8 (the trace's path) have each bad byte
// replaced by U+FFFD (docs/report.md) rather than failing.
std::string JsonText(const report::Json& json) {
  return json.dump(2, ' ', false, report::Json::error_handler_t::replace) + "\n";
}

// The text report to stdout unless a report file goes there; every report file asked for,
// each whether or not another could not be written; then the verdict: every output that
// failed and every failed check is an error (exit 1).
void Emit(bool stdout_taken, const std::string& text, const std::vector<ReportFile>& files,
          const std::vector<std::string>& failed_checks) {
  if (!stdout_taken) std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  std::vector<std::string> errors;
  for (const ReportFile& file : files) {
    if (file.path.empty()) continue;
    try {
      report::WriteFileAtomically(file.path, file.render());
    } catch (const std::exception& e) {
      errors.push_back(fmt::format("the {} report was not written: {}", file.what, e.what()));
    }
  }
  if (!failed_checks.empty()) {
    std::string all = failed_checks.front();
    if (failed_checks.size() > 1) all += fmt::format(" (and {} more)", failed_checks.size() - 1);
    errors.push_back(all);
  }
  if (errors.empty()) return;
  for (size_t i = 0; i + 1 < errors.size(); ++i) fmt::print(stderr, "error: {}\n", errors[i]);
  throw CheckFailed(errors.back());
}

bool CheckOutputs(const ReplayArgs& a) {
  return CheckReportOutputs(a.trace, {{"--json", a.json}, {"--html", a.html}});
}

size_t TextWidth(const ReplayArgs& a) { return a.wide ? report::kWideText : report::kTextWidth; }

report::ToolInfo Tool(const CLI::App& root) { return {"goalloc-replay", root.version()}; }

int RunReplay(const CLI::App& root, const ReplayArgs& a) {
  CheckKnown(a.allocator);
  CheckThreads(a);
  const bool stdout_taken = CheckOutputs(a);
  CheckGoRuntimeOptions(a.go_runtime, {a.allocator}, a.mode, false);
  auto trace = Decode(a);
  CheckMemory(a, *trace, {a.allocator});
  report::Report r = report::BuildReport(Tool(root), replay::SummaryOf(*trace),
                                         RunOne(*trace, OptionsFor(a, a.allocator, a.mode)));
  Emit(stdout_taken, report::RenderText(r, TextWidth(a)),
       {{"JSON", a.json, [&] { return JsonText(report::ReportJson(r)); }},
        {"HTML", a.html, [&] { return report::RenderHtml(r); }}},
       r.failed_checks);
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

// The --allocators check: "" when `list` names allocators, each once; else what is wrong.
std::string AllocatorListProblem(const std::string& list) {
  std::vector<std::string> names = SplitList(list);
  if (names.empty()) return "names no allocator (leave it out for the default set)";
  if (std::count(list.begin(), list.end(), ',') + 1 != std::ptrdiff_t(names.size())) {
    return "'" + list + "' has an empty name";
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (std::find(names.begin(), names.begin() + i, names[i]) != names.begin() + i) {
      return "names " + names[i] + " twice";
    }
  }
  return "";
}

int RunCompare(const CLI::App& root, const ReplayArgs& a) {
  std::vector<std::string> allocators =
      a.allocators.empty() ? replay::InstalledAllocators() : SplitList(a.allocators);
  if (allocators.empty()) throw UsageError("--allocators names no allocator");
  for (const std::string& name : allocators) CheckKnown(name);
  CheckThreads(a);
  const bool stdout_taken = CheckOutputs(a);
  CheckGoRuntimeOptions(a.go_runtime, allocators, a.mode, true);
  auto trace = Decode(a);
  CheckMemory(a, *trace, allocators);
  std::vector<replay::ReplayResult> runs;
  for (const std::string& name : allocators) {
    // go in both modes (sim for fragmentation, parallel for speed and contention), the
    // system allocators in parallel mode; --mode restricts every run to one mode.
    std::vector<std::string> modes = {a.mode.empty() ? "parallel" : a.mode};
    if (name == "go" && a.mode.empty()) modes = {"sim", "parallel"};
    if (name == "go" && GoGcMode(a.go_runtime)) modes = {"sim"};  // GC mode: sim only
    // go and go-runtime: one run per --gogc value.
    const bool collects = name == "go" || name == replay::kGoRuntime;
    for (const std::string& gogc :
         collects ? GogcValues(a.go_runtime) : std::vector{a.go_runtime.gogc}) {
      ReplayArgs one = a;
      one.go_runtime.gogc = gogc;
      for (const std::string& mode : modes) {
        runs.push_back(RunOne(*trace, OptionsFor(one, name, mode)));
      }
    }
  }
  report::CompareReport c =
      report::BuildCompare(Tool(root), replay::SummaryOf(*trace), std::move(runs));
  Emit(stdout_taken, report::RenderCompareText(c, TextWidth(a)),
       {{"JSON", a.json, [&] { return JsonText(report::CompareJson(c)); }},
        {"HTML", a.html, [&] { return report::RenderCompareHtml(c); }}},
       c.failed_checks);
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
  compare
      ->add_option("--allocators", compare_args->allocators,
                   "comma-separated, e.g. go,glibc,jemalloc (default: go and every other "
                   "installed one)")
      ->check(CLI::Validator(AllocatorListProblem, "LIST"));
  out.emplace_back(compare, [&root, compare_args] { return RunCompare(root, *compare_args); });
}

}  // namespace goalloc::cli
