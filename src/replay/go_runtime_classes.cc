// Go 1.19's size-class rules (see go_runtime_classes.h).
#include "src/replay/go_runtime_classes.h"

#include <set>
#include <utility>

#include "src/alloc/size_class_table.h"

namespace goalloc::replay {
namespace {

constexpr uint64_t kGo119MaxSmallSize = alloc::kMaxSmallSize;  // 32768: no header subtracted

// Calls f(size, scan) for every object live after the last event.
template <class F>
void ForEachLiveAtEnd(const PreparedTrace& trace, F f) {
  struct Live {
    uint64_t size = 0;
    bool scan = false;
    bool live = false;
  };
  std::vector<Live> slots(trace.slots());
  size_t begin = 0, realloc = 0;
  for (const ReplayEvent& e : trace.events()) {
    if (EndsObject(e.op)) slots[e.slot].live = false;
    if (!BeginsObject(e.op)) continue;
    const uint32_t slot = e.op == trace::Op::kRealloc ? trace.realloc_slots()[realloc++] : e.slot;
    slots[slot] = {trace.begin_sizes()[begin++], e.scan, true};
  }
  for (const Live& l : slots) {
    if (l.live) f(l.size, l.scan);
  }
}

}  // namespace

Go119Object ClassifyGo119(uint64_t size, bool scan) {
  if (size == 0) return {};
  if (!scan && size < alloc::kTinySize) return {Go119Object::kTiny, alloc::kTinySizeClass, 0};
  if (size > kGo119MaxSmallSize) {
    const uint64_t pages = (size + alloc::kPageSize - 1) >> alloc::kPageShift;
    return {Go119Object::kLarge, 0, pages << alloc::kPageShift};
  }
  // Scan objects are []*byte of (size+7)/8 words; every class size is a multiple of 8, so
  // the class is that of `size` itself.
  const int c = alloc::SizeClassTable::Go().SizeToClass(size);
  return {Go119Object::kSmall, c, alloc::kClassToSize[size_t(c)]};
}

std::vector<UsedSpanClass> UsedSpanClasses(const PreparedTrace& trace) {
  std::set<std::pair<int, bool>> used;  // (size class, scan)
  size_t begin = 0;
  for (const ReplayEvent& e : trace.events()) {
    if (!BeginsObject(e.op)) continue;
    const Go119Object o = ClassifyGo119(trace.begin_sizes()[begin++], e.scan);
    if (o.kind == Go119Object::kSmall || o.kind == Go119Object::kTiny) {
      used.emplace(o.size_class, o.kind == Go119Object::kSmall && e.scan);
    }
  }
  std::vector<UsedSpanClass> out;
  for (const auto& [size_class, scan] : used) {
    out.push_back({alloc::kClassToSize[size_t(size_class)], scan});
  }
  return out;
}

uint64_t PredictedLiveHeapAlloc(const PreparedTrace& trace, uint64_t live_tiny_blocks) {
  uint64_t bytes = live_tiny_blocks * alloc::kTinySize;
  ForEachLiveAtEnd(trace,
                   [&](uint64_t size, bool scan) { bytes += ClassifyGo119(size, scan).bytes; });
  return bytes;
}

}  // namespace goalloc::replay
