// Consistency of an event stream: which ids are live, with what size and thread, and the
// inconsistent events (free/realloc of an id that is not live, malloc of a live id) that the
// spec says to count and skip. One implementation serves `inspect` and the replay decoder,
// so both agree on what was skipped and on live bytes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "src/trace/event.h"
#include "src/trace/id_table.h"

namespace goalloc::trace {

enum class Inconsistency { kFreeUnknown, kReallocUnknown, kMallocLiveId };

struct InconsistencyCounts {
  static constexpr size_t kMaxFirstIndices = 10;
  uint64_t free_unknown = 0;
  uint64_t realloc_unknown = 0;
  uint64_t malloc_live_id = 0;
  std::vector<uint64_t> first_indices;  // event indices of the first kMaxFirstIndices, any kind
  uint64_t total() const { return free_unknown + realloc_unknown + malloc_live_id; }
};

class LiveObjects {
 public:
  // What applying one event did. `serial` numbers are dense: the n-th object to begin in
  // the whole trace gets serial n (0-based); a realloc ends one serial and begins another.
  using Object = LiveObject;  // {serial, size, tid}
  struct Applied {
    bool consistent = true;
    Inconsistency kind{};      // when !consistent; the event changed nothing
    bool ended_valid = false;  // free, realloc: the object that ended
    Object ended;
    bool begun_valid = false;  // malloc, calloc, aligned_alloc, realloc: the object that began
    Object begun;
    bool new_peak = false;  // live bytes rose above every earlier count: peak_event() is this
  };

  Applied Apply(const Event& e, uint64_t event_index);

  uint64_t live_bytes() const { return live_bytes_; }
  uint64_t live_objects() const { return live_objects_; }
  uint64_t peak_bytes() const { return peak_bytes_; }
  uint64_t peak_objects() const { return peak_objects_; }  // live objects at the peak_bytes event
  uint64_t peak_event() const { return peak_event_; }      // first event index reaching peak_bytes
  uint64_t serials() const { return next_serial_; }        // objects begun so far
  const InconsistencyCounts& inconsistent() const { return inconsistent_; }

 private:
  void Inconsistent(Inconsistency kind, uint64_t event_index, Applied* a);

  IdTable table_;  // id → the live object
  uint64_t live_bytes_ = 0, live_objects_ = 0, peak_bytes_ = 0, peak_objects_ = 0, peak_event_ = 0,
           next_serial_ = 0;
  InconsistencyCounts inconsistent_;
};

// One line for a warning or a --strict error, e.g. "free of id 42, which is not live"; the
// one wording of `inspect`, `replay` and `compare`.
std::string DescribeInconsistency(Inconsistency kind, const Event& e);

// The counts in one line, the same for every command and report:
// "3 skipped: free_unknown 2, realloc_unknown 0, malloc_live_id 1; first at events 0, 4, 7"
// (just "0 skipped" when there are none). `count` formats each number (digit grouping).
std::string SummarizeInconsistencies(const InconsistencyCounts& counts,
                                     std::string (*count)(uint64_t));

}  // namespace goalloc::trace
