// Human units of the text report.
#include "src/report/units.h"

#include <gtest/gtest.h>

namespace goalloc::report {
namespace {

TEST(Units, Bytes) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1024), "1.0 KiB");
  EXPECT_EQ(FormatBytes(24576), "24.0 KiB");
  EXPECT_EQ(FormatBytes(1536 * 1024), "1.5 MiB");
  EXPECT_EQ(FormatBytes((1 << 20) - 1), "1.0 MiB");  // never "1024.0 KiB"
  EXPECT_EQ(FormatBytes(uint64_t{3} << 30), "3.0 GiB");
}

TEST(Units, Counts) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(100000), "100,000");
}

TEST(Units, PercentRatioTime) {
  EXPECT_EQ(FormatPercent(0.2534), "25.3 %");
  EXPECT_EQ(FormatPercent(-0.5), "-50.0 %");
  EXPECT_EQ(FormatPercent(std::nullopt), "n/a");
  EXPECT_EQ(FormatRatio(1.049), "×1.05");
  EXPECT_EQ(FormatRatio(std::nullopt), "");
  EXPECT_EQ(FormatNanoseconds(850), "850 ns");
  EXPECT_EQ(FormatNanoseconds(12345), "12.3 µs");
  EXPECT_EQ(FormatNanoseconds(4500000), "4.5 ms");
  EXPECT_EQ(FormatNanoseconds(1234000000), "1.234 s");
  EXPECT_EQ(FormatSeconds(1.5), "1.500 s");
  EXPECT_EQ(FormatSeconds(0.0123), "12.3 ms");
  EXPECT_EQ(FormatSeconds(0.000345), "345 µs");
  EXPECT_EQ(FormatRate(12.3e6), "12.3 M/s");
  EXPECT_EQ(FormatRate(450100), "450.1 k/s");
  EXPECT_EQ(FormatRate(999), "999 /s");
}

}  // namespace
}  // namespace goalloc::report
