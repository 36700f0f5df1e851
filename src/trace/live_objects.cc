// See live_objects.h. Every event either changes the live set exactly as the spec says or,
// when inconsistent, changes nothing at all and is counted.
#include "src/trace/live_objects.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include <vector>

namespace goalloc::trace {

void LiveObjects::Inconsistent(Inconsistency kind, uint64_t event_index, Applied* a) {
  a->consistent = false;
  a->kind = kind;
  switch (kind) {
    case Inconsistency::kFreeUnknown:
      ++inconsistent_.free_unknown;
      break;
    case Inconsistency::kReallocUnknown:
      ++inconsistent_.realloc_unknown;
      break;
    case Inconsistency::kMallocLiveId:
      ++inconsistent_.malloc_live_id;
      break;
  }
  if (inconsistent_.first_indices.size() < InconsistencyCounts::kMaxFirstIndices) {
    inconsistent_.first_indices.push_back(event_index);
  }
}

LiveObjects::Applied LiveObjects::Apply(const Event& e, uint64_t event_index) {
  Applied a;
  switch (e.op) {
    case Op::kMalloc:
    case Op::kCalloc:
    case Op::kAlignedAlloc: {
      LiveObject* o = table_.Insert(e.id);
      if (o == nullptr) {
        Inconsistent(Inconsistency::kMallocLiveId, event_index, &a);
        return a;
      }
      *o = LiveObject{next_serial_++, e.size, e.tid};
      a.begun_valid = true;
      a.begun = *o;
      live_bytes_ += e.size;
      ++live_objects_;
      break;
    }
    case Op::kFree: {
      LiveObject old;
      if (!table_.Erase(e.id, &old)) {
        Inconsistent(Inconsistency::kFreeUnknown, event_index, &a);
        return a;
      }
      a.ended_valid = true;
      a.ended = old;
      live_bytes_ -= old.size;
      --live_objects_;
      break;
    }
    case Op::kRealloc: {
      LiveObject* o = table_.Find(e.id);
      if (o == nullptr) {
        Inconsistent(Inconsistency::kReallocUnknown, event_index, &a);
        return a;
      }
      if (e.new_id != e.id && table_.Find(e.new_id) != nullptr) {
        Inconsistent(Inconsistency::kMallocLiveId, event_index, &a);
        return a;
      }
      a.ended_valid = true;
      a.ended = *o;
      if (e.new_id == e.id) {
        *o = LiveObject{next_serial_++, e.size, e.tid};
      } else {
        LiveObject old;
        table_.Erase(e.id, &old);
        *table_.Insert(e.new_id) = LiveObject{next_serial_++, e.size, e.tid};
      }
      a.begun_valid = true;
      a.begun = {next_serial_ - 1, e.size, e.tid};
      live_bytes_ += e.size - a.ended.size;
      break;
    }
  }
  if (live_bytes_ > peak_bytes_) {
    a.new_peak = true;
    peak_bytes_ = live_bytes_;
    peak_objects_ = live_objects_;
    peak_event_ = event_index;
  }
  return a;
}

std::string DescribeInconsistency(Inconsistency kind, const Event& e) {
  switch (kind) {
    case Inconsistency::kFreeUnknown:
      return fmt::format("free of id {}, which is not live", e.id);
    case Inconsistency::kReallocUnknown:
      return fmt::format("realloc of id {}, which is not live", e.id);
    case Inconsistency::kMallocLiveId:
      if (e.op == Op::kRealloc) {
        return fmt::format("realloc to new_id {}, which is already live", e.new_id);
      }
      return fmt::format("{} of id {}, which is already live", OpName(e.op), e.id);
  }
  return "?";
}

std::string SummarizeInconsistencies(const InconsistencyCounts& counts,
                                     std::string (*count)(uint64_t)) {
  std::string out = count(counts.total()) + " skipped";
  if (counts.total() == 0) return out;
  std::vector<std::string> first;
  for (uint64_t i : counts.first_indices) first.push_back(count(i));
  return out + fmt::format(
                   ": free_unknown {}, realloc_unknown {}, malloc_live_id {}; first at "
                   "events {}",
                   count(counts.free_unknown), count(counts.realloc_unknown),
                   count(counts.malloc_live_id), fmt::join(first, ", "));
}

}  // namespace goalloc::trace
