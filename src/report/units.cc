// Human units for the text report (see units.h).
#include "src/report/units.h"

#include <fmt/core.h>

#include <array>

namespace goalloc::report {

std::string FormatBytes(uint64_t bytes) {
  static constexpr std::array<const char*, 4> kUnits = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double v = double(bytes) / 1024;
  size_t unit = 0;
  // Switch unit where one decimal would print 1024.0 or more.
  while (v >= 1023.95 && unit + 1 < kUnits.size()) {
    v /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", v, kUnits[unit]);
}

std::string FormatCount(uint64_t n) {
  std::string digits = fmt::format("{}", n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string FormatPercent(std::optional<double> fraction) {
  if (!fraction) return "n/a";
  return fmt::format("{:.1f} %", *fraction * 100);
}

std::string FormatNanoseconds(uint64_t ns) {
  if (ns < 1000) return fmt::format("{} ns", ns);
  if (ns < 1000 * 1000) return fmt::format("{:.1f} µs", double(ns) / 1e3);
  if (ns < 1000 * 1000 * 1000) return fmt::format("{:.1f} ms", double(ns) / 1e6);
  return fmt::format("{:.3f} s", double(ns) / 1e9);
}

std::string FormatSeconds(double seconds) {
  if (seconds >= 1) return fmt::format("{:.3f} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.1f} ms", seconds * 1e3);
  return fmt::format("{:.0f} µs", seconds * 1e6);
}

std::string FormatRate(double per_second) {
  if (per_second >= 1e6) return fmt::format("{:.1f} M/s", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f} k/s", per_second / 1e3);
  return fmt::format("{:.0f} /s", per_second);
}

std::string FormatRatio(std::optional<double> ratio) {
  if (!ratio) return "";
  return fmt::format("×{:.2f}", *ratio);
}

}  // namespace goalloc::report
