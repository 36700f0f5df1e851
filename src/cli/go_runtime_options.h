// The collector options on `replay` and `compare`: --gogc N|off and --memory-limit BYTES for
// go-runtime (docs/go-runtime.md) and for go, where they turn on GC mode (docs/allocator.md);
// --repeat N and --seal for go-runtime only. They are usage errors when no allocator of the
// command takes them.
#pragma once

#include <string>
#include <vector>

#include "src/cli/commands.h"
#include "src/replay/allocators.h"
#include "src/replay/replay_options.h"

namespace goalloc::cli {

struct GoRuntimeArgs {
  std::string gogc;          // empty: not given (100)
  std::string memory_limit;  // empty: not given (none)
  std::string repeat;        // empty: not given (1)
  bool seal = false;
};

void AddGoRuntimeOptions(CLI::App& cmd, GoRuntimeArgs& a);
// Throws UsageError for a bad value, for options given without an allocator that takes them
// in `allocators`, or for a list of --gogc values outside `compare`.
void CheckGoRuntimeOptions(const GoRuntimeArgs& a, const std::vector<replay::Allocator>& allocators,
                           bool compare);
// compare --gogc 50,100,off: one run of go and of go-runtime per value. The --gogc values
// given, each as a GoRuntimeArgs::gogc of its own ({""} when none).
std::vector<std::string> GogcValues(const GoRuntimeArgs& a);
// go in GC mode (--gogc or --memory-limit given): sim mode unless --mode parallel.
bool GoGcMode(const GoRuntimeArgs& a);
void ApplyGoRuntimeOptions(const GoRuntimeArgs& a, replay::ReplayOptions& o);
void ApplyGoGcOptions(const GoRuntimeArgs& a, replay::ReplayOptions& o);

}  // namespace goalloc::cli
