// The decoded trace: the consistent events of a trace in a compact array, with object ids
// renumbered densely (pointer-table slots) so that the replay's id → pointer table is a flat
// array. Inconsistent events are counted and dropped here, once, so every replay of the trace
// (and `compare`, which replays it many times) executes the same events. Event indices
// inside the array are "compact"; OriginalIndex maps them back to the trace's own event
// indices for reports.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "src/replay/huge_page_allocator.h"
#include "src/replay/replay_options.h"
#include "src/replay/replay_result.h"
#include "src/trace/event.h"
#include "src/trace/live_objects.h"

namespace goalloc::replay {

// One consistent event. Its `slot` is an object's slot in the pointer table (see
// TraceBuilder::AssignSlots for who gets which). 8 bytes, because a replay streams the event
// array from memory and is bound by it (figures: docs/performance.md, "measurement notes
// moved from code comments"). So what most events do not need lives beside the array, in
// streams a replay thread reads in event order: the requested size of each object that
// begins and of each that ends (PreparedTrace::begin_sizes, end_sizes) and the new object of
// each realloc (PreparedTrace::realloc_slots); and the recorded thread of each event
// (PreparedTrace::tids).
struct ReplayEvent {
  uint32_t slot = 0;  // malloc, calloc, aligned_alloc: the object that begins; free, realloc:
                      // the object that ends
  trace::Op op = trace::Op::kMalloc;
  bool scan = false;
  uint8_t align_shift = 0;  // aligned_alloc: log2 of the alignment
  uint64_t align() const { return uint64_t{1} << align_shift; }
};
static_assert(sizeof(ReplayEvent) == 8);

// Whether an event of this op ends an object (free, and realloc's old object) and whether it
// begins one (all but free): the events that have an entry in end_sizes and begin_sizes.
inline bool EndsObject(trace::Op op) { return op == trace::Op::kFree || op == trace::Op::kRealloc; }
inline bool BeginsObject(trace::Op op) { return op != trace::Op::kFree; }

class PreparedTrace {
 public:
  const TraceSummary& summary() const { return summary_; }
  double decode_seconds() const { return decode_seconds_; }
  std::span<const ReplayEvent> events() const { return events_; }
  // The recorded thread of each event.
  std::span<const uint32_t> tids() const { return tids_; }
  // The slot of each realloc's new object, in event order.
  std::span<const uint32_t> realloc_slots() const { return realloc_slots_; }
  // The requested bytes of each object that begins (malloc, calloc, aligned_alloc, and
  // realloc's new object), in event order.
  std::span<const uint64_t> begin_sizes() const { return begin_sizes_; }
  // The requested bytes of each object that ends (free, and realloc's old object), in event
  // order.
  std::span<const uint64_t> end_sizes() const { return end_sizes_; }
  uint64_t slots() const { return slots_; }  // the pointer table's size
  // Compact index of the (first) event at which live bytes reach their peak.
  uint64_t peak_live_index() const { return peak_live_index_; }
  // The trace's own index of compact event `compact`.
  uint64_t OriginalIndex(uint64_t compact) const;
  // The event's `t`, or trace::kNoTime.
  uint64_t TimeOf(uint64_t compact) const {
    return times_.empty() ? trace::kNoTime : times_[compact];
  }

  // For the replay child: the whole decoded trace to a file descriptor, and back.
  void WriteTo(int fd) const;
  static std::shared_ptr<const PreparedTrace> ReadFrom(int fd);

 private:
  friend class TraceBuilder;
  TraceSummary summary_;
  double decode_seconds_ = 0;
  HugeVector<ReplayEvent> events_;
  // Every array mapped (huge_page_allocator.h), out of the heap of the allocator under test.
  PageVector<uint32_t> tids_;           // per compact event (whole pages: see PageAllocator)
  HugeVector<uint32_t> realloc_slots_;  // per realloc
  HugeVector<uint64_t> begin_sizes_;    // per object
  HugeVector<uint64_t> end_sizes_;      // per object that ends
  HugeVector<uint64_t> times_;          // per compact event when the trace carries `t`
  HugeVector<uint64_t> skipped_;        // original indices of the inconsistent events, ascending
  uint64_t slots_ = 0;
  uint64_t peak_live_index_ = 0;
};

// Builds a PreparedTrace from a trace's events as trace::ConsistentEvents applied them (which
// warns about the inconsistent ones, or with --strict throws): the inconsistent events are
// counted in the summary and left out of the arrays.
class TraceBuilder {
 public:
  TraceBuilder(std::string path, std::string encoding);
  // The next event of the trace, and what applying it did.
  void Add(const trace::Event& e, const trace::LiveObjects::Applied& a);
  uint64_t events_read() const { return trace_->summary_.events; }
  // `live`: the ConsistentEvents that applied every event, after the last.
  std::shared_ptr<const PreparedTrace> Finish(const trace::LiveObjects& live,
                                              double decode_seconds);

 private:
  // Replaces the objects' serial numbers in the events and realloc_slots by their slots.
  void AssignSlots();

  std::shared_ptr<PreparedTrace> trace_;
  // Per object (by serial, the number LiveObjects gives it): whether a recorded thread other
  // than the one that began it ended it.
  std::vector<bool> ended_elsewhere_;
  bool any_tid_ = false;
  uint32_t last_tid_ = 0;
  std::unordered_set<uint32_t> seen_tids_;
};

// A trace given as events in memory (tests, benchmarks); `name` stands for the path.
std::shared_ptr<const PreparedTrace> PrepareEvents(const std::string& name,
                                                   std::span<const trace::Event> events,
                                                   const DecodeOptions& options = {});

}  // namespace goalloc::replay
