// Writing a report file atomically (see atomic_file.h), with the trace writers' sink.
#include "src/report/atomic_file.h"

#include <memory>

#include "src/trace/byte_sink.h"

namespace goalloc::report {

void WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::unique_ptr<trace::ByteSink> sink = trace::CreateAtomicFileSink(path);
  sink->Write(content.data(), content.size());
  sink->Finish();
}

}  // namespace goalloc::report
