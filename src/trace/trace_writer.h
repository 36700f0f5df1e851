// Writing a trace in any encoding, optionally compressed; used by `convert` and `record`.
#pragma once

#include <memory>
#include <string>

#include "src/trace/event.h"
#include "src/trace/trace_reader.h"

namespace goalloc::trace {

class TraceWriter {
 public:
  virtual ~TraceWriter() = default;
  virtual void Write(const Event& e) = 0;
  // Flushes, closes and renames the temporary file into place (atomic). Throws on I/O error.
  virtual void Finish() = 0;
};

struct OutputFormat {
  Encoding encoding;
  Compression compression;
};
// The format a name asks for: `.json`, `.gat` (binary), `.mtrace`, each optionally followed by
// `.gz` or `.zst`. Throws std::invalid_argument for any other name.
OutputFormat FormatFromName(const std::string& path);

// Encoding and compression chosen from the name: `.json`, `.gat` (binary), `.mtrace`,
// each optionally followed by `.gz` or `.zst`. `meta` is free-form JSON text kept in the
// header ("{}" when empty). Throws std::runtime_error when the file cannot be created.
// Nothing appears at `path` until Finish(); a writer destroyed unfinished leaves no file.
std::unique_ptr<TraceWriter> CreateTraceWriter(const std::string& path,
                                               const std::string& meta_json = "{}");

}  // namespace goalloc::trace
