// Entry point of goalloc-replay: builds the command line from the subcommands in
// commands.h, runs the one named, and maps failures onto the exit statuses of
// docs/cli.md (0 done, 1 a check failed, 2 bad usage or bad input).
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "src/cli/commands.h"
#include "src/trace/trace_error.h"

namespace goalloc::cli {
namespace {

constexpr int kExitCheckFailed = 1;
constexpr int kExitBadInput = 2;

bool IsSubcommand(CLI::App& app, const std::string& name) {
  auto all = app.get_subcommands([](const CLI::App*) { return true; });
  return std::any_of(all.begin(), all.end(),
                     [&](const CLI::App* s) { return s->check_name(name); });
}

int Main(int argc, char** argv) {
  CLI::App app{
      "goalloc-replay: replay heap traces into a Go-style allocator and the system "
      "allocators, and report fragmentation, span occupancy and lock contention",
      "goalloc-replay"};
  app.set_version_flag("--version", std::string(GOALLOC_VERSION));
  app.require_subcommand(1);
  Commands commands;
  // Each subcommand's owner adds its line here and its library to BUILD.
  AddReplayCommands(app, commands);
  AddReplayChildCommand(app, commands);
  AddInspectCommand(app, commands);
  AddConvertCommand(app, commands);
  AddRecordCommand(app, commands);
  AddSizeClassesCommand(app, commands);

  // `goalloc-replay TRACE [OPTIONS]` means `goalloc-replay replay TRACE [OPTIONS]`.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && !args[0].empty() && args[0][0] != '-' && !IsSubcommand(app, args[0])) {
    args.insert(args.begin(), "replay");
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? 0 : kExitBadInput;
  }
  for (auto& [sub, run] : commands) {
    if (sub->parsed()) return run();
  }
  return kExitBadInput;
}

}  // namespace
}  // namespace goalloc::cli

int main(int argc, char** argv) {
  using namespace goalloc;
  try {
    return cli::Main(argc, argv);
  } catch (const trace::TraceError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitBadInput;
  } catch (const cli::UsageError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitBadInput;
  } catch (const cli::CheckFailed& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitCheckFailed;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return cli::kExitCheckFailed;
  }
}
