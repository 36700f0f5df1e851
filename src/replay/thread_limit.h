// How many OS threads parallel mode may start. It starts one per replay thread, and each
// costs a stack mapping and its guard (two of vm.max_map_count's mappings), a task of
// kernel.threads-max and of the user's RLIMIT_NPROC: past those limits thread creation
// fails (at about vm.max_map_count / 2 threads the process aborted). The cap keeps well
// inside each and under a fixed ceiling, beyond which more threads on a few cores measure
// only the scheduler.
#pragma once

#include <cstdint>
#include <string>

namespace goalloc::replay {

inline constexpr uint32_t kMaxParallelThreads = 1024;

// The machine's limits that bound the number of threads; 0 where unknown or unlimited.
struct ThreadLimits {
  uint64_t max_map_count = 0;  // /proc/sys/vm/max_map_count
  uint64_t threads_max = 0;    // /proc/sys/kernel/threads-max
  uint64_t nproc = 0;          // RLIMIT_NPROC (soft)
};
ThreadLimits ReadThreadLimits();

// The most replay threads parallel mode runs: the lowest of kMaxParallelThreads,
// max_map_count / 4 (half of the mappings left to the heaps), threads_max / 4 and
// nproc / 2 (the machine and the user run other threads too); at least 1.
uint32_t ParallelThreadCap(const ThreadLimits& limits);
// How that cap was derived, for messages: "the lowest of 1024, vm.max_map_count / 4 = ...".
std::string DescribeThreadCap(const ThreadLimits& limits);

// The replay threads of a replay: `requested` (--threads; 0: the trace's `recorded`
// threads, at least 1). In parallel mode an explicit request over the cap is a usage error
// (std::invalid_argument saying what to pass); the trace's own count over the cap is capped,
// its recorded threads then sharing replay threads as with --threads (t mod N), and a note
// says so on stderr. sim mode runs on one OS thread whatever the count.
uint32_t ReplayThreads(uint32_t requested, uint32_t recorded, bool parallel,
                       const ThreadLimits& limits);

}  // namespace goalloc::replay
