// Entry point of goalloc-replay: builds the command line from the subcommands in
// commands.h, runs the one named, and maps failures onto the exit statuses of
// docs/cli.md (0 done, 1 a check failed, 2 bad usage or bad input).
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
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

// CLI11 lists unexpected arguments ("…not expected: c b a") in the reverse of the order
// it parsed them in: lists them in the order they appear in `args`.
std::string ExtrasInCommandLineOrder(const std::string& message,
                                     const std::vector<std::string>& args) {
  size_t colon = message.find(": ");
  if (colon == std::string::npos) return message;
  std::vector<std::string> extras;
  std::istringstream listed(message.substr(colon + 2));
  for (std::string word; listed >> word;) extras.push_back(word);
  auto position = [&](const std::string& word) {
    return std::find(args.begin(), args.end(), word) - args.begin();
  };
  std::stable_sort(extras.begin(), extras.end(), [&](const std::string& a, const std::string& b) {
    return position(a) < position(b);
  });
  std::string out = message.substr(0, colon + 1);
  for (const std::string& word : extras) out += " " + word;
  return out;
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
  AddTuneClassesCommand(app, commands);

  // `goalloc-replay [OPTIONS] TRACE [OPTIONS]` means `goalloc-replay replay …`: the first
  // argument that is not an option decides.
  std::vector<std::string> args(argv, argv + argc);
  auto first_word = std::find_if(args.begin() + 1, args.end(),
                                 [](const std::string& a) { return a.empty() || a[0] != '-'; });
  if (first_word != args.end() && !IsSubcommand(app, *first_word)) {
    args.insert(args.begin() + 1, "replay");
  }
  app.failure_message([&args](const CLI::App* failed, const CLI::Error& e) {
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      return "error: " + ExtrasInCommandLineOrder(e.what(), args) +
             "\nRun with --help for more information.\n";
    }
    return "error: " + CLI::FailureMessage::simple(failed, e);
  });
  std::vector<const char*> arg_pointers;
  for (const std::string& a : args) arg_pointers.push_back(a.c_str());
  try {
    app.parse(int(arg_pointers.size()), arg_pointers.data());
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
