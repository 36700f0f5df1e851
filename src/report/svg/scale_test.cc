// Linear and band scales.
#include "src/report/svg/scale.h"

#include <gtest/gtest.h>

namespace goalloc::report::svg {
namespace {

TEST(LinearScale, MapsDomainOntoRangeIncludingInvertedRanges) {
  LinearScale x(0, 100, 50, 1050);
  EXPECT_DOUBLE_EQ(x(0), 50);
  EXPECT_DOUBLE_EQ(x(25), 300);
  EXPECT_DOUBLE_EQ(x(100), 1050);
  EXPECT_DOUBLE_EQ(x(150), 1550);   // no clamping
  LinearScale y(0, 1000, 400, 20);  // y grows upwards on screen
  EXPECT_DOUBLE_EQ(y(0), 400);
  EXPECT_DOUBLE_EQ(y(500), 210);
  EXPECT_DOUBLE_EQ(y(1000), 20);
}

TEST(LinearScale, DegenerateDomainMapsToRangeStart) {
  LinearScale s(5, 5, 10, 20);
  EXPECT_DOUBLE_EQ(s(5), 10);
  EXPECT_DOUBLE_EQ(s(7), 10);
}

TEST(BandScale, SplitsTheRangeIntoPaddedBands) {
  BandScale b(4, 100, 500, 0.2);
  EXPECT_DOUBLE_EQ(b.step(), 100);
  EXPECT_DOUBLE_EQ(b.width(), 80);
  EXPECT_DOUBLE_EQ(b.start(0), 110);
  EXPECT_DOUBLE_EQ(b.center(0), 150);
  EXPECT_DOUBLE_EQ(b.start(3), 410);
  EXPECT_DOUBLE_EQ(b.start(3) + b.width(), 490);
}

TEST(BandScale, NoCategoriesNoBands) {
  BandScale b(0, 0, 100, 0.2);
  EXPECT_DOUBLE_EQ(b.step(), 0);
  EXPECT_DOUBLE_EQ(b.width(), 0);
}

}  // namespace
}  // namespace goalloc::report::svg
