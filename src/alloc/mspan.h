// Go's mspan: a run of pages holding objects of one span class (or one large object), with
// the allocation bitmap, the 64-bit allocCache window that the fast path scans with
// count-trailing-zeros, freeindex, allocCount, and a gcmarkBits-style second bitmap kept
// (all clear: this heap frees explicitly) so that a later GC mode can sweep.
//
// Explicit free from any P (the part Go does not have, since Go sweeps):
//  - The P whose mcache holds the span (`owner`) frees by clearing allocBits directly, no
//    atomics: only the owner touches allocBits, allocCache and freeindex of a cached span.
//  - Any other P posts the free without a lock when `remote` allows it (TryPostFree): it
//    counts the free in `remote` (a CAS) and then sets the slot's bit in `free_bits`
//    (fetch_or). `remote` is open to posts while an mcache holds the span (the owner folds
//    the bits into allocBits when it next runs out of cached slots, FoldRemoteFrees, the
//    way sweep folds gcmarkBits) and while the span sits in an mcentral list, unless the
//    free is the first into a full span (the span must move to the partial list) or the
//    last live object's (the span goes back to the heap): those two take the span class's
//    mcentral lock, as does every free while `remote` is closed. Bits posted to a listed
//    span are folded under the mcentral lock when a P takes the span or a transition needs
//    its allocBits.
//    Whoever closes `remote` (under the mcentral lock, to change the span's owner or list)
//    gets the count of frees posted and waits until that many bits have arrived before it
//    folds them (DrainRemoteFrees): a poster between its count and its bit is two
//    instructions from done, so the wait is short, and no bit lands on a span after it
//    changed hands or went back to the heap. Ownership and lists only change with
//    `remote` closed, so no free is lost or applied twice.
// Invariants: every slot below freeindex is allocated, so freeing below it moves freeindex
// down (lowest-address-first reuse); allocCache == ~allocBits[freeindex/64] >>
// (freeindex%64); bits past nelems in the last allocBits word are permanently set, so the
// fast path needs no bound check.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "src/alloc/sizeclasses.h"

namespace goalloc::alloc {

class MCache;

// MSpan::remote, one word so that a post's admission and count are one CAS:
//   bits 0..15: frees posted (counted before their bit is set in free_bits) and not folded
//   bits 16..31: kListed only: live slots, alloc_count minus the posted frees
//   bits 32..33: who may post: kClosed (nobody: frees take the mcentral lock), kCached
//   (every P but the owner), kListed (every P, unless the free empties the span or is the
//   first into a full one)
struct RemoteState {
  static constexpr uint64_t kClosed = 0, kCached = uint64_t{1} << 32, kListed = uint64_t{2} << 32;
  static constexpr uint64_t kModeMask = uint64_t{3} << 32, kLiveOne = uint64_t{1} << 16;
  static uint32_t Posted(uint64_t r) { return uint32_t(r & 0xffff); }
  static uint32_t Live(uint64_t r) { return uint32_t(r >> 16) & 0xffff; }
  static uint64_t Mode(uint64_t r) { return r & kModeMask; }
  static uint64_t Listed(uint32_t live) { return kListed | uint64_t(live) << 16; }
};

// kUnswept: GC mode, holding objects the last mark did not reach; in no mcentral list until
// swept (Go: sweepgen == mheap.sweepgen − 2).
enum class SpanList : uint8_t { kNone, kCached, kPartial, kFull, kUnswept };

// On its own cache lines: spans of different Ps sit side by side in the span allocator, and
// their fast-path fields are written on every malloc and free.
struct alignas(64) MSpan {
  static constexpr uint32_t kMaxWords = kMaxObjsPerSpan / 64;

  // Fast-path fields first.
  uint64_t alloc_cache;  // 1 = free; bit 0 is slot freeindex
  uintptr_t base;
  uint32_t freeindex;
  uint32_t alloc_count;  // allocated slots (pending remote frees still counted)
  uint32_t nelems;
  uint32_t div_mul;
  uintptr_t elemsize;  // large spans: npages * kPageSize
  uintptr_t npages;
  SpanClass spanclass;
  bool in_use;                 // false: the struct is free in the span allocator
  SpanList list;               // small spans: where the span is
  std::atomic<MCache*> owner;  // the mcache holding it, or null
  MSpan* next;                 // mcentral list links
  MSpan* prev;
  std::atomic<int8_t>* tiny_counts;  // tiny span class only: live sub-objects per block
  uint32_t gc_unit;                  // GC mode, during mark termination only: the span's sweep unit
  uint64_t alloc_bits[kMaxWords];
  uint64_t gcmark_bits[kMaxWords];
  // RemoteState: posts allowed, posted count, listed live slots. Next to free_bits, which a
  // poster writes too, and away from the lines the owner writes on every malloc (the fast
  // path's fields, allocBits' first words): a poster's CAS steals no line from the owner.
  std::atomic<uint64_t> remote;
  std::atomic<uint64_t> free_bits[kMaxWords];

  // info: the geometry of span class sc in the heap's table (unused for large spans).
  void Init(uintptr_t base, uintptr_t npages, SpanClass sc, const SpanClassInfo& info);

  uint32_t nwords() const { return (nelems + 63) / 64; }
  uintptr_t limit() const { return base + npages * kPageSize; }
  bool is_large() const { return SizeClassOf(spanclass) == 0; }
  uint32_t ObjIndex(uintptr_t p) const { return uint32_t((uint64_t(p - base) * div_mul) >> 32); }
  uintptr_t SlotAddr(uint32_t idx) const { return base + uintptr_t(idx) * elemsize; }
  bool IsAllocated(uint32_t idx) const { return (alloc_bits[idx / 64] >> (idx % 64)) & 1; }

  // Go's nextFreeFast: a slot from the allocCache window, or false (take the slow path).
  bool NextFreeFast(uint32_t* idx) {
    uint64_t cache = alloc_cache;
    if (cache == 0) return false;
    uint32_t bit = uint32_t(__builtin_ctzll(cache));
    uint32_t result = freeindex + bit;
    uint32_t next = result + 1;
    if ((next & 63) == 0) return false;  // the window is used up: reload in the slow path
    alloc_cache = cache >> (bit + 1);
    freeindex = next;
    alloc_bits[result / 64] |= uint64_t{1} << (result % 64);
    alloc_count++;
    *idx = result;
    return true;
  }
  // The lowest free slot >= freeindex, or nelems (Go's nextFreeIndex scan).
  uint32_t NextFreeIndex() const;
  void TakeSlot(uint32_t idx);
  // Frees slot idx in allocBits, keeping freeindex and allocCache consistent. Only the
  // owner, or the mcentral under its lock when no mcache holds the span.
  void ClearSlot(uint32_t idx) {
    uint64_t bit = uint64_t{1} << (idx % 64);
    uint64_t word = alloc_bits[idx / 64] & ~bit;
    alloc_bits[idx / 64] = word;
    alloc_count--;
    if (idx < freeindex) {  // reuse lowest first: the window restarts at idx
      freeindex = idx;
      alloc_cache = ~word >> (idx % 64);
    } else if (idx / 64 == freeindex / 64) {
      alloc_cache |= uint64_t{1} << (idx - freeindex);
    }
  }
  void RefillAllocCache() {
    uint32_t w = freeindex / 64;
    alloc_cache = w < nwords() ? ~alloc_bits[w] >> (freeindex % 64) : 0;
  }
  // The remote-free words' updates take `alone`: one thread makes every call into the heap,
  // so they need no locked instruction (shared_word.h).
  // A free of slot idx by a P that does not own the span, posted without a lock if
  // `remote` admits it; false: take the mcentral lock (MCentral::FreeRemote).
  bool TryPostFree(uint32_t idx, bool alone);
  // Owner: folds the bits posted so far into allocBits; returns how many.
  uint32_t FoldRemoteFrees(bool alone);
  // Under the mcentral lock: closes `remote` to posts and folds every free posted, waiting
  // for the bits of posters still between their count and their bit.
  void DrainRemoteFrees(bool alone);
  // Folds the bits in free_bits into allocBits, leaving `remote` alone; returns how many.
  uint32_t FoldPostedBits(bool alone);
  // Bits posted in free_bits (exact only when no other thread is inside the heap).
  uint32_t PendingFrees() const;
  // Allocated slots as callers see them: alloc_count minus pending remote frees.
  uint32_t LiveSlots() const { return alloc_count - PendingFrees(); }

  // MHeap::Verify's checks of this in-use span, "" or what is wrong: its bitmaps against
  // allocCount and the posted remote frees; its `remote` word (VerifyRemote); a large span's
  // state; a small span's geometry against its class's (info), freeindex, allocCache, owner
  // (among caches) and list state; and its tiny blocks, whose live blocks and sub-objects it
  // adds to the two tallies.
  std::string Verify(const SpanClassInfo& info, const std::vector<MCache*>& caches,
                     uint64_t* tiny_blocks, uint64_t* tiny_live) const;
  // The lock-free remote free's word against the span, given the pending bits in free_bits:
  // open to posts exactly while the span is cached or listed, the posted count equal to the
  // bits (no poster is between the two when no other thread is in the heap), and a listed
  // span's live count equal to its allocated slots less those posted.
  std::string VerifyRemote(uint32_t pending) const;
  std::string VerifyTinyBlocks(const std::vector<MCache*>& caches, uint64_t* tiny_blocks,
                               uint64_t* tiny_live) const;
};

}  // namespace goalloc::alloc
