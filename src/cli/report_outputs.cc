// See report_outputs.h.
#include "src/cli/report_outputs.h"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "src/cli/commands.h"
#include "src/report/atomic_file.h"
#include "src/trace/output_target.h"

namespace goalloc::cli {
namespace {

// Whether the output would replace the file `input` describes (by any of its names).
bool Replaces(const trace::OutputTarget& t, const struct stat& input) {
  return t.kind == trace::OutputTarget::Kind::kFile && t.exists && t.device == input.st_dev &&
         t.inode == input.st_ino;
}

const char* DestinationName(const trace::OutputTarget& t) {
  if (t.kind != trace::OutputTarget::Kind::kStream) return "file";
  return t.stream_fd == STDOUT_FILENO ? "stdout" : "stderr";
}

}  // namespace

bool CheckReportOutputs(const std::string& trace, const std::vector<ReportOutput>& outputs) {
  struct stat input;
  const bool input_is_file = trace != "-" && stat(trace.c_str(), &input) == 0;
  std::vector<std::pair<const ReportOutput*, trace::OutputTarget>> checked;
  bool to_stdout = false;
  for (const ReportOutput& out : outputs) {
    if (out.path.empty()) continue;
    trace::OutputTarget target;
    try {
      target = trace::ResolveOutputTarget(out.path);
    } catch (const std::runtime_error& e) {
      throw UsageError(fmt::format("{}: {}", out.option, e.what()));
    }
    if (input_is_file && Replaces(target, input)) {
      throw UsageError(fmt::format("{} {} is the trace being read; it would be overwritten",
                                   out.option, out.path));
    }
    for (const auto& [other, other_target] : checked) {
      if (trace::SameDestination(target, other_target)) {
        throw UsageError(fmt::format("{} {} and {} {} would write the same {}", other->option,
                                     other->path, out.option, out.path, DestinationName(target)));
      }
    }
    to_stdout |=
        target.kind == trace::OutputTarget::Kind::kStream && target.stream_fd == STDOUT_FILENO;
    checked.emplace_back(&out, std::move(target));
  }
  return to_stdout;
}

void Emit(bool stdout_taken, const std::string& text, const std::vector<ReportFile>& files,
          const std::vector<std::string>& failed_checks) {
  if (!stdout_taken) std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
  std::vector<std::string> errors;
  for (const ReportFile& file : files) {
    if (file.path.empty()) continue;
    try {
      report::WriteFileAtomically(file.path, file.render());
    } catch (const std::exception& e) {
      errors.push_back(fmt::format("the {} report was not written: {}", file.what, e.what()));
    }
  }
  if (!failed_checks.empty()) {
    std::string all = failed_checks.front();
    if (failed_checks.size() > 1) all += fmt::format(" (and {} more)", failed_checks.size() - 1);
    errors.push_back(all);
  }
  if (errors.empty()) return;
  for (size_t i = 0; i + 1 < errors.size(); ++i) fmt::print(stderr, "error: {}\n", errors[i]);
  throw CheckFailed(errors.back());
}

std::string JsonText(const report::Json& json) {
  return json.dump(2, ' ', false, report::Json::error_handler_t::replace) + "\n";
}

}  // namespace goalloc::cli
