// The options of the go-runtime backend on `replay` and `compare` (docs/go-runtime.md):
// --gogc N|off, --memory-limit BYTES, --repeat N, --seal. They are usage errors when no
// allocator of the command is go-runtime.
#pragma once

#include <string>
#include <vector>

#include "src/cli/commands.h"
#include "src/replay/replay.h"

namespace goalloc::cli {

struct GoRuntimeArgs {
  std::string gogc;          // empty: not given (100)
  std::string memory_limit;  // empty: not given (none)
  std::string repeat;        // empty: not given (1)
  bool seal = false;
};

void AddGoRuntimeOptions(CLI::App& cmd, GoRuntimeArgs& a);
// Throws UsageError for a bad value, or for options given without go-runtime in `allocators`.
void CheckGoRuntimeOptions(const GoRuntimeArgs& a, const std::vector<std::string>& allocators);
void ApplyGoRuntimeOptions(const GoRuntimeArgs& a, replay::ReplayOptions& o);

}  // namespace goalloc::cli
