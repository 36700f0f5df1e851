// How numbers read (see units.h).
#include "src/report/units.h"

#include <fmt/core.h>

#include <array>
#include <cmath>

namespace goalloc::report {
namespace {

// `digits` (decimal digits, then maybe a fraction from '.') with a comma before each group
// of three integer digits: "1234567.5" → "1,234,567.5".
std::string GroupThousands(std::string_view digits) {
  size_t int_end = std::min(digits.find('.'), digits.size());
  std::string out;
  out.reserve(digits.size() + int_end / 3);
  for (size_t i = 0; i < int_end; ++i) {
    if (i > 0 && (int_end - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  out.append(digits.substr(int_end));
  return out;
}

constexpr std::array<Prefix, 5> kBytePrefixes = {{{1.0, " B"},
                                                  {1024.0, " KiB"},
                                                  {1024.0 * 1024, " MiB"},
                                                  {1024.0 * 1024 * 1024, " GiB"},
                                                  {1024.0 * 1024 * 1024 * 1024, " TiB"}}};
constexpr std::array<Prefix, 4> kCountPrefixes = {{{1.0, ""}, {1e3, "k"}, {1e6, "M"}, {1e9, "G"}}};
constexpr std::array<Prefix, 4> kTimePrefixes = {
    {{1.0, " ns"}, {1e3, " µs"}, {1e6, " ms"}, {1e9, " s"}}};
constexpr Prefix kPercent = {0.01, " %"};

template <size_t N>
Prefix Largest(const std::array<Prefix, N>& prefixes, double magnitude) {
  Prefix chosen = prefixes[0];
  for (const Prefix& p : prefixes) {
    if (magnitude >= p.divisor) chosen = p;
  }
  return chosen;
}

}  // namespace

std::string FormatBytes(uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double v = double(bytes) / 1024;
  size_t unit = 1;
  // Switch unit where one decimal would print 1024.0 or more.
  while (v >= 1023.95 && unit + 1 < kBytePrefixes.size()) {
    v /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f}{}", v, kBytePrefixes[unit].suffix);
}

std::string FormatExactBytes(uint64_t bytes) { return FormatCount(bytes) + " B"; }

std::string FormatBytesAndExact(uint64_t bytes) {
  if (bytes < 1024) return FormatBytes(bytes);
  return fmt::format("{} ({})", FormatBytes(bytes), FormatExactBytes(bytes));
}

std::string FormatCount(uint64_t n) { return GroupThousands(fmt::format("{}", n)); }

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

Prefix ChoosePrefix(Unit unit, double magnitude) {
  magnitude = std::fabs(magnitude);
  switch (unit) {
    case Unit::kBytes:
      return Largest(kBytePrefixes, magnitude);
    case Unit::kCount:
      return magnitude < 1e4 ? kCountPrefixes[0] : Largest(kCountPrefixes, magnitude);
    case Unit::kFraction:
      return kPercent;
    case Unit::kNanoseconds:
      return Largest(kTimePrefixes, magnitude);
  }
  return kCountPrefixes[0];
}

bool IsIntegral(Unit unit) {
  return unit == Unit::kBytes || unit == Unit::kCount || unit == Unit::kNanoseconds;
}

std::string FormatGrouped(double value, int decimals) {
  std::string out = GroupThousands(fmt::format("{:.{}f}", std::fabs(value), decimals));
  bool zero = out.find_first_not_of("0.,") == std::string::npos;
  return (value < 0 && !zero ? "-" : "") + out;
}

std::string FormatHuman(double value, Unit unit) {
  if (unit == Unit::kCount) return FormatGrouped(std::round(value), 0);
  if (unit == Unit::kFraction) return FormatGrouped(value * 100, 1) + " %";
  Prefix p = ChoosePrefix(unit, value);
  double scaled = value / p.divisor;
  // Three significant digits, but whole bytes and nanoseconds have no decimals.
  int decimals = p.divisor == 1 ? 0 : std::fabs(scaled) < 10 ? 2 : std::fabs(scaled) < 100 ? 1 : 0;
  return FormatGrouped(scaled, decimals) + std::string(p.suffix);
}

std::string Format(const ValueFormat& format, double value, Unit unit) {
  return format ? format(value) : FormatHuman(value, unit);
}

}  // namespace goalloc::report
