// The report files of `replay` and `compare` (--json, --html, and compare's CI outputs):
// checked before the trace is decoded, so that a path that cannot be written is a usage
// error (exit 2) at once rather than a failure after a long replay; then written, each
// atomically, after the text report.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "src/report/json_report.h"

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

// A report file asked for, rendered only when asked for (path empty: not asked for).
struct ReportFile {
  const char* what;
  const std::string& path;
  std::function<std::string()> render;
};

// The text report to stdout unless a report file goes there; every report file asked for,
// each whether or not another could not be written; then the verdict: every output that
// failed and every failed check is an error (CheckFailed: exit 1).
void Emit(bool stdout_taken, const std::string& text, const std::vector<ReportFile>& files,
          const std::vector<std::string>& failed_checks);

// A JSON report as written. Names that are not valid UTF-8 (a trace's path) have each bad
// byte replaced by U+FFFD (docs/report.md) rather than failing.
std::string JsonText(const report::Json& json);

}  // namespace goalloc::cli
