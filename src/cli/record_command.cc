// `goalloc-replay record -o OUT [--follow-children] -- CMD [ARGS…]`: runs CMD with the
// preload library and writes its trace(s) (docs/recording.md). The exit status is CMD's.
#include <fmt/core.h>

#include <filesystem>
#include <memory>

#include "src/cli/commands.h"
#include "src/record/record_session.h"

namespace goalloc::cli {

void AddRecordCommand(CLI::App& root, Commands& out) {
  auto options = std::make_shared<record::RecordOptions>();
  CLI::App* cmd = root.add_subcommand(
      "record", "run a program and record its heap calls as a trace: record -o OUT -- CMD ARGS");
  cmd->add_option("-o,--output", options->output,
                  "trace to write: binary (.gat) unless it ends in .json or .mtrace, "
                  "optionally .gz/.zst compressed")
      ->required();
  cmd->add_flag("--follow-children", options->follow_children,
                "record every process the command starts, one trace each: OUT with .PID "
                "inserted before its suffix (.PID-N for the N-th program a pid exec'd)");
  cmd->add_option("command", options->command, "the program to run and its arguments (after --)")
      ->required();
  out.emplace_back(cmd, [options]() {
    std::filesystem::path dir = std::filesystem::path(options->output).parent_path();
    if (!dir.empty() && !std::filesystem::is_directory(dir)) {
      throw UsageError("record: no directory " + dir.string() + " for " + options->output);
    }
    options->preload_library = record::FindPreloadLibrary();
    record::RecordOutcome outcome = record::RunRecorded(*options);
    if (outcome.traces.empty()) {
      fmt::print(stderr, "error: {} did not start recording (no trace written)\n",
                 options->command.front());
    }
    if (outcome.skipped_images > 0) {
      fmt::print(stderr, "record: {} program image(s) the command exec'd out of not recorded\n",
                 outcome.skipped_images);
    }
    for (const record::RecordedTrace& t : outcome.traces) {
      fmt::print(stderr, "record: {}: {} events, {} threads (pid {})\n", t.path, t.stats.events,
                 t.stats.threads, t.process.pid);
      if (t.stats.dropped > 0) {
        fmt::print(stderr,
                   "warning: {}: {} events after a lost one were dropped (a thread was still "
                   "running when its process ended)\n",
                   t.path, t.stats.dropped);
      }
    }
    return outcome.exit_status;
  });
}

}  // namespace goalloc::cli
