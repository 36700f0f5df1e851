// Writing a report file atomically: the content goes to a temporary file in the same
// directory, is flushed to disk, and is renamed over the destination, so a crash or a full
// disk never leaves a half-written report (docs/cli.md); a device or FIFO (/dev/null) is
// written in place (trace::CreateAtomicFileSink). "-" means stdout.
#pragma once

#include <string>
#include <string_view>

namespace goalloc::report {

// Throws std::runtime_error naming the path and the system error when it cannot write.
void WriteFileAtomically(const std::string& path, std::string_view content);

// WriteFileAtomically, or stdout when path is "-".
void WriteOutput(const std::string& path, std::string_view content);

}  // namespace goalloc::report
