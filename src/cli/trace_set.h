// The traces of `compare TRACE…`: each argument a trace file or a directory, which stands for
// every trace below it (docs/ci.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace goalloc::cli {

struct TraceFile {
  std::string path;          // as given, or the directory's path joined with the file's
  uint64_t bytes = 0;        // the file's size (weights the progress display's ETA)
  std::string content_hash;  // report::ContentHash of its bytes
};

// Expands directories into the regular files below them, recursively, sorted by path, except
// documentation and build files (*.md, *.txt, BUILD, BUILD.bazel, *.bzl) and goalloc-replay's
// own reports (a JSON file whose first 4 KiB hold "schema": "goalloc-, like a baseline), and
// reads each file's content hash. Throws UsageError for a path that does not exist, a
// directory with no trace, stdin ("-", which cannot be hashed) or a trace named twice (by
// any name).
std::vector<TraceFile> ExpandTraces(const std::vector<std::string>& args);

// Whether `arg` names a directory.
bool IsDirectory(const std::string& arg);

}  // namespace goalloc::cli
