// Formats the one error message shape every decoder uses: "FILE: event N (WHERE): WHAT".
#include "src/trace/trace_error.h"

#include <fmt/core.h>

namespace goalloc::trace {
namespace {

std::string Format(const std::string& file, uint64_t event_index, const std::string& where,
                   const std::string& what) {
  if (where.empty()) return fmt::format("{}: event {}: {}", file, event_index, what);
  return fmt::format("{}: event {} ({}): {}", file, event_index, where, what);
}

}  // namespace

TraceError::TraceError(const std::string& file, uint64_t event_index, const std::string& where,
                       const std::string& what)
    : std::runtime_error(Format(file, event_index, where, what)),
      file_(file),
      event_index_(event_index),
      detail_(what) {}

}  // namespace goalloc::trace
