// Human unit formatting (see units.h).
#include "src/report/svg/units.h"

#include <fmt/core.h>

#include <array>
#include <cmath>

namespace goalloc::report::svg {
namespace {

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
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), decimals);
  size_t point = digits.find('.');
  size_t int_end = point == std::string::npos ? digits.size() : point;
  std::string out;
  for (size_t i = 0; i < int_end; ++i) {
    if (i > 0 && (int_end - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  out.append(digits, int_end, std::string::npos);
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

}  // namespace goalloc::report::svg
