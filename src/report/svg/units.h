// Human units for the figures the charts and tables show: bytes in binary prefixes
// (KiB, MiB, GiB), counts with thousands separators (k, M, G on axes), fractions as
// percentages, and nanoseconds as ns/µs/ms/s. Charts whose page formats numbers its own way
// pass a ValueFormat for hover text and value labels; axes always use these units. One place
// decides how a number reads, so a hover text, a table cell and an axis label of the same value
// agree.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace goalloc::report::svg {

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

}  // namespace goalloc::report::svg
