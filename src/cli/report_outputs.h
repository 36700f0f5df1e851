// The report files of `replay` and `compare` (--json, --html), checked before the trace is
// decoded, so that a path that cannot be written is a usage error (exit 2) at once rather
// than a failure after a long replay.
#pragma once

#include <string>
#include <vector>

namespace goalloc::cli {

struct ReportOutput {
  std::string option;  // "--json"
  std::string path;    // empty: not asked for
};

// Checks every output asked for: it can be written (trace::ResolveOutputTarget), it is not
// the input trace, and no two name the same destination (two outputs on stdout included).
// Throws UsageError naming the option and the path. Returns whether one of them goes to
// stdout, which then carries that report alone.
bool CheckReportOutputs(const std::string& trace, const std::vector<ReportOutput>& outputs);

}  // namespace goalloc::cli
