// Formats the one error message shape every decoder uses: "FILE: event N (WHERE): WHAT".
#include "src/trace/trace_error.h"

#include <fmt/core.h>

#include "src/trace/text_escape.h"

namespace goalloc::trace {
namespace {

// Control bytes and bytes that are not UTF-8 from the input (a JSON `op`, an mtrace line)
// are escaped, so they cannot drive the terminal nor (NUL) cut the message short.
std::string Format(const std::string& file, uint64_t event_index, const std::string& where,
                   const std::string& what) {
  if (where.empty()) {
    return EscapeForMessage(fmt::format("{}: event {}: {}", file, event_index, what));
  }
  return EscapeForMessage(fmt::format("{}: event {} ({}): {}", file, event_index, where, what));
}

}  // namespace

TraceError::TraceError(const std::string& file, uint64_t event_index, const std::string& where,
                       const std::string& what)
    : std::runtime_error(Format(file, event_index, where, what)),
      file_(file),
      event_index_(event_index),
      detail_(what) {}

}  // namespace goalloc::trace
