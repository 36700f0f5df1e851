// The go-runtime backend (docs/go-runtime.md): the trace replayed inside Go 1.19's own
// runtime by a Go program of the project (src/goruntime), started as a child with GOGC,
// GOMEMLIMIT and GOMAXPROCS in its environment from its start. The decoded events reach it
// as a read-only mapped file (go_runtime_events.h); it answers with JSON, which becomes a
// ReplayResult with the runtime's heap at each sample and snapshot and the `gc` figures.
#pragma once

#include <string>

#include "src/replay/prepared_trace.h"
#include "src/replay/replay_options.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

// Where the Go program is: $GOALLOC_GO_RUNTIME when set, else beside this binary in Bazel's
// output tree or its runfiles. Throws std::invalid_argument (a usage error) when missing.
std::string GoRuntimeProgram();

// Runs options.repeat fresh children and returns the run with the median peak HeapInuse,
// with min / median / max of the GC figures over all runs. Throws ReplayFailed when a child
// fails.
ReplayResult ReplayInGoRuntime(const PreparedTrace& trace, const ReplayOptions& options);

}  // namespace goalloc::replay
