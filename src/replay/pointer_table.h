// The id → pointer table of a replay: a flat array indexed by slot (ids were renumbered
// densely when decoding, see prepared_trace.h). Each slot is allocated once and ended at most
// once, so it is also the per-object publication point of the parallel engine: the
// allocating thread stores the pointer with release order, a thread that frees or reallocs
// the object on another thread waits until the slot is set (acquire), and for nothing else.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

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

  // Every slot zeroed now, so the table's pages are resident before the baseline is taken.
  explicit PointerTable(uint64_t objects)
      : size_(objects), slots_(new std::atomic<void*>[objects]()) {}

  uint64_t size() const { return size_; }
  void Publish(uint32_t slot, void* p) { slots_[slot].store(p, std::memory_order_release); }
  void Clear(uint32_t slot) { slots_[slot].store(nullptr, std::memory_order_relaxed); }
  // The object's pointer; it must already be published (sim mode, or the same thread).
  void* Get(uint32_t slot) const { return slots_[slot].load(std::memory_order_acquire); }
  // Waits until another thread has published the object (parallel mode).
  void* Await(uint32_t slot) const {
    void* p = slots_[slot].load(std::memory_order_acquire);
    return p != nullptr ? p : AwaitSlow(slot);
  }

  // Calls f(pointer) for every object still live (after the replay).
  template <class F>
  void ForEachLive(F&& f) const {
    for (uint64_t i = 0; i < size_; ++i) {
      void* p = slots_[i].load(std::memory_order_relaxed);
      if (p != nullptr && p != kFailed) f(p);
    }
  }

 private:
  void* AwaitSlow(uint32_t slot) const;

  uint64_t size_;
  std::unique_ptr<std::atomic<void*>[]> slots_;
};

}  // namespace goalloc::replay
