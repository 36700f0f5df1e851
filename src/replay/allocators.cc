// The allocator registry (see allocators.h).
#include "src/replay/allocators.h"

#include <fmt/core.h>
#include <unistd.h>

#include <array>
#include <stdexcept>

namespace goalloc::replay {
namespace {

// go in both modes (sim for fragmentation, parallel for speed and contention); the others in
// parallel mode.
constexpr std::array<Mode, 2> kBothModes = {Mode::kSim, Mode::kParallel};
constexpr std::array<Mode, 1> kParallelOnly = {Mode::kParallel};

constexpr std::array<AllocatorInfo, 7> kAllocators = {{
    {"go", Where::kInProcess, "", kBothModes, true, true},
    {kGoRuntime, Where::kGoRuntime, "", kParallelOnly, true, true},
    {"glibc", Where::kChild, "", kParallelOnly, false, true},
    {"jemalloc", Where::kChild, "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", kParallelOnly, false,
     true},
    {"tcmalloc", Where::kChild, "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", kParallelOnly,
     false, true},
    {"mimalloc", Where::kChild, "/usr/lib/x86_64-linux-gnu/libmimalloc.so.2", kParallelOnly, false,
     true},
    {"noop", Where::kInProcess, "", kParallelOnly, false, false},
}};

}  // namespace

Mode::Value Mode::Parse(std::string_view name) {
  if (name == "sim") return kSim;
  if (name == "parallel") return kParallel;
  throw std::invalid_argument(fmt::format("unknown mode '{}' (sim or parallel)", name));
}

const AllocatorInfo& Allocator::Find(std::string_view name) {
  std::string known;
  for (const AllocatorInfo& a : kAllocators) {
    if (a.name == name) return a;
    if (a.listed) known += (known.empty() ? "" : ", ") + std::string(a.name);
  }
  throw std::invalid_argument(fmt::format("unknown allocator '{}' (known: {})", name, known));
}

bool PreloadSupported() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return false;
#else
  return true;
#endif
#else
  return true;
#endif
}

// go-runtime is left out: it needs the project's Go program and is named when wanted.
std::vector<std::string> InstalledAllocators() {
  std::vector<std::string> names;
  for (const AllocatorInfo& a : kAllocators) {
    if (!a.listed || a.where == Where::kGoRuntime) continue;
    if (!a.library.empty() &&
        (!PreloadSupported() || ::access(std::string(a.library).c_str(), R_OK) != 0)) {
      continue;
    }
    names.emplace_back(a.name);
  }
  return names;
}

}  // namespace goalloc::replay
