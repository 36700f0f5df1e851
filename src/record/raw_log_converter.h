// Turning one process's raw log (raw_record.h) into trace events, after the program exited.
// Records are put in sequence-number order, which the ordering protocol (ordering.h) made
// an order consistent with address reuse; ids are the recorded addresses.
#pragma once

#include <cstdint>
#include <string>

#include "src/trace/trace_writer.h"

namespace goalloc::record {

struct ConvertStats {
  uint64_t events = 0;   // written
  uint64_t dropped = 0;  // records after the first missing sequence number, not written
  uint32_t threads = 0;  // distinct thread ids among the events written
};

// Writes the events of the raw log at `raw_path` to `out` (without finishing it), in
// sequence order, stopping at the first missing sequence number (a thread that was still
// running when the process ended lost its last events; the events after the gap could
// refer to them, so only the consistent prefix is kept). Times are converted from ticks to
// nanoseconds (kClockOp), made relative to the earliest event, and non-decreasing. Throws
// std::runtime_error if the file cannot be read and TraceError if it holds a record that no
// recorder writes (`event` = record index).
ConvertStats ConvertRawLog(const std::string& raw_path, trace::TraceWriter& out);

}  // namespace goalloc::record
