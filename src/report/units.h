// How every number of every report reads: sizes in binary units (B, KiB, MiB, GiB), counts
// with thousands separators, fractions as percentages, durations in ns/µs/ms/s, rates and
// ratios; and, for charts, the prefix an axis uses and the human form of one value. One
// place, so a text table cell, an HTML cell, a hover text and an axis label of the same value
// agree. It depends on fmt only: `inspect` and the chart builder use it too.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace goalloc::report {

// ---- table cells and sentences ---------------------------------------------------------

// "512 B", "23.9 KiB", "1.5 MiB", "2.0 GiB" (binary units; one decimal above bytes).
std::string FormatBytes(uint64_t bytes);
// "1,234,567 B": every byte.
std::string FormatExactBytes(uint64_t bytes);
// "1.2 MiB (1,234,567 B)": human and exact; below 1 KiB just "512 B".
std::string FormatBytesAndExact(uint64_t bytes);
// "1,234,567".
std::string FormatCount(uint64_t n);
// A fraction as a percentage with one decimal: 0.2534 → "25.3 %"; absent → "n/a".
std::string FormatPercent(std::optional<double> fraction);
// "850 ns", "12.3 µs", "4.5 ms", "1.234 s".
std::string FormatNanoseconds(uint64_t ns);
// Seconds, three significant places at least: "1.234 s", "12.3 ms", "345 µs".
std::string FormatSeconds(double seconds);
// Events per second: "12.3 M/s", "450.1 k/s", "999 /s".
std::string FormatRate(double per_second);
// A ratio to a reference: "×1.05"; absent → "".
std::string FormatRatio(std::optional<double> ratio);

// ---- charts: axes, hover texts, value labels -------------------------------------------

enum class Unit {
  kBytes,        // 1 KiB = 1024 B
  kCount,        // objects, events, spans: integers
  kFraction,     // 0.25 is shown as 25 %
  kNanoseconds,  // durations
};

// A multiple of the base unit used to print a value: MiB = {1048576, " MiB"}.
struct Prefix {
  double divisor = 1;
  std::string_view suffix;
};

// The largest prefix of `unit` that leaves `magnitude` at or above 1 (counts: none below
// 10 000, so 4 096 stays 4,096 rather than 4.1k). Fractions are always percent.
Prefix ChoosePrefix(Unit unit, double magnitude);

// Integer units cannot have a tick between two integers (no 2.5 objects).
bool IsIntegral(Unit unit);

// A value for a person to read exactly enough: "1.50 MiB", "12.3 MiB", "123 MiB", "512 B",
// "1,234,567" (counts in full), "25.0 %", "3.25 ms".
std::string FormatHuman(double value, Unit unit);

// `value` with `decimals` decimals and thousands separators: 1234567.891, 2 → "1,234,567.89".
std::string FormatGrouped(double value, int decimals);

// How a chart prints one value in hover text and value labels; empty: FormatHuman.
using ValueFormat = std::function<std::string(double)>;
std::string Format(const ValueFormat& format, double value, Unit unit);

}  // namespace goalloc::report
