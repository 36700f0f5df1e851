// The id → pointer table of a replay: a flat array of object pointers indexed by slot (ids
// were renumbered densely when decoding, see TraceBuilder::AssignSlots; the objects' sizes
// are streams beside the events, PreparedTrace::begin_sizes and end_sizes). An entry is also
// the per-object publication point of the parallel engine: the allocating thread stores the
// pointer with release order; a thread that frees or reallocs the object on another thread
// waits until it is set (acquire), and for nothing else. A slot serves several objects in
// turn only when one replay thread runs every event on it.
#pragma once

#include <atomic>
#include <cstdint>

#include "src/replay/huge_page_allocator.h"

namespace goalloc::replay {

// The CPU's spin-wait hint.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class PointerTable {
  using Entry = std::atomic<void*>;

 public:
  // Published in place of an allocation that failed, so dependent events are skipped
  // instead of waiting forever.
  static inline void* const kFailed = reinterpret_cast<void*>(uintptr_t{1});

  // `slots` entries, all empty; written now, so the table's pages are resident before the
  // baseline is taken.
  explicit PointerTable(uint64_t slots);

  // The entries by value: a replay loop keeps this in a register, where a reference to the
  // table would make it reload the table's base address after every store.
  class Entries {
   public:
    // The object in `slot` is at p (or failed: kFailed).
    void Publish(uint32_t slot, void* p) const { base_[slot].store(p, std::memory_order_release); }
    void Clear(uint32_t slot) const { base_[slot].store(nullptr, std::memory_order_relaxed); }
    // The object's pointer in sim mode, where one thread does everything (relaxed: an
    // acquire load would keep the compiler from reusing values it read before it).
    void* Get(uint32_t slot) const { return base_[slot].load(std::memory_order_relaxed); }
    // Waits until another thread has published the object (parallel mode).
    void* Await(uint32_t slot) const {
      void* p = base_[slot].load(std::memory_order_acquire);
      return p != nullptr ? p : AwaitSlow(base_[slot]);
    }

   private:
    friend class PointerTable;
    explicit Entries(Entry* base) : base_(base) {}
    Entry* base_;
  };
  Entries entries() { return Entries(slots_.data()); }

  // Calls f(pointer) for every object still live (after the replay).
  template <class F>
  void ForEachLive(F&& f) const {
    for (uint64_t i = 0; i < slots_.size(); ++i) {
      void* p = slots_[i].load(std::memory_order_relaxed);
      if (p != nullptr && p != kFailed) f(p);
    }
  }

  // Decoding hands out slots to each recorded thread in blocks of one 4 KiB page of the
  // table (which starts on a page). Then no two replay threads write the same cache line,
  // and no hardware prefetcher, which stays within a page, fetches lines of another
  // thread's block while following a thread's stream of new slots (with smaller blocks, the
  // table's lines bounced between the cores; figures: docs/performance.md, "measurement
  // notes moved from code comments").
  static constexpr uint64_t kSlotsPerBlock = 4096 / sizeof(Entry);

 private:
  static void* AwaitSlow(const std::atomic<void*>& slot);

  HugeVector<Entry> slots_;  // page aligned
};

}  // namespace goalloc::replay
