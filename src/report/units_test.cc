// How numbers read: table cells, and the chart units (prefixes, significant digits,
// separators, percentages).
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

TEST(Units, ExactBytes) {
  EXPECT_EQ(FormatExactBytes(1234567), "1,234,567 B");
  EXPECT_EQ(FormatBytesAndExact(512), "512 B");
  EXPECT_EQ(FormatBytesAndExact(1234567), "1.2 MiB (1,234,567 B)");
}

TEST(FormatHuman, BytesUseBinaryPrefixesAndThreeSignificantDigits) {
  EXPECT_EQ(FormatHuman(0, Unit::kBytes), "0 B");
  EXPECT_EQ(FormatHuman(1023, Unit::kBytes), "1,023 B");
  EXPECT_EQ(FormatHuman(1024, Unit::kBytes), "1.00 KiB");
  EXPECT_EQ(FormatHuman(1536, Unit::kBytes), "1.50 KiB");
  EXPECT_EQ(FormatHuman(24.5 * 1024 * 1024, Unit::kBytes), "24.5 MiB");
  EXPECT_EQ(FormatHuman(300.0 * 1024 * 1024, Unit::kBytes), "300 MiB");
  EXPECT_EQ(FormatHuman(3.0 * (1ull << 30), Unit::kBytes), "3.00 GiB");
}

TEST(FormatHuman, CountsAreExactWithThousandsSeparators) {
  EXPECT_EQ(FormatHuman(0, Unit::kCount), "0");
  EXPECT_EQ(FormatHuman(999, Unit::kCount), "999");
  EXPECT_EQ(FormatHuman(1000, Unit::kCount), "1,000");
  EXPECT_EQ(FormatHuman(1234567, Unit::kCount), "1,234,567");
  EXPECT_EQ(FormatHuman(-4096, Unit::kCount), "-4,096");
}

TEST(FormatHuman, FractionsArePercentWithOneDecimal) {
  EXPECT_EQ(FormatHuman(0.25, Unit::kFraction), "25.0 %");
  EXPECT_EQ(FormatHuman(0.1234, Unit::kFraction), "12.3 %");
  EXPECT_EQ(FormatHuman(12.5, Unit::kFraction), "1,250.0 %");
  EXPECT_EQ(FormatHuman(-0.05, Unit::kFraction), "-5.0 %");
  EXPECT_EQ(FormatHuman(-0.0001, Unit::kFraction), "0.0 %");  // no "-0.0 %"
}

TEST(FormatHuman, NanosecondsScaleToMicroMilliAndSeconds) {
  EXPECT_EQ(FormatHuman(850, Unit::kNanoseconds), "850 ns");
  EXPECT_EQ(FormatHuman(1500, Unit::kNanoseconds), "1.50 µs");
  EXPECT_EQ(FormatHuman(32.5e6, Unit::kNanoseconds), "32.5 ms");
  EXPECT_EQ(FormatHuman(2.0e9, Unit::kNanoseconds), "2.00 s");
}

TEST(ChoosePrefix, PicksTheLargestPrefixNotAboveTheMagnitude) {
  EXPECT_EQ(ChoosePrefix(Unit::kBytes, 1023).suffix, " B");
  EXPECT_EQ(ChoosePrefix(Unit::kBytes, 1024).suffix, " KiB");
  EXPECT_EQ(ChoosePrefix(Unit::kBytes, -5e6).suffix, " MiB");
  EXPECT_EQ(ChoosePrefix(Unit::kCount, 9999).suffix, "");  // 9,999 reads better than 10.0k
  EXPECT_EQ(ChoosePrefix(Unit::kCount, 25000).suffix, "k");
  EXPECT_EQ(ChoosePrefix(Unit::kCount, 3e6).suffix, "M");
  EXPECT_EQ(ChoosePrefix(Unit::kFraction, 0.5).divisor, 0.01);
  EXPECT_EQ(ChoosePrefix(Unit::kNanoseconds, 2e3).suffix, " µs");
}

TEST(Format, UsesTheChartsFormatWhenGiven) {
  EXPECT_EQ(Format(nullptr, 2048, Unit::kBytes), "2.00 KiB");
  EXPECT_EQ(Format([](double v) { return "<" + std::to_string(int(v)) + ">"; }, 2048, Unit::kBytes),
            "<2048>");
}

TEST(FormatGrouped, GroupsTheIntegerPartOnly) {
  EXPECT_EQ(FormatGrouped(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(FormatGrouped(123, 0), "123");
  EXPECT_EQ(FormatGrouped(123456, 1), "123,456.0");
  EXPECT_EQ(FormatGrouped(-1234.5, 1), "-1,234.5");
}

}  // namespace
}  // namespace goalloc::report
