// Human units for the text report: sizes in B/KiB/MiB/GiB, counts with thousands separators,
// fractions as percentages with one decimal, durations in ns/µs/ms/s. One place, so every
// table of every report reads the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace goalloc::report {

// "512 B", "23.9 KiB", "1.5 MiB", "2.0 GiB" (binary units; one decimal above bytes).
std::string FormatBytes(uint64_t bytes);
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

}  // namespace goalloc::report
