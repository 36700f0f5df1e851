// The recording side of the raw log (raw_record.h): per-thread buffers of raw records,
// the global sequence number, dense thread ids, timestamps, and the lifetime of the log
// file across process start, thread exit, fork and process exit.
//
// Lifetime of a process's log:
// - Pending: from the first heap call, which can come before the library's constructor,
//   events are buffered but there is no file yet, since the environment that says whether
//   and where to record is only known for certain when the constructor runs.
// - Active: the constructor found kEnvRawDir (and, if kEnvOnlyPid is set, it names this
//   process) and created `<dir>/<pid>-<image>.raw` with O_EXCL (`image` counts the program
//   images a pid went through by exec, from 0; the `record` command decides which to keep).
// - Off: not recording; every call goes straight to the real allocator.
// Buffers are written when full, at thread exit (a pthread key destructor) and at process
// exit (the library destructor, which also switches to writing every later event at once).
// In a child of fork() the log is restarted for the child (new file, seq, thread ids and
// clock from zero) when every process is followed, and turned off otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

#include "src/trace/event.h"

namespace goalloc::record {

// Whether heap calls are to be logged (Pending or Active). One relaxed load.
bool Logging();

// Logs one heap call made by the calling thread: takes the next sequence number and the
// time, now. The caller chooses where this stamp falls relative to the real call, which is
// what makes the order of the log an order consistent with address reuse (ordering.h).
void LogEvent(trace::Op op, uint64_t id, uint64_t new_id, uint64_t size, unsigned align_log2);

// exec() and _exit() end the program image without running destructors: writes every
// thread's buffered events first, and writes later events at once until ExecFailed().
void FlushBeforeExec();
void ExecFailed();

}  // namespace goalloc::record
