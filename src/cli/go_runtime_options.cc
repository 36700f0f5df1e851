// The go-runtime backend's options (see go_runtime_options.h).
#include "src/cli/go_runtime_options.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

#include "src/replay/allocators.h"

namespace goalloc::cli {
namespace {

// A whole decimal number with no sign or suffix, or nothing.
std::optional<uint64_t> ParseCount(const std::string& s) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// GOGC as Go reads it: a percentage, or off.
std::optional<uint32_t> ParseGogc(const std::string& s) {
  if (s.empty()) return 100;
  if (s == "off") return std::nullopt;
  const std::optional<uint64_t> v = ParseCount(s);
  if (!v || *v > UINT32_MAX) {
    throw UsageError(fmt::format("--gogc {}: expected a percentage (0 or more) or off", s));
  }
  return uint32_t(*v);
}

std::optional<uint64_t> ParseMemoryLimit(const std::string& s) {
  if (s.empty()) return std::nullopt;
  const std::optional<uint64_t> v = ParseCount(s);
  if (!v || *v == 0 || *v > uint64_t(INT64_MAX)) {
    throw UsageError(fmt::format("--memory-limit {}: expected a number of bytes (1 or more)", s));
  }
  return v;
}

uint32_t ParseRepeat(const std::string& s) {
  if (s.empty()) return 1;
  const std::optional<uint64_t> v = ParseCount(s);
  if (!v || *v == 0 || *v > 1000) {
    throw UsageError(fmt::format("--repeat {}: expected a number of runs from 1 to 1000", s));
  }
  return uint32_t(*v);
}

}  // namespace

void AddGoRuntimeOptions(CLI::App& cmd, GoRuntimeArgs& a) {
  cmd.add_option("--gogc", a.gogc, "go-runtime: GOGC, a percentage or off (default 100)");
  cmd.add_option("--memory-limit", a.memory_limit, "go-runtime: GOMEMLIMIT in bytes");
  cmd.add_option("--repeat", a.repeat,
                 "go-runtime: N fresh runs (1-1000); the report gives the one with the median "
                 "peak HeapInuse and min/median/max of the GC figures");
  cmd.add_flag("--seal", a.seal,
               "go-runtime: first fill the runtime's partly used start-up spans of every "
               "class the trace uses");
}

void CheckGoRuntimeOptions(const GoRuntimeArgs& a, const std::vector<std::string>& allocators) {
  ParseGogc(a.gogc);
  ParseMemoryLimit(a.memory_limit);
  ParseRepeat(a.repeat);
  const bool given = !a.gogc.empty() || !a.memory_limit.empty() || !a.repeat.empty() || a.seal;
  if (given &&
      std::find(allocators.begin(), allocators.end(), replay::kGoRuntime) == allocators.end()) {
    throw UsageError(
        "--gogc, --memory-limit, --repeat and --seal apply to the go-runtime "
        "allocator only");
  }
}

void ApplyGoRuntimeOptions(const GoRuntimeArgs& a, replay::ReplayOptions& o) {
  o.gogc = ParseGogc(a.gogc);
  o.memory_limit = ParseMemoryLimit(a.memory_limit);
  o.repeat = ParseRepeat(a.repeat);
  o.seal = a.seal;
}

}  // namespace goalloc::cli
