// `goalloc-replay inspect TRACE [--json] [--strict]`: reads and validates a trace in one
// streaming pass, without replaying it, and prints what it holds (docs/cli.md): events by
// op, threads, live bytes and their peak, cross-thread frees, a size histogram and the
// inconsistent events, as aligned text or as the JSON of docs/report.md.
#include <fmt/core.h>
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/cli/commands.h"
#include "src/report/units.h"
#include "src/trace/consistent_events.h"
#include "src/trace/trace_reader.h"
#include "src/trace/trace_stats.h"

namespace goalloc::cli {
namespace {

struct InspectOptions {
  std::string path;
  bool json = false;
  bool strict = false;
};

nlohmann::ordered_json InconsistentJson(const trace::InconsistencyCounts& c) {
  return {{"free_unknown", c.free_unknown},
          {"realloc_unknown", c.realloc_unknown},
          {"malloc_live_id", c.malloc_live_id},
          {"first_indices", c.first_indices}};
}

void PrintJson(const trace::TraceReader& reader, const trace::TraceStats& s,
               const trace::LiveObjects& live) {
  nlohmann::ordered_json ops;
  for (int op = 0; op < trace::kNumOps; ++op) {
    ops[std::string(trace::OpName(static_cast<trace::Op>(op)))] = s.ops()[op];
  }
  nlohmann::ordered_json histogram = nlohmann::ordered_json::array();
  for (const auto& b : s.SizeHistogram()) {
    histogram.push_back({{"from", b.from}, {"to", b.to}, {"count", b.count}});
  }
  nlohmann::ordered_json out = {
      {"path", reader.path()},
      {"encoding", trace::EncodingName(reader.encoding())},
      {"compression", trace::CompressionName(reader.compression())},
      {"events", s.events()},
      {"threads", s.threads()},
      {"has_time", s.has_time()},
      {"ops", ops},
      {"peak_live_bytes", live.peak_bytes()},
      {"peak_live_objects", live.peak_objects()},
      {"peak_live_event", live.peak_event()},
      {"final_live_bytes", live.live_bytes()},
      {"final_live_objects", live.live_objects()},
      {"cross_thread_frees", s.cross_thread_frees()},
      {"size_histogram", histogram},
      {"inconsistent", InconsistentJson(live.inconsistent())},
  };
  // A path that is not valid UTF-8 has each bad byte replaced by U+FFFD, as in the report.
  fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

void PrintText(const trace::TraceReader& reader, const trace::TraceStats& s,
               const trace::LiveObjects& live) {
  auto row = [](std::string_view name, const std::string& value) {
    fmt::print("{:<20}{}\n", name, value);
  };
  row("trace", reader.path());
  row("encoding", reader.compression() == trace::Compression::kNone
                      ? std::string(trace::EncodingName(reader.encoding()))
                      : fmt::format("{}, {} compressed", trace::EncodingName(reader.encoding()),
                                    trace::CompressionName(reader.compression())));
  row("events", report::FormatCount(s.events()) + (s.has_time() ? " (with time)" : " (no time)"));
  row("threads", report::FormatCount(s.threads()));
  std::string ops;
  for (int op = 0; op < trace::kNumOps; ++op) {
    ops += fmt::format("{}{} {}", op ? "  " : "", trace::OpName(static_cast<trace::Op>(op)),
                       report::FormatCount(s.ops()[op]));
  }
  row("ops", ops);
  row("peak live",
      fmt::format("{} in {} objects, at event {}", report::FormatBytes(live.peak_bytes()),
                  report::FormatCount(live.peak_objects()),
                  report::FormatCount(live.peak_event())));
  row("final live", fmt::format("{} in {} objects", report::FormatBytes(live.live_bytes()),
                                report::FormatCount(live.live_objects())));
  row("cross-thread frees", report::FormatCount(s.cross_thread_frees()));
  row("inconsistent", trace::SummarizeInconsistencies(live.inconsistent(), report::FormatCount));
  std::vector<trace::TraceStats::Bucket> histogram = s.SizeHistogram();
  if (histogram.empty()) return;
  uint64_t total = 0;
  for (const auto& b : histogram) total += b.count;
  fmt::print("\nallocation sizes (consistent allocations)\n  {:<24}{:>12}{:>8}\n", "size", "count",
             "%");
  for (const auto& b : histogram) {
    if (b.count == 0) continue;
    std::string range = b.from == b.to ? report::FormatBytes(b.from)
                                       : fmt::format("{} to < {}", report::FormatBytes(b.from),
                                                     report::FormatBytes(b.to + 1));
    fmt::print("  {:<24}{:>12}{:>7.1f}%\n", range, report::FormatCount(b.count),
               100.0 * static_cast<double>(b.count) / static_cast<double>(total));
  }
}

int RunInspect(const InspectOptions& o) {
  std::unique_ptr<trace::TraceReader> reader = trace::OpenTrace(o.path);
  trace::ConsistentEvents events(reader->path(), {.strict = o.strict});
  trace::TraceStats stats;
  trace::ReadConsistentEvents(
      *reader, events, [&](const trace::Event& e, const auto& applied) { stats.Add(e, applied); });
  if (o.json) {
    PrintJson(*reader, stats, events.live());
  } else {
    PrintText(*reader, stats, events.live());
  }
  return 0;
}

}  // namespace

void AddInspectCommand(CLI::App& root, Commands& out) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* sub = root.add_subcommand(
      "inspect", "read and validate a trace without replaying it, and print its statistics");
  sub->add_option("TRACE", options->path,
                  "trace file (JSON, mtrace or binary; .gz/.zst; - = stdin)")
      ->required();
  sub->add_flag("--json", options->json, "print the statistics as JSON on stdout");
  sub->add_flag("--strict", options->strict, "the first inconsistent event is an error (exit 2)");
  out.emplace_back(sub, [options] { return RunInspect(*options); });
}

}  // namespace goalloc::cli
