// The go-runtime backend's options (see go_runtime_options.h).
#include "src/cli/go_runtime_options.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

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
  if (s[0] == '-' && ParseCount(s.substr(1))) {
    throw UsageError(
        fmt::format("--gogc {}: a negative GOGC turns the collector off; write --gogc off", s));
  }
  const std::optional<uint64_t> v = ParseCount(s);
  if (!v || *v > UINT32_MAX) {
    throw UsageError(fmt::format("--gogc {}: expected a percentage (0 or more) or off", s));
  }
  return uint32_t(*v);
}

// Bytes: a whole number with an optional unit, B, KB, MB, GB, TB (powers of 1000) or KiB,
// MiB, GiB, TiB (powers of 1024), as GOMEMLIMIT takes them.
std::optional<uint64_t> ParseMemoryLimit(const std::string& s) {
  if (s.empty()) return std::nullopt;
  const size_t digits = s.find_first_not_of("0123456789");
  const std::optional<uint64_t> n = ParseCount(s.substr(0, digits));
  const std::string unit = digits == std::string::npos ? "" : s.substr(digits);
  static const std::pair<const char*, uint64_t> kUnits[] = {{"", 1},
                                                            {"B", 1},
                                                            {"KB", 1000},
                                                            {"MB", 1000000},
                                                            {"GB", 1000000000},
                                                            {"TB", 1000000000000},
                                                            {"KiB", uint64_t{1} << 10},
                                                            {"MiB", uint64_t{1} << 20},
                                                            {"GiB", uint64_t{1} << 30},
                                                            {"TiB", uint64_t{1} << 40}};
  for (const auto& [name, scale] : kUnits) {
    if (unit != name || !n || *n == 0 || *n > uint64_t(INT64_MAX) / scale) continue;
    return *n * scale;
  }
  throw UsageError(fmt::format(
      "--memory-limit {}: expected a number of bytes (1 or more) with an optional unit: B, KB, "
      "MB, GB, TB, KiB, MiB, GiB, TiB (e.g. 512MiB, 2GiB)",
      s));
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
  cmd.add_option("--gogc", a.gogc,
                 "go-runtime: GOGC, a percentage or off (default 100); go: GC mode with this "
                 "GOGC (sim mode unless --mode parallel); compare: a list, e.g. 50,100,off, one "
                 "column per value");
  cmd.add_option("--memory-limit", a.memory_limit,
                 "go-runtime: GOMEMLIMIT in bytes (e.g. 512MiB, 2GiB); go: GC mode with this "
                 "limit (sim mode unless --mode parallel)");
  cmd.add_option("--repeat", a.repeat,
                 "go-runtime: N fresh runs (1-1000); the report gives the one with the median "
                 "peak HeapInuse and min/median/max of the GC figures");
  cmd.add_flag("--seal", a.seal,
               "go-runtime: first fill the runtime's partly used start-up spans of every "
               "class the trace uses");
}

bool GoGcMode(const GoRuntimeArgs& a) { return !a.gogc.empty() || !a.memory_limit.empty(); }

std::vector<std::string> GogcValues(const GoRuntimeArgs& a) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t comma; (comma = a.gogc.find(',', start)) != std::string::npos; start = comma + 1) {
    out.push_back(a.gogc.substr(start, comma - start));
  }
  out.push_back(a.gogc.substr(start));
  return out;
}

void CheckGoRuntimeOptions(const GoRuntimeArgs& a, const std::vector<replay::Allocator>& allocators,
                           bool compare) {
  const std::vector<std::string> values = GogcValues(a);
  if (values.size() > 1 && !compare) {
    throw UsageError(fmt::format(
        "--gogc {}: replay takes one value; a list (one column per value) is for compare", a.gogc));
  }
  for (size_t i = 0; i < values.size(); i++) {
    if (values.size() > 1 && values[i].empty()) {
      throw UsageError(fmt::format("--gogc {}: a list with an empty value", a.gogc));
    }
    ParseGogc(values[i]);
    if (std::find(values.begin(), values.begin() + i, values[i]) != values.begin() + i) {
      throw UsageError(fmt::format("--gogc {}: names {} twice", a.gogc, values[i]));
    }
  }
  ParseMemoryLimit(a.memory_limit);
  ParseRepeat(a.repeat);
  auto has = [&](std::string_view name) {
    return std::any_of(allocators.begin(), allocators.end(),
                       [&](const replay::Allocator& x) { return x.name() == name; });
  };
  if ((!a.repeat.empty() || a.seal) && !has(replay::kGoRuntime)) {
    throw UsageError("--repeat and --seal apply to the go-runtime allocator only");
  }
  if (!GoGcMode(a)) return;
  if (std::none_of(allocators.begin(), allocators.end(),
                   [](const replay::Allocator& x) { return x.collects(); })) {
    throw UsageError("--gogc and --memory-limit apply to the go and go-runtime allocators only");
  }
}

void ApplyGoGcOptions(const GoRuntimeArgs& a, replay::ReplayOptions& o) {
  o.heap.gc.enabled = GoGcMode(a);
  o.heap.gc.gogc = ParseGogc(a.gogc);
  o.heap.gc.memory_limit = ParseMemoryLimit(a.memory_limit);
}

void ApplyGoRuntimeOptions(const GoRuntimeArgs& a, replay::ReplayOptions& o) {
  o.gogc = ParseGogc(a.gogc);
  o.memory_limit = ParseMemoryLimit(a.memory_limit);
  o.repeat = ParseRepeat(a.repeat);
  o.seal = a.seal;
}

}  // namespace goalloc::cli
