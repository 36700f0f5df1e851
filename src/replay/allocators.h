// The allocators a replay can run on, and how: in this process (go and the hidden noop
// floor), or in a fresh child process (the system allocators: glibc with no preload, the
// others with their Debian library preloaded), so that the system allocator's heap holds only
// the replay's objects, not what decoding and the earlier runs left in it.
#pragma once

#include <string>
#include <string_view>

namespace goalloc::replay {

// Go's own runtime, in a child running the project's Go program (go_runtime_backend.h).
inline constexpr std::string_view kGoRuntime = "go-runtime";

// The shared library to preload for `name`, or "" when there is none (go, glibc, noop).
std::string_view PreloadLibrary(std::string_view name);
bool IsInProcessAllocator(std::string_view name);  // go, noop
bool IsKnownAllocator(std::string_view name);
// Preloaded allocators cannot work in a sanitizer build (its runtime owns malloc).
bool PreloadSupported();

}  // namespace goalloc::replay
