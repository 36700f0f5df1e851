// Writing a report file atomically: the content goes to a temporary file in the directory of
// the file the path finally names (symlinks followed), is flushed to disk, and is renamed
// over that file, so a crash or a full disk never leaves a half-written report
// (docs/report.md); "-" and a path leading to stdout are written to stdout, a device or FIFO
// (/dev/null) in place (trace::CreateAtomicFileSink).
#pragma once

#include <string>
#include <string_view>

namespace goalloc::report {

// Throws std::runtime_error naming the path and the system error when it cannot write.
void WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace goalloc::report
