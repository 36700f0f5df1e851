// The subcommands of goalloc-replay, one file each. Each Add*Command adds its subcommand(s)
// to the root app and registers, per subcommand, the function that runs it once the command
// line is parsed; main() runs the one the user named.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace goalloc::cli {

using CommandRun = std::function<int()>;  // returns the exit status
using Commands = std::vector<std::pair<CLI::App*, CommandRun>>;

// Bad usage found after parsing (e.g. an unknown allocator name): exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A replay ran but a check failed (allocator invariant, replay could not finish): status 1.
class CheckFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void AddReplayCommands(CLI::App& root, Commands& out);      // replay, compare
void AddInspectCommand(CLI::App& root, Commands& out);      // inspect
void AddConvertCommand(CLI::App& root, Commands& out);      // convert
void AddRecordCommand(CLI::App& root, Commands& out);       // record
void AddSizeClassesCommand(CLI::App& root, Commands& out);  // sizeclasses
void AddTuneClassesCommand(CLI::App& root, Commands& out);  // tune-classes
void AddReplayChildCommand(CLI::App& root, Commands& out);  // replay-child (hidden)

}  // namespace goalloc::cli
