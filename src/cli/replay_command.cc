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
#include "src/cli/corpus_compare.h"
#include "src/cli/go_runtime_options.h"
#include "src/cli/report_outputs.h"
#include "src/cli/size_classes_option.h"
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
  std::vector<std::string> traces;  // compare: files and directories (corpus_compare.h)
  std::string allocator = "go";
  std::string allocators;  // compare: comma-separated; empty: go and every installed one
  std::string mode;        // empty: not given
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
  std::string size_classes;            // --size-classes FILE; empty: Go's table
  GoRuntimeArgs go_runtime;
  CorpusArgs corpus;  // compare of several traces
};

constexpr const char* kTraceHelp = "trace file: JSON, mtrace or binary, optionally .gz/.zst";

void AddCommonOptions(CLI::App& cmd, ReplayArgs& a) {
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
  cmd.add_option("--size-classes", a.size_classes,
                 "the go allocator's size classes from FILE (what sizeclasses or tune-classes "
                 "print) instead of Go's")
      ->option_text("FILE");
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

// One run's allocator as the command line names it: its registry entry (an unknown name is a
// usage error, before the (possibly long) decode), and for go the size-class table file.
struct Column {
  std::string name;  // as given; compare's go@FILE names its column
  replay::Allocator allocator;
  std::string table_file;  // "" for none (Go's table)
};

// --allocator, or an entry of --allocators without a table: --size-classes, if given, for go.
Column PlainColumn(const ReplayArgs& a, const std::string& name) {
  try {
    const replay::Allocator allocator = name;
    return {name, allocator, allocator.name() == "go" ? a.size_classes : ""};
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

// An entry of compare's --allocators: a name, or go@FILE, the go allocator with the size
// classes of FILE.
Column CompareColumn(const ReplayArgs& a, const std::string& name) {
  const size_t at = name.find('@');
  if (at == std::string::npos) return PlainColumn(a, name);
  if (name.substr(0, at) != "go") {
    throw UsageError(fmt::format("'{}': only go takes a size-class table (go@FILE)", name));
  }
  if (at + 1 == name.size()) throw UsageError(fmt::format("'{}' names no file", name));
  return {name, replay::Allocator("go"), name.substr(at + 1)};
}

std::vector<replay::Allocator> AllocatorsOf(const std::vector<Column>& columns) {
  std::vector<replay::Allocator> out;
  for (const Column& c : columns) out.push_back(c.allocator);
  return out;
}

// --mode; nullopt when not given.
std::optional<replay::Mode> GivenMode(const ReplayArgs& a) {
  if (a.mode.empty()) return std::nullopt;
  return replay::Mode(a.mode);  // CLI11 checked the name
}

// `mode` nullopt: the allocator's default, or sim for go in GC mode (deterministic).
replay::ReplayOptions OptionsFor(const ReplayArgs& a, const Column& column,
                                 std::optional<replay::Mode> mode) {
  replay::ReplayOptions o;
  o.allocator = column.allocator;
  if (mode) o.mode = *mode;
  o.threads = a.threads;
  o.timeline_samples = a.timeline;
  o.verify = a.verify || a.verify_every > 0;
  o.verify_every = a.verify_every;
  o.progress = !a.quiet && isatty(STDERR_FILENO);
  if (column.allocator.name() == replay::kGoRuntime) ApplyGoRuntimeOptions(a.go_runtime, o);
  if (column.allocator.name() == "go") {
    ApplyGoGcOptions(a.go_runtime, o);
    if (o.heap.gc.enabled && !mode) o.mode = replay::Mode::kSim;
  }
  if (!column.table_file.empty()) {
    alloc::SizeClassFile f = LoadSizeClassesOption(column.table_file);
    o.heap.size_classes = f.table;
    o.size_classes = f.Name();
  }
  return o;
}

// --size-classes and go@FILE: each table read (a malformed file is exit 2) before the
// decode; --size-classes only with a plain go run.
void CheckSizeClasses(const ReplayArgs& a, const std::vector<Column>& columns) {
  if (!a.size_classes.empty() && std::none_of(columns.begin(), columns.end(),
                                              [](const Column& c) { return c.name == "go"; })) {
    throw UsageError("--size-classes applies to the go allocator, which this run leaves out");
  }
  for (const Column& c : columns) {
    if (!c.table_file.empty()) LoadSizeClassesOption(c.table_file);
  }
}

// The pre-flight check of each allocator's replay, before any of them runs (a usage error).
void CheckMemory(const ReplayArgs& a, const replay::PreparedTrace& trace,
                 const std::vector<Column>& columns) {
  for (const Column& column : columns) {
    for (const std::string& gogc : GogcValues(a.go_runtime)) {  // GC mode holds garbage
      ReplayArgs one = a;
      one.go_runtime.gogc = gogc;
      const replay::ReplayOptions o = OptionsFor(one, column, GivenMode(a));
      if (std::string err =
              replay::CheckMemoryBudget(trace, column.allocator, a.max_memory, &o.heap.gc);
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
    return replay::Replay(trace, options);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  } catch (const replay::ReplayFailed& e) {
    throw CheckFailed(e.what());  // names the allocator, and the event where it failed
  }
}

bool CheckOutputs(const ReplayArgs& a) {
  return CheckReportOutputs(a.trace, {{"--json", a.json}, {"--html", a.html}});
}

size_t TextWidth(const ReplayArgs& a) { return a.wide ? report::kWideText : report::kTextWidth; }

report::ToolInfo Tool(const CLI::App& root) { return {"goalloc-replay", root.version()}; }

int RunReplay(const CLI::App& root, const ReplayArgs& a) {
  const Column column = PlainColumn(a, a.allocator);
  CheckThreads(a);
  const bool stdout_taken = CheckOutputs(a);
  CheckGoRuntimeOptions(a.go_runtime, {column.allocator}, false);
  CheckSizeClasses(a, {column});
  auto trace = Decode(a);
  CheckMemory(a, *trace, {column});
  report::Report r = report::BuildReport(Tool(root), replay::SummaryOf(*trace),
                                         RunOne(*trace, OptionsFor(a, column, GivenMode(a))));
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

// Every run of a comparison on one trace: each allocator in the modes its registry entry
// gives (go: sim for fragmentation, parallel for speed and contention; the others parallel),
// or in --mode only; go and go-runtime once per --gogc value.
ColumnRuns RunColumns(const ReplayArgs& a, const std::vector<Column>& columns) {
  auto trace = Decode(a);
  CheckMemory(a, *trace, columns);
  std::vector<replay::ReplayResult> runs;
  for (const Column& column : columns) {
    std::vector<replay::Mode> modes(column.allocator.compare_modes().begin(),
                                    column.allocator.compare_modes().end());
    if (const std::optional<replay::Mode> mode = GivenMode(a)) modes = {*mode};
    if (column.allocator.name() == "go" && GoGcMode(a.go_runtime) && !GivenMode(a)) {
      modes = {replay::Mode::kSim};  // GC mode: deterministic sim unless --mode says
    }
    for (const std::string& gogc :
         column.allocator.collects() ? GogcValues(a.go_runtime) : std::vector{a.go_runtime.gogc}) {
      ReplayArgs one = a;
      one.go_runtime.gogc = gogc;
      for (const replay::Mode mode : modes) {
        runs.push_back(RunOne(*trace, OptionsFor(one, column, mode)));
        runs.back().allocator = column.name;  // go@FILE names its column
      }
    }
  }
  return {replay::SummaryOf(*trace), std::move(runs)};
}

int RunCompare(const CLI::App& root, ReplayArgs a) {
  std::vector<Column> columns;
  for (const std::string& name :
       a.allocators.empty() ? replay::InstalledAllocators() : SplitList(a.allocators)) {
    columns.push_back(CompareColumn(a, name));
  }
  CheckSizeClasses(a, columns);
  CheckThreads(a);
  if (IsCorpus(a.traces, a.corpus)) {
    CheckGoRuntimeOptions(a.go_runtime, AllocatorsOf(columns), true);
    return RunCorpusCompare(Tool(root), a.traces, a.corpus, {a.json, a.html, a.quiet, TextWidth(a)},
                            [&](const std::string& path) {
                              ReplayArgs one = a;
                              one.trace = path;
                              one.quiet = true;  // the corpus's progress line instead
                              return RunColumns(one, columns);
                            });
  }
  a.trace = a.traces.front();
  const bool stdout_taken = CheckOutputs(a);
  CheckGoRuntimeOptions(a.go_runtime, AllocatorsOf(columns), true);
  ColumnRuns runs = RunColumns(a, columns);
  report::CompareReport c = report::BuildCompare(Tool(root), runs.trace, std::move(runs.runs));
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
  replay->add_option("TRACE", replay_args->trace, kTraceHelp)->required();
  AddCommonOptions(*replay, *replay_args);
  replay
      ->add_option("--allocator", replay_args->allocator,
                   "go, go-runtime, glibc, and where installed jemalloc, tcmalloc, mimalloc")
      ->capture_default_str();
  out.emplace_back(replay, [&root, replay_args] { return RunReplay(root, *replay_args); });

  auto compare_args = std::make_shared<ReplayArgs>();
  CLI::App* compare = root.add_subcommand(
      "compare",
      "replay the same trace on several allocators and report them side by side; several "
      "traces or directories: a corpus, with a summary table and a CI gate (docs/ci.md)");
  compare->add_option("TRACE", compare_args->traces, std::string(kTraceHelp) + "; or a directory")
      ->required();
  AddCommonOptions(*compare, *compare_args);
  AddCorpusOptions(*compare, compare_args->corpus);
  compare
      ->add_option("--allocators", compare_args->allocators,
                   "comma-separated, e.g. go,glibc,jemalloc (default: go and every other "
                   "installed one)")
      ->check(CLI::Validator(AllocatorListProblem, "LIST"));
  out.emplace_back(compare, [&root, compare_args] { return RunCompare(root, *compare_args); });
}

}  // namespace goalloc::cli
