// The cap on parallel mode's OS threads (see thread_limit.h).
#include "src/replay/thread_limit.h"

#include <fmt/core.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace goalloc::replay {
namespace {

uint64_t ReadNumber(const char* path) {
  std::FILE* f = std::fopen(path, "r");
  if (f == nullptr) return 0;
  unsigned long long v = 0;
  if (std::fscanf(f, "%llu", &v) != 1) v = 0;
  std::fclose(f);
  return v;
}

// Each known limit with its divisor, as "name / d = value".
template <class F>
void ForEachBound(const ThreadLimits& l, F f) {
  if (l.max_map_count != 0) f("vm.max_map_count / 4", l.max_map_count / 4);
  if (l.threads_max != 0) f("kernel.threads-max / 4", l.threads_max / 4);
  if (l.nproc != 0) f("RLIMIT_NPROC / 2", l.nproc / 2);
}

}  // namespace

ThreadLimits ReadThreadLimits() {
  ThreadLimits l;
  l.max_map_count = ReadNumber("/proc/sys/vm/max_map_count");
  l.threads_max = ReadNumber("/proc/sys/kernel/threads-max");
  rlimit r{};
  if (::getrlimit(RLIMIT_NPROC, &r) == 0 && r.rlim_cur != RLIM_INFINITY) l.nproc = r.rlim_cur;
  return l;
}

uint32_t ParallelThreadCap(const ThreadLimits& limits) {
  uint64_t cap = kMaxParallelThreads;
  ForEachBound(limits, [&](const char*, uint64_t v) { cap = std::min(cap, v); });
  return uint32_t(std::max<uint64_t>(cap, 1));
}

std::string DescribeThreadCap(const ThreadLimits& limits) {
  std::string s = fmt::format("the lowest of {}", kMaxParallelThreads);
  ForEachBound(limits,
               [&](const char* name, uint64_t v) { s += fmt::format(", {} = {}", name, v); });
  return s;
}

uint32_t ReplayThreads(uint32_t requested, uint32_t recorded, bool parallel,
                       const ThreadLimits& limits) {
  const uint32_t wanted = requested != 0 ? requested : std::max<uint32_t>(1, recorded);
  if (!parallel) return wanted;
  const uint32_t cap = ParallelThreadCap(limits);
  if (wanted <= cap) return wanted;
  if (requested != 0) {
    throw std::invalid_argument(fmt::format(
        "--threads {} needs {} OS threads in parallel mode, and this machine allows {} ({}): "
        "pass --threads {} or fewer, or --mode sim",
        requested, requested, cap, DescribeThreadCap(limits), cap));
  }
  fmt::print(stderr,
             "note: the trace has {} threads; parallel mode replays them on {} OS threads ({}), "
             "recorded thread t on replay thread t mod {}\n",
             recorded, cap, DescribeThreadCap(limits), cap);
  return cap;
}

}  // namespace goalloc::replay
