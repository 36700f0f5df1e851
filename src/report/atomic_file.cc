// Writing a report file atomically (see atomic_file.h), with the trace writers' sink.
#include "src/report/atomic_file.h"

#include <fmt/core.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "src/trace/byte_sink.h"

namespace goalloc::report {

void WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::unique_ptr<trace::ByteSink> sink = trace::CreateAtomicFileSink(path);
  sink->Write(content.data(), content.size());
  sink->Finish();
}

void WriteOutput(const std::string& path, std::string_view content) {
  if (path != "-") {
    WriteFileAtomically(path, content);
    return;
  }
  if (std::fwrite(content.data(), 1, content.size(), stdout) != content.size() ||
      std::fflush(stdout) != 0) {
    throw std::runtime_error(fmt::format("cannot write stdout: {}", std::strerror(errno)));
  }
}

}  // namespace goalloc::report
