// The raw log written by the preload library while a program runs, and read back by the
// converter (raw_log_converter.h) once it has exited. It is deliberately not the trace
// format: recording must cost a few stores per heap call, so every call becomes one
// fixed-size, self-contained binary record, appended to a per-thread buffer and written to
// the process's raw log in batches with write(2) on an O_APPEND descriptor. Records of
// different threads interleave in the file by batch; each thread's records appear in its
// own order, and the global sequence number `seq` restores the order between threads.
//
// The file has no header; it is a plain array of RawRecord in host byte order (it never
// leaves the machine that wrote it). Raw logs live in a directory the `record` command
// creates and deletes; the library names each log `<pid>-<image>.raw` (raw_log_name.h).
#pragma once

#include <cstdint>

namespace goalloc::record {

// Environment the `record` command passes to the recorded program.
// Directory where each recorded process image creates its raw log; absent = record nothing.
inline constexpr char kEnvRawDir[] = "GOALLOC_RECORD_DIR";
// Without --follow-children: the pid of the one process to record (each program image it
// execs records too). Absent = every process that inherits the environment records itself.
inline constexpr char kEnvOnlyPid[] = "GOALLOC_RECORD_PID";

// When a raw log cannot be written (disk full, the file size limit), the library stops
// recording in that process and creates an empty file named after the log with this
// suffix and the errno value: `<pid>-<image>.raw.failed-28`. What was written before
// stays a valid raw log.
inline constexpr char kFailedSuffix[] = ".failed-";

// One heap call. `op` holds a trace::Op value; `id`/`new_id` are addresses.
struct RawRecord {
  uint64_t seq;        // global order of the call within the process, dense from 0
  uint64_t t;          // clock ticks (the CPU's time-stamp counter on x86-64, else ns)
  uint64_t id;         // object begun (malloc/calloc/aligned_alloc) or ended (free/realloc)
  uint64_t new_id;     // realloc: the object begun
  uint64_t size;       // requested bytes (calloc: nmemb × size)
  uint32_t tid;        // dense thread id within the process, in order of first call
  uint8_t op;          // trace::Op
  uint8_t align_log2;  // aligned_alloc: log2 of the alignment
  uint16_t reserved;   // zero
};
static_assert(sizeof(RawRecord) == 48, "the raw log layout is fixed");

// A record with this `op` is not a heap call but a clock reading: `t` ticks were
// `id` CLOCK_MONOTONIC nanoseconds. Reading the time-stamp counter costs a few cycles where
// clock_gettime costs tens of nanoseconds on every heap call; the converter maps ticks to
// nanoseconds through the first and last of these. Its `seq` is kClockSeq.
inline constexpr uint8_t kClockOp = 0xff;
inline constexpr uint64_t kClockSeq = ~uint64_t{0};

}  // namespace goalloc::record
