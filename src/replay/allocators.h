// The allocators a replay can run on, and how: in this process (go, glibc, and the hidden
// noop floor), or in a child process with a Debian allocator library preloaded.
#pragma once

#include <string>
#include <string_view>

namespace goalloc::replay {

// Go's own runtime, in a child running the project's Go program (go_runtime_backend.h).
inline constexpr std::string_view kGoRuntime = "go-runtime";

// The shared library to preload for `name`, or "" when `name` runs in this process.
std::string_view PreloadLibrary(std::string_view name);
bool IsInProcessAllocator(std::string_view name);  // go, glibc, noop
bool IsKnownAllocator(std::string_view name);
// Preloaded allocators cannot work in a sanitizer build (its runtime owns malloc).
bool PreloadSupported();

}  // namespace goalloc::replay
