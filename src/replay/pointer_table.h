// The id → pointer table of a replay: a flat array indexed by slot (ids were renumbered
// densely when decoding, see prepared_trace.h), each entry the object's pointer and its
// requested size, so that a free finds both in one cache line. Each slot is allocated once
// and ended at most once, so it is also the per-object publication point of the parallel
// engine: the allocating thread stores the pointer with release order, a thread that frees
// or reallocs the object on another thread waits until the slot is set (acquire), and for
// nothing else. Sizes are written before the replay starts and only read during it.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

#include "src/replay/huge_page_allocator.h"

namespace goalloc::replay {

// The CPU's spin-wait hint.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class PointerTable {
 public:
  // Published in place of an allocation that failed, so dependent events are skipped
  // instead of waiting forever.
  static inline void* const kFailed = reinterpret_cast<void*>(uintptr_t{1});

  // One entry per slot, with the objects' requested sizes; written now, so the table's
  // pages are resident before the baseline is taken.
  explicit PointerTable(std::span<const uint64_t> sizes);

  uint64_t size() const { return slots_.size(); }
  // The requested bytes of the object in `slot`.
  uint64_t Size(uint32_t slot) const { return slots_[slot].size; }
  void Publish(uint32_t slot, void* p) { slots_[slot].p.store(p, std::memory_order_release); }
  void Clear(uint32_t slot) { slots_[slot].p.store(nullptr, std::memory_order_relaxed); }
  // The object's pointer; it must already be published (sim mode, or the same thread).
  void* Get(uint32_t slot) const { return slots_[slot].p.load(std::memory_order_acquire); }
  // Waits until another thread has published the object (parallel mode).
  void* Await(uint32_t slot) const {
    void* p = slots_[slot].p.load(std::memory_order_acquire);
    return p != nullptr ? p : AwaitSlow(slot);
  }

  // Calls f(pointer) for every object still live (after the replay).
  template <class F>
  void ForEachLive(F&& f) const {
    for (uint64_t i = 0; i < slots_.size(); ++i) {
      void* p = slots_[i].p.load(std::memory_order_relaxed);
      if (p != nullptr && p != kFailed) f(p);
    }
  }

  // Entries per cache line; the table starts on a line, so blocks of whole lines of slots
  // (how decoding hands out slots per thread) never share a line between threads.
  static constexpr uint64_t kSlotsPerLine = 4;

 private:
  struct Entry {
    std::atomic<void*> p{nullptr};
    uint64_t size = 0;
  };
  static_assert(sizeof(Entry) * kSlotsPerLine == 64);
  void* AwaitSlow(uint32_t slot) const;

  HugeVector<Entry> slots_;  // cache-line aligned
};

}  // namespace goalloc::replay
