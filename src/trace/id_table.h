// The id → object map under LiveObjects: open addressing with linear probing and
// backward-shift deletion (no tombstones, so long traces with heavy id reuse, like raw
// addresses, do not degrade it). Sized by the live objects, never by the trace length.
#pragma once

#include <cstdint>
#include <vector>

namespace goalloc::trace {

struct LiveObject {
  uint64_t serial = 0;
  uint64_t size = 0;
  uint32_t tid = 0;
};

class IdTable {
 public:
  IdTable() : slots_(kInitialSlots), mask_(kInitialSlots - 1), shift_(64 - kInitialBits) {}

  // The object live under `id`, or nullptr. Valid until the next Insert or Erase.
  LiveObject* Find(uint64_t id) {
    for (size_t i = Home(id);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.id == id) return &s.object;
    }
  }

  // Adds `id` unless present; returns the new object's storage, or nullptr if `id` was present.
  LiveObject* Insert(uint64_t id) {
    if ((count_ + 1) * 10 > slots_.size() * 7) Grow();
    for (size_t i = Home(id);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used) {
        s.used = true;
        s.id = id;
        ++count_;
        return &s.object;
      }
      if (s.id == id) return nullptr;
    }
  }

  // Removes `id`, copying its object to *out; false if it was not present.
  bool Erase(uint64_t id, LiveObject* out) {
    size_t i = Home(id);
    for (;; i = (i + 1) & mask_) {
      if (!slots_[i].used) return false;
      if (slots_[i].id == id) break;
    }
    *out = slots_[i].object;
    // Shift later members of the cluster back into the hole unless that would move them
    // before their home slot.
    for (size_t j = (i + 1) & mask_; slots_[j].used; j = (j + 1) & mask_) {
      size_t home = Home(slots_[j].id);
      if (((j - home) & mask_) >= ((j - i) & mask_)) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i].used = false;
    --count_;
    return true;
  }

  size_t size() const { return count_; }

 private:
  static constexpr int kInitialBits = 10;
  static constexpr size_t kInitialSlots = size_t{1} << kInitialBits;
  struct Slot {
    uint64_t id = 0;
    LiveObject object;
    bool used = false;
  };

  size_t Home(uint64_t id) const { return (id * 0x9e3779b97f4a7c15ull) >> shift_; }

  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    --shift_;
    for (const Slot& s : old) {
      if (!s.used) continue;
      size_t i = Home(s.id);
      while (slots_[i].used) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_;
  int shift_;
  size_t count_ = 0;
};

}  // namespace goalloc::trace
