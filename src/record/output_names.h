// Names of the files of one recording: the raw logs the library writes (one per process
// image) and the traces the `record` command makes of them.
#pragma once

#include <optional>
#include <string>

namespace goalloc::record {

// A process image: a pid, and how many times that pid had exec'd before (0 = first image).
struct ProcessImage {
  long pid = 0;
  unsigned image = 0;
  bool operator==(const ProcessImage&) const = default;
};

// The raw log name the library creates: "<pid>-<image>.raw".
std::string RawLogName(ProcessImage p);
// The inverse; nullopt for any other name.
std::optional<ProcessImage> ParseRawLogName(const std::string& name);

// The library's mark that a raw log could not be written, "<pid>-<image>.raw.failed-<errno>"
// (raw_record.h, kFailedSuffix): the process image and the errno value; nullopt for any other
// name.
struct RawLogFailure {
  ProcessImage process;
  int error = 0;
};
std::optional<RawLogFailure> ParseRawLogFailureName(const std::string& name);

// With --follow-children, the trace of process image `p` is `out` with ".<pid>" (image 0)
// or ".<pid>-<image>" inserted before the encoding suffix (.gat, .json or .mtrace, then an
// optional .gz or .zst), or appended when `out` has none:
//   trace.gat.zst → trace.1234.gat.zst, trace.1234-1.gat.zst;  out → out.1234
std::string TracePathForProcess(const std::string& out, ProcessImage p);

}  // namespace goalloc::record
