// The allocator table (see allocators.h).
#include "src/replay/allocators.h"

#include <unistd.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "src/replay/replay.h"

namespace goalloc::replay {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kPreloaded = {{
    {"jemalloc", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"},
    {"tcmalloc", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"},
    {"mimalloc", "/usr/lib/x86_64-linux-gnu/libmimalloc.so.2"},
}};

}  // namespace

std::string_view PreloadLibrary(std::string_view name) {
  for (const auto& [n, lib] : kPreloaded) {
    if (n == name) return lib;
  }
  return {};
}

bool IsInProcessAllocator(std::string_view name) { return name == "go" || name == "noop"; }

bool IsKnownAllocator(std::string_view name) {
  return IsInProcessAllocator(name) || name == "glibc" || name == kGoRuntime ||
         !PreloadLibrary(name).empty();
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

std::vector<std::string> InstalledAllocators() {
  std::vector<std::string> names = {"go", "glibc"};
  if (!PreloadSupported()) return names;
  for (const auto& [name, lib] : kPreloaded) {
    if (::access(std::string(lib).c_str(), R_OK) == 0) names.emplace_back(name);
  }
  return names;
}

}  // namespace goalloc::replay
