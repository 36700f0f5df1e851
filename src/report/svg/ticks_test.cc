// Nice ticks: steps of 1, 2, 2.5, 5 × 10^k in the unit prefix that fits the range.
#include "src/report/svg/ticks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace goalloc::report::svg {
namespace {

std::vector<std::string> Labels(const Ticks& t) {
  std::vector<std::string> out;
  for (double v : t.values) out.push_back(t.Label(v));
  return out;
}

constexpr double kMiB = 1024.0 * 1024;

TEST(NiceTicks, BytesInMiBWithHalfSteps) {
  Ticks t = NiceTicks(0, 2.3 * kMiB, Unit::kBytes, 5);
  EXPECT_DOUBLE_EQ(t.step, 0.5 * kMiB);
  EXPECT_DOUBLE_EQ(t.lo, 0);
  EXPECT_DOUBLE_EQ(t.hi, 2.5 * kMiB);
  EXPECT_EQ(Labels(t), (std::vector<std::string>{"0.0 MiB", "0.5 MiB", "1.0 MiB", "1.5 MiB",
                                                 "2.0 MiB", "2.5 MiB"}));
}

TEST(NiceTicks, SmallByteRangesStepInWholeBytes) {
  Ticks t = NiceTicks(0, 3, Unit::kBytes, 10);
  EXPECT_DOUBLE_EQ(t.step, 1);
  EXPECT_EQ(Labels(t), (std::vector<std::string>{"0 B", "1 B", "2 B", "3 B"}));
}

TEST(NiceTicks, IntegralUnitsSkipHalfIntegerSteps) {
  // 0..9 objects in 4 intervals: raw step 2.25 → 2.5 is not whole, so 5.
  Ticks t = NiceTicks(0, 9, Unit::kCount, 4);
  EXPECT_DOUBLE_EQ(t.step, 5);
  EXPECT_DOUBLE_EQ(t.hi, 10);
  // 0..90 in 4 intervals: 25 is whole.
  EXPECT_DOUBLE_EQ(NiceTicks(0, 90, Unit::kCount, 4).step, 25);
}

TEST(NiceTicks, LargeCountsUseDecimalPrefixes) {
  Ticks t = NiceTicks(0, 1'000'000, Unit::kCount, 4);
  EXPECT_DOUBLE_EQ(t.step, 250'000);
  EXPECT_EQ(Labels(t), (std::vector<std::string>{"0", "0.25M", "0.50M", "0.75M", "1.00M"}));
  EXPECT_EQ(NiceTicks(0, 42'000, Unit::kCount, 4).Label(40'000), "40k");
}

TEST(NiceTicks, FractionsArePercentPoints) {
  Ticks t = NiceTicks(0, 1, Unit::kFraction, 4);
  EXPECT_DOUBLE_EQ(t.step, 0.25);
  EXPECT_EQ(Labels(t), (std::vector<std::string>{"0 %", "25 %", "50 %", "75 %", "100 %"}));
  Ticks small = NiceTicks(0, 0.031, Unit::kFraction, 3);
  EXPECT_EQ(Labels(small), (std::vector<std::string>{"0 %", "2 %", "4 %"}));
  Ticks fine = NiceTicks(0, 0.0031, Unit::kFraction, 3);
  EXPECT_EQ(fine.Label(fine.values[1]), "0.2 %");
  // Negative fragmentation (footprint below live) extends the axis below zero.
  Ticks neg = NiceTicks(-0.12, 0.4, Unit::kFraction, 5);
  EXPECT_DOUBLE_EQ(neg.lo, -0.2);
  EXPECT_DOUBLE_EQ(neg.hi, 0.4);
  EXPECT_EQ(neg.Label(-0.2), "-20 %");
}

TEST(NiceTicks, WithoutExtendTheDomainStaysAndOnlyInnerTicksRemain) {
  Ticks t = NiceTicks(0, 12345, Unit::kCount, 5, /*extend=*/false);
  EXPECT_DOUBLE_EQ(t.lo, 0);
  EXPECT_DOUBLE_EQ(t.hi, 12345);
  EXPECT_DOUBLE_EQ(t.step, 2500);
  EXPECT_DOUBLE_EQ(t.values.back(), 12500 - 2500);
  for (double v : t.values) {
    EXPECT_GE(v, t.lo);
    EXPECT_LE(v, t.hi);
  }
}

TEST(NiceTicks, DegenerateAndReversedDomains) {
  Ticks zero = NiceTicks(0, 0, Unit::kBytes, 5);
  EXPECT_DOUBLE_EQ(zero.lo, 0);
  EXPECT_GT(zero.hi, 0);
  EXPECT_GE(zero.values.size(), 2u);
  Ticks rev = NiceTicks(100, 0, Unit::kCount, 5);
  EXPECT_DOUBLE_EQ(rev.lo, 0);
  EXPECT_DOUBLE_EQ(rev.hi, 100);
}

TEST(NiceTicks, NanosecondsInMilliseconds) {
  Ticks t = NiceTicks(0, 7.2e6, Unit::kNanoseconds, 4);
  EXPECT_DOUBLE_EQ(t.step, 2e6);
  EXPECT_EQ(t.Label(t.values.back()), "8 ms");
}

// Every step, for ranges across many magnitudes, is a nice multiple and yields about the
// requested number of intervals (never fewer than target/2.5, never more than target).
TEST(NiceTicks, StepsAreNiceAcrossMagnitudes) {
  for (double hi = 100; hi < 1e13; hi *= 3.3) {
    for (int target : {3, 5, 8}) {
      Ticks t = NiceTicks(0, hi, Unit::kBytes, target);
      double intervals = (t.hi - t.lo) / t.step;
      EXPECT_LE(intervals, target + 1e-9) << "hi=" << hi << " target=" << target;
      EXPECT_GE(intervals, target / 2.5 - 1e-9) << "hi=" << hi << " target=" << target;
      EXPECT_GE(t.hi, hi);
      EXPECT_EQ(t.values.size(), size_t(intervals + 1.5));
    }
  }
}

}  // namespace
}  // namespace goalloc::report::svg
