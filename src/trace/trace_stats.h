// The figures `inspect` prints beside the live bytes and peaks of ConsistentEvents (which
// agree with the replay's), gathered in one streaming pass over a trace: event counts by op,
// threads, cross-thread frees and a power-of-two histogram of allocation sizes.
#pragma once

#include <array>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "src/trace/event.h"
#include "src/trace/live_objects.h"

namespace goalloc::trace {

class TraceStats {
 public:
  // Bucket 0 holds size 0, bucket k+1 sizes [2^k, 2^(k+1) - 1]; sizes are below 2^47.
  static constexpr int kBuckets = 48;
  struct Bucket {
    uint64_t from = 0, to = 0, count = 0;  // sizes from..to inclusive
  };

  // Counts the event as the next one of the trace; `a`: what applying it to the live set did
  // (ConsistentEvents::Apply).
  void Add(const Event& e, const LiveObjects::Applied& a);

  uint64_t events() const { return events_; }
  const std::array<uint64_t, kNumOps>& ops() const { return ops_; }
  uint32_t threads() const { return static_cast<uint32_t>(tids_.size()); }
  bool has_time() const { return has_time_; }
  // Frees and reallocs ending an object that another thread allocated (consistent events).
  uint64_t cross_thread_frees() const { return cross_thread_frees_; }
  // Sizes of the objects begun (consistent malloc, calloc, aligned_alloc, realloc), every
  // bucket from the smallest used to the largest used.
  std::vector<Bucket> SizeHistogram() const;

 private:
  uint64_t events_ = 0;
  std::array<uint64_t, kNumOps> ops_{};
  std::unordered_set<uint32_t> tids_;
  uint32_t last_tid_ = 0;
  bool has_time_ = false;
  uint64_t cross_thread_frees_ = 0;
  std::array<uint64_t, kBuckets> sizes_{};
};

}  // namespace goalloc::trace
