// `goalloc-replay record -o OUT [--follow-children] -- CMD [ARGS…]`: runs CMD with the
// preload library and writes its trace(s) (docs/recording.md). The exit status is CMD's.
#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "src/cli/commands.h"
#include "src/record/record_session.h"
#include "src/trace/trace_writer.h"

namespace goalloc::cli {
namespace {

// An error of the recorder itself, whatever the command's status (docs/recording.md).
constexpr int kExitRecorderFailed = 1;

}  // namespace

void AddRecordCommand(CLI::App& root, Commands& out) {
  auto options = std::make_shared<record::RecordOptions>();
  CLI::App* cmd = root.add_subcommand(
      "record", "run a program and record its heap calls as a trace: record -o OUT -- CMD ARGS");
  cmd->add_option("-o,--output", options->output,
                  "trace to write: .gat (binary), .json or .mtrace, optionally followed by "
                  ".gz or .zst")
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
    try {  // the encoding is decided now, not after the command ran
      trace::FormatFromName(options->output);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("record: ") + e.what());
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
    int status = outcome.exit_status;
    for (const record::RecordedTrace& t : outcome.traces) {
      fmt::print(stderr, "record: {}: {} events, {} threads (pid {})\n", t.path, t.stats.events,
                 t.stats.threads, t.process.pid);
      if (t.write_error != 0) {
        fmt::print(stderr,
                   "error: {}: the raw log could not be written ({}{}): the trace holds only "
                   "the events before\n",
                   t.path, std::strerror(t.write_error),
                   t.write_error == ENOSPC  ? ": the disk filled"
                   : t.write_error == EFBIG ? ": the file size limit, ulimit -f"
                                            : "");
        status = kExitRecorderFailed;
      } else if (t.stats.dropped > 0) {
        fmt::print(stderr,
                   "warning: {}: {} events after a lost one were dropped (a thread was still "
                   "running when its process ended)\n",
                   t.path, t.stats.dropped);
      }
    }
    return status;
  });
}

}  // namespace goalloc::cli
