// Replays on the system allocators run in a fresh child process: this same binary
// (/proc/self/exe) re-run as `goalloc-replay replay-child --in FD --out FD`, with the Debian
// library in LD_PRELOAD for jemalloc, tcmalloc and mimalloc and none for glibc, so the whole
// process, replay engine included, uses that malloc, and its heap holds nothing that the
// parent's decoding or earlier runs left.
// The parent passes the request (replay options) and the already decoded trace through a
// memfd, so the child does not decode again; the child replays in process and answers with
// its ReplayResult, or an error, in another memfd (child_protocol.h).
#pragma once

#include <string>

#include "src/replay/prepared_trace.h"
#include "src/replay/replay_options.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

// Parent side. `library`: the library to preload, or "" for none (glibc). `exe`: the
// goalloc-replay binary to run (tests name the built one). `interposer`: a library preloaded
// before `library` that forwards the malloc family to it and defines
// `void* goalloc_interposed_malloc(void)`, returning the malloc it forwards to (tests: a
// counting interposer, with replay_window.h's hook); "" for none. Throws ReplayFailed when
// the child fails.
ReplayResult ReplayInChild(const PreparedTrace& trace, const ReplayOptions& options,
                           const std::string& library, const std::string& exe = "/proc/self/exe",
                           const std::string& interposer = "");

// Child side (the replay-child subcommand): returns the process exit status.
int RunReplayChild(int in_fd, int out_fd);

}  // namespace goalloc::replay
