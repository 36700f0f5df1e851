// mspan bitmaps: initialisation, the nextFreeIndex scan, frees and the fold of remote frees.
#include "src/alloc/mspan.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "src/alloc/mcache.h"
#include "src/alloc/shared_word.h"

namespace goalloc::alloc {

void MSpan::Init(uintptr_t b, uintptr_t np, SpanClass sc, const SpanClassInfo& info) {
  base = b;
  npages = np;
  spanclass = sc;
  if (SizeClassOf(sc) == 0) {
    nelems = 1;
    elemsize = np * kPageSize;
    div_mul = 0;  // every address in the span is slot 0
  } else {
    nelems = info.nelems;
    elemsize = info.elemsize;
    div_mul = info.div_mul;
  }
  freeindex = 0;
  alloc_count = 0;
  gc_unit = 0;
  uint32_t nw = nwords();
  std::memset(alloc_bits, 0, nw * sizeof(uint64_t));
  std::memset(gcmark_bits, 0, nw * sizeof(uint64_t));
  for (uint32_t w = 0; w < nw; w++) free_bits[w].store(0, std::memory_order_relaxed);
  if (nelems % 64 != 0) alloc_bits[nw - 1] = ~uint64_t{0} << (nelems % 64);
  alloc_cache = ~alloc_bits[0];
  in_use = true;
  list = SpanList::kNone;
  owner.store(nullptr, std::memory_order_relaxed);
  remote.store(RemoteState::kClosed, std::memory_order_relaxed);
  next = prev = nullptr;
  tiny_counts = nullptr;
}

uint32_t MSpan::NextFreeIndex() const {
  uint32_t nw = nwords();
  for (uint32_t w = freeindex / 64; w < nw; w++) {
    uint64_t free = ~alloc_bits[w];
    if (w == freeindex / 64) free &= ~uint64_t{0} << (freeindex % 64);
    if (free != 0) return w * 64 + uint32_t(__builtin_ctzll(free));
  }
  return nelems;
}

void MSpan::TakeSlot(uint32_t idx) {
  alloc_bits[idx / 64] |= uint64_t{1} << (idx % 64);
  alloc_count++;
  freeindex = idx + 1;
  RefillAllocCache();
}

bool MSpan::TryPostFree(uint32_t idx, bool alone) {
  uint64_t r = remote.load(std::memory_order_relaxed);
  uint64_t next;
  do {
    if (RemoteState::Mode(r) == RemoteState::kCached) {
      next = r + 1;
    } else if (RemoteState::Mode(r) == RemoteState::kListed) {
      uint32_t live = RemoteState::Live(r);
      if (live == nelems || live == 1) return false;  // a list move or a span free: locked
      next = r + 1 - RemoteState::kLiveOne;
    } else {
      return false;
    }
  } while (!CompareExchange(remote, r, next, alone, std::memory_order_acquire,
                            std::memory_order_relaxed));
  FetchOr(free_bits[idx / 64], uint64_t{1} << (idx % 64), alone, std::memory_order_release);
  return true;
}

uint32_t MSpan::FoldRemoteFrees(bool alone) {
  if (RemoteState::Posted(remote.load(std::memory_order_acquire)) == 0) return 0;
  uint32_t folded = FoldPostedBits(alone);
  // posted >= folded: counts come first
  FetchAdd(remote, -uint64_t{folded}, alone, std::memory_order_relaxed);
  return folded;
}

void MSpan::DrainRemoteFrees(bool alone) {
  uint32_t posted =
      RemoteState::Posted(Exchange(remote, RemoteState::kClosed, alone, std::memory_order_seq_cst));
  for (uint32_t folded = FoldPostedBits(alone); folded < posted; folded += FoldPostedBits(alone)) {
    std::this_thread::yield();  // a poster between its count and its bit
  }
}

uint32_t MSpan::FoldPostedBits(bool alone) {
  uint32_t folded = 0;
  uint32_t lowest = nelems;
  uint32_t nw = nwords();
  for (uint32_t w = 0; w < nw; w++) {
    uint64_t bits = Exchange(free_bits[w], uint64_t{0}, alone, std::memory_order_acquire);
    if (bits == 0) continue;
    alloc_bits[w] &= ~bits;
    folded += uint32_t(__builtin_popcountll(bits));
    lowest = std::min(lowest, w * 64 + uint32_t(__builtin_ctzll(bits)));
  }
  if (folded == 0) return 0;
  alloc_count -= folded;
  if (lowest < freeindex) freeindex = lowest;
  RefillAllocCache();
  return folded;
}

uint32_t MSpan::PendingFrees() const {
  uint32_t n = 0;
  for (uint32_t w = 0; w < nwords(); w++) {
    n += uint32_t(__builtin_popcountll(free_bits[w].load(std::memory_order_relaxed)));
  }
  return n;
}

std::string MSpan::Verify(const SpanClassInfo& info, const std::vector<MCache*>& caches,
                          uint64_t* tiny_blocks, uint64_t* tiny_live) const {
  std::string err;
  uint32_t nw = nwords();
  uint32_t count = 0, pending = 0;
  for (uint32_t w = 0; w < nw; w++) {
    uint64_t bits = alloc_bits[w];
    uint64_t valid = w == nw - 1 && nelems % 64 ? ~(~uint64_t{0} << (nelems % 64)) : ~uint64_t{0};
    if ((bits | valid) != ~uint64_t{0}) err = fmt::format("span {:#x}: padding", base);
    count += uint32_t(__builtin_popcountll(bits & valid));
    uint64_t fb = free_bits[w].load(std::memory_order_relaxed);
    if ((fb & ~(bits & valid)) != 0) {
      err = fmt::format("span {:#x}: a slot is both free and posted free", base);
    }
    if ((gcmark_bits[w] & ~bits) != 0) err = fmt::format("span {:#x}: mark", base);
    pending += uint32_t(__builtin_popcountll(fb));
  }
  if (!err.empty()) return err;
  if (count != alloc_count) {
    return fmt::format("span {:#x}: allocCount {} but {} bits set", base, alloc_count, count);
  }
  err = VerifyRemote(pending);
  if (!err.empty()) return err;
  if (is_large()) {
    if (alloc_count != 1 || list != SpanList::kNone || owner.load() != nullptr) {
      return fmt::format("large span {:#x}: bad state", base);
    }
    return "";
  }
  if (nelems != info.nelems || elemsize != info.elemsize || npages != info.npages) {
    return fmt::format("span {:#x}: geometry does not match its class", base);
  }
  for (uint32_t i = 0; i < freeindex && i < nelems; i++) {
    if (!IsAllocated(i)) {
      return fmt::format("span {:#x}: free slot {} below freeindex {}", base, i, freeindex);
    }
  }
  const MCache* cached_by = owner.load(std::memory_order_relaxed);
  if ((cached_by != nullptr) != (list == SpanList::kCached)) {
    return fmt::format("span {:#x}: owner and list state disagree", base);
  }
  if (cached_by != nullptr) {
    uint64_t want = freeindex / 64 < nw ? ~alloc_bits[freeindex / 64] >> (freeindex % 64) : 0;
    if (cached_by->alloc[spanclass] != this || alloc_cache != want) {
      return fmt::format("span {:#x}: cached span not in its mcache or stale allocCache", base);
    }
  } else if (list == SpanList::kUnswept) {
    if (pending != 0 || alloc_count == 0) {
      return fmt::format("span {:#x}: unswept with pending frees, or empty", base);
    }
  } else {
    // Full: no slot free or posted free (the first free into a full span moves it).
    bool full = alloc_count - pending == nelems;
    if (alloc_count == pending || list != (full ? SpanList::kFull : SpanList::kPartial)) {
      return fmt::format("span {:#x}: in mcentral empty or on the wrong list", base);
    }
  }
  return VerifyTinyBlocks(caches, tiny_blocks, tiny_live);
}

std::string MSpan::VerifyRemote(uint32_t pending) const {
  uint64_t r = remote.load(std::memory_order_relaxed);
  uint64_t want = list == SpanList::kCached                               ? RemoteState::kCached
                  : list == SpanList::kPartial || list == SpanList::kFull ? RemoteState::kListed
                                                                          : RemoteState::kClosed;
  if (RemoteState::Mode(r) != want) {
    return fmt::format("span {:#x}: remote-free state {:#x} does not match its list", base, r);
  }
  if (RemoteState::Posted(r) != pending) {
    return fmt::format("span {:#x}: {} remote frees counted, {} posted", base,
                       RemoteState::Posted(r), pending);
  }
  if (want == RemoteState::kListed && RemoteState::Live(r) != alloc_count - pending) {
    return fmt::format("span {:#x}: listed with {} live slots counted, {} allocated", base,
                       RemoteState::Live(r), alloc_count - pending);
  }
  if (want != RemoteState::kListed && RemoteState::Live(r) != 0) {
    return fmt::format("span {:#x}: a live count outside the mcentral lists", base);
  }
  return "";
}

std::string MSpan::VerifyTinyBlocks(const std::vector<MCache*>& caches, uint64_t* tiny_blocks,
                                    uint64_t* tiny_live) const {
  if (tiny_counts == nullptr) return "";
  for (uint32_t i = 0; i < nelems; i++) {
    int v = tiny_counts[i].load(std::memory_order_relaxed);
    if (v == 0) continue;
    bool posted = (free_bits[i / 64].load(std::memory_order_relaxed) >> (i % 64)) & 1;
    if (!IsAllocated(i) || posted) {
      return fmt::format("span {:#x}: tiny block {} has live objects but a free slot", base, i);
    }
    (*tiny_blocks)++;
    if (v > kTinyCurrent / 2) {  // a P's current block
      bool found = false;
      for (const MCache* c : caches) {
        if (c->tiny_span == this && c->tiny_idx == i) {
          found = true;
          v = v - kTinyCurrent + int(c->tiny_subobjects);
        }
      }
      if (!found) {
        return fmt::format("span {:#x}: tiny block {} marked current but no P has it", base, i);
      }
    }
    if (v < 0) return fmt::format("span {:#x}: tiny block {} freed more than allocated", base, i);
    *tiny_live += uint64_t(v);
  }
  return "";
}

}  // namespace goalloc::alloc
