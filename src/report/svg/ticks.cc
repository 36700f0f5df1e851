// Nice tick selection (see ticks.h): Heckbert's "nice numbers", in the chosen unit prefix.
#include "src/report/svg/ticks.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace goalloc::report::svg {
namespace {

// The fewest decimals (up to 6) that print `x` exactly.
int DecimalsOf(double x) {
  for (int d = 0; d < 6; ++d) {
    double scaled = x * std::pow(10.0, d);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, std::fabs(scaled))) return d;
  }
  return 6;
}

}  // namespace

std::string Ticks::Label(double value) const {
  if (value == 0 && unit == Unit::kCount) return "0";  // not "0k"
  return FormatGrouped(value / prefix.divisor, decimals) + std::string(prefix.suffix);
}

Ticks NiceTicks(double lo, double hi, Unit unit, int target, bool extend) {
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) hi = lo + (IsIntegral(unit) ? 1.0 : 0.01);
  target = std::max(target, 1);
  Ticks t;
  t.unit = unit;
  t.prefix = ChoosePrefix(unit, std::max(std::fabs(lo), std::fabs(hi)));
  double div = t.prefix.divisor;

  // The smallest nice step (in prefix units) that gives at most about `target` intervals.
  double raw = (hi - lo) / div / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (double m : {1.0, 2.0, 2.5, 5.0}) {
    double candidate = m * mag;
    // In an integral unit's base (bytes, objects, ns) a step must be whole.
    bool whole = !IsIntegral(unit) || div != 1 || candidate == std::floor(candidate);
    if (candidate >= raw * (1 - 1e-9) && whole) {
      step = candidate;
      break;
    }
  }
  if (IsIntegral(unit) && step * div < 1) step = 1 / div;
  t.decimals = DecimalsOf(step);
  t.step = step * div;

  double first = std::floor(lo / t.step + 1e-9);
  double last = std::ceil(hi / t.step - 1e-9);
  if (extend) {
    t.lo = first * t.step;
    t.hi = last * t.step;
  } else {
    t.lo = lo;
    t.hi = hi;
    first = std::ceil(lo / t.step - 1e-9);
    last = std::floor(hi / t.step + 1e-9);
  }
  for (double i = first; i <= last; ++i) t.values.push_back(i * t.step);
  return t;
}

}  // namespace goalloc::report::svg
