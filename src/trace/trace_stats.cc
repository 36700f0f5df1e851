// See trace_stats.h.
#include "src/trace/trace_stats.h"

#include <bit>

namespace goalloc::trace {

void TraceStats::Add(const Event& e, const LiveObjects::Applied& a) {
  ++events_;
  ++ops_[static_cast<int>(e.op)];
  if (e.tid != last_tid_ || tids_.empty()) {
    tids_.insert(e.tid);
    last_tid_ = e.tid;
  }
  has_time_ |= e.t != kNoTime;
  if (a.ended_valid && a.ended.tid != e.tid) ++cross_thread_frees_;
  if (a.begun_valid) ++sizes_[std::bit_width(a.begun.size)];
}

std::vector<TraceStats::Bucket> TraceStats::SizeHistogram() const {
  std::vector<Bucket> out;
  int first = 0, last = kBuckets - 1;
  while (first < kBuckets && sizes_[first] == 0) ++first;
  while (last >= first && sizes_[last] == 0) --last;
  for (int b = first; b <= last; ++b) {
    uint64_t from = b == 0 ? 0 : uint64_t{1} << (b - 1);
    uint64_t to = b == 0 ? 0 : (uint64_t{1} << b) - 1;
    out.push_back({from, to, sizes_[b]});
  }
  return out;
}

}  // namespace goalloc::trace
