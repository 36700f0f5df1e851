// Jobs in worker processes (`compare -j N`): each job runs in a child forked from this
// process, so that replays of different traces share no heap, no allocator state and no
// address space, exactly as if each had been run alone; at most N run at once. A child
// answers with text, through a memory file rather than a pipe, so that an answer of any size
// never blocks it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace goalloc::cli {

struct WorkerAnswer {
  bool answered = false;
  std::string text;     // what the job returned
  std::string failure;  // otherwise: how the child ended ("killed by signal 9")
};

// Runs job(0) … job(count − 1), each in its own child, at most `parallel` (≥ 1) at a time.
// `job` runs in the child and must not throw. `tick(done)` runs in the parent after each job
// ends and about once a second while jobs run (a progress display), with the indices of the
// jobs ended so far. The parent must have no other children: it reaps any that ends.
std::vector<WorkerAnswer> RunInWorkers(size_t count, size_t parallel,
                                       const std::function<std::string(size_t)>& job,
                                       const std::function<void(const std::vector<size_t>&)>& tick);

// The CPUs this process may run on (the default of -j).
size_t UsableCpus();

}  // namespace goalloc::cli
