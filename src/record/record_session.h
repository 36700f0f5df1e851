// One run of `goalloc-replay record`: runs a command with the preload library, waits for
// it, and converts each raw log it left into a trace (docs/recording.md).
#pragma once

#include <string>
#include <vector>

#include "src/record/output_names.h"
#include "src/record/raw_log_converter.h"

namespace goalloc::record {

struct RecordOptions {
  std::string output;  // the trace; with follow_children, the name pattern
  // Record every process the command starts, one trace each. Without it, only the
  // command's own process, as the program it ends as (after any exec).
  bool follow_children = false;
  std::vector<std::string> command;  // CMD ARGS…, looked up in PATH
  std::string preload_library;       // absolute path of libgoalloc_record.so
};

struct RecordedTrace {
  std::string path;
  ProcessImage process;
  ConvertStats stats;
  // The errno value with which the raw log stopped being written (ENOSPC: the disk filled;
  // EFBIG: the file size limit), 0 if it was written whole. The trace then holds the events
  // logged before.
  int write_error = 0;
};

struct RecordOutcome {
  int exit_status = 0;                // the command's; 128 + N when killed by signal N
  std::vector<RecordedTrace> traces;  // by pid, then image
  // Without follow_children: program images the command exec'd out of, not written.
  size_t skipped_images = 0;
};

// Runs the command and writes its trace(s). The raw logs go to a temporary directory
// beside the output, removed afterwards. Throws std::runtime_error when the command cannot
// be started or a trace cannot be written.
RecordOutcome RunRecorded(const RecordOptions& options);

// Where libgoalloc_record.so is: $GOALLOC_RECORD_LIB if set, else next to the running
// binary, in its Bazel runfiles, or in the Bazel output tree beside it (../record/).
// Throws std::runtime_error when none exists.
std::string FindPreloadLibrary();

}  // namespace goalloc::record
