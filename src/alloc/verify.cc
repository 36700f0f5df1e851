// Verify: walks every arena, chunk bitmap, summary, span, slot bitmap, list and counter
// and checks that they agree: every mapped page is in exactly one of {an in-use span, a
// P's page cache, free}; scavenged pages are free; summaries match bitmaps; allocCount
// matches allocBits; posted remote frees are allocated slots; freeindex and allocCache
// obey their invariants; list membership matches span state; tiny live counts match the
// sub-object counters; the mheap counters equal the recomputed totals; and the byte
// accounting identity holds.
#include <fmt/core.h>

#include <map>

#include "src/alloc/mheap.h"

namespace goalloc::alloc {
namespace {

uint32_t Popcount(uint64_t x) { return uint32_t(__builtin_popcountll(x)); }

bool SameSum(const PallocSum& a, const PallocSum& b) {
  return a.start == b.start && a.max == b.max && a.end == b.end;
}

// The lock-free remote free's word (mspan.h) against the span: open to posts exactly while
// the span is cached or listed, the posted count equal to the bits in free_bits (no poster
// is between the two when no other thread is in the heap), and a listed span's live count
// equal to its allocated slots less those posted.
std::string VerifyRemote(const MSpan* s, uint32_t pending) {
  uint64_t r = s->remote.load(std::memory_order_relaxed);
  uint64_t want = s->list == SpanList::kCached ? RemoteState::kCached
                  : s->list == SpanList::kPartial || s->list == SpanList::kFull
                      ? RemoteState::kListed
                      : RemoteState::kClosed;
  if (RemoteState::Mode(r) != want) {
    return fmt::format("span {:#x}: remote-free state {:#x} does not match its list", s->base, r);
  }
  if (RemoteState::Posted(r) != pending) {
    return fmt::format("span {:#x}: {} remote frees counted, {} posted", s->base,
                       RemoteState::Posted(r), pending);
  }
  if (want == RemoteState::kListed && RemoteState::Live(r) != s->alloc_count - pending) {
    return fmt::format("span {:#x}: listed with {} live slots counted, {} allocated", s->base,
                       RemoteState::Live(r), s->alloc_count - pending);
  }
  if (want != RemoteState::kListed && RemoteState::Live(r) != 0) {
    return fmt::format("span {:#x}: a live count outside the mcentral lists", s->base);
  }
  return "";
}

}  // namespace

std::string MHeap::Verify() const {
  // Pages held in page caches, by window base (two Ps may hold disjoint pages of a window).
  std::map<uintptr_t, uint64_t> pcaches;
  uint64_t released_pages = 0;
  for (const MCache* c : caches_) {
    if (c->pcache.empty()) continue;
    if ((c->pcache.scav & ~c->pcache.cache) != 0) return "page cache: scavenged page not free";
    uint64_t& held = pcaches[c->pcache.base];
    if ((held & c->pcache.cache) != 0) {
      return fmt::format("page cache window {:#x}: a page held by two Ps", c->pcache.base);
    }
    held |= c->pcache.cache;
    released_pages += Popcount(c->pcache.scav);
  }

  uint64_t sys = 0;
  for (const HeapArena* a : index_.arenas()) {
    for (uint32_t ci = 0; ci < kChunksPerArena; ci++) {
      uintptr_t chunk = a->ChunkBase(ci);
      if (!SameSum(a->chunk_sum[ci], SummarizeChunk(a->alloc[ci]))) {
        return fmt::format("chunk {:#x}: summary does not match bitmap", chunk);
      }
      if (ci >= a->mapped_chunks) {
        for (uint32_t w = 0; w < kChunkWords; w++) {
          if (~a->alloc[ci][w] != 0 || a->scav[ci][w] != 0) {
            return fmt::format("unmapped chunk {:#x} has free or scavenged pages", chunk);
          }
        }
        continue;
      }
      sys += kChunkBytes;
      uint32_t in_use = 0;
      for (uint64_t w : a->alloc[ci]) in_use += Popcount(w);
      if (a->scav_data[ci].in_use != in_use) {
        return fmt::format("chunk {:#x}: occupancy {} but {} pages in use", chunk,
                           a->scav_data[ci].in_use, in_use);
      }
      for (uint32_t w = 0; w < kChunkWords; w++) {
        uintptr_t wbase = chunk + uintptr_t(w) * 64 * kPageSize;
        auto pc = pcaches.find(wbase);
        uint64_t cached = pc == pcaches.end() ? 0 : pc->second;
        uint64_t used = a->alloc[ci][w], scav = a->scav[ci][w];
        if ((scav & used) != 0) return fmt::format("page in {:#x}: scavenged and in use", wbase);
        if ((cached & ~used) != 0) {
          return fmt::format("page in {:#x}: in a page cache but free in the bitmap", wbase);
        }
        released_pages += Popcount(scav);
        for (uint32_t b = 0; b < 64; b++) {
          uintptr_t page = wbase + b * kPageSize;
          const MSpan* s = a->spans[(page - a->base) / kPageSize];
          bool in_span = s != nullptr, in_cache = (cached >> b) & 1, is_used = (used >> b) & 1;
          if (in_span && in_cache) return fmt::format("page {:#x}: in a span and a cache", page);
          if (is_used != (in_span || in_cache)) {
            return fmt::format("page {:#x}: bitmap says {} but span={} cache={}", page,
                               is_used ? "used" : "free", in_span, in_cache);
          }
          if (in_span && (!s->in_use || page < s->base || page >= s->limit())) {
            return fmt::format("page {:#x}: stale span entry", page);
          }
        }
      }
    }
    if (!a->sum_dirty && !SameSum(a->sum, MergeSums(a->chunk_sum, kChunksPerArena, kChunkPages))) {
      return fmt::format("arena {:#x}: summary does not match its chunks", a->base);
    }
  }

  MCacheCounters sum = SumCounters();
  uint64_t spans = 0, inuse_pages = 0, large_spans = 0;
  uint64_t tiny_live = 0, tiny_blocks = 0;
  std::array<uint64_t, kMaxSpanClasses> live{}, listed_partial{}, listed_full{};
  std::string err;
  ForEachSpan(index_, [&](const MSpan* s) {
    if (!err.empty()) return;
    spans++;
    inuse_pages += s->npages;
    for (uintptr_t p = s->base; p < s->limit(); p += kPageSize) {
      if (index_.SpanOf(p) != s) {
        err = fmt::format("span {:#x}: page {:#x} maps elsewhere", s->base, p);
        return;
      }
    }
    uint32_t nw = s->nwords();
    uint32_t count = 0, pending = 0;
    for (uint32_t w = 0; w < nw; w++) {
      uint64_t bits = s->alloc_bits[w];
      uint64_t valid =
          w == nw - 1 && s->nelems % 64 ? ~(~uint64_t{0} << (s->nelems % 64)) : ~uint64_t{0};
      if ((bits | valid) != ~uint64_t{0}) err = fmt::format("span {:#x}: padding", s->base);
      count += Popcount(bits & valid);
      uint64_t fb = s->free_bits[w].load(std::memory_order_relaxed);
      if ((fb & ~(bits & valid)) != 0) {
        err = fmt::format("span {:#x}: a slot is both free and posted free", s->base);
      }
      if ((s->gcmark_bits[w] & ~bits) != 0) err = fmt::format("span {:#x}: mark", s->base);
      pending += Popcount(fb);
    }
    if (!err.empty()) return;
    if (count != s->alloc_count) {
      err =
          fmt::format("span {:#x}: allocCount {} but {} bits set", s->base, s->alloc_count, count);
      return;
    }
    err = VerifyRemote(s, pending);
    if (!err.empty()) return;
    if (s->is_large()) {
      large_spans++;
      if (s->alloc_count != 1 || s->list != SpanList::kNone || s->owner.load() != nullptr) {
        err = fmt::format("large span {:#x}: bad state", s->base);
      }
      return;
    }
    const SpanClassInfo& info = classes_.info(s->spanclass);
    if (s->nelems != info.nelems || s->elemsize != info.elemsize || s->npages != info.npages) {
      err = fmt::format("span {:#x}: geometry does not match its class", s->base);
      return;
    }
    for (uint32_t i = 0; i < s->freeindex && i < s->nelems; i++) {
      if (!s->IsAllocated(i)) {
        err = fmt::format("span {:#x}: free slot {} below freeindex {}", s->base, i, s->freeindex);
        return;
      }
    }
    const MCache* owner = s->owner.load(std::memory_order_relaxed);
    if ((owner != nullptr) != (s->list == SpanList::kCached)) {
      err = fmt::format("span {:#x}: owner and list state disagree", s->base);
      return;
    }
    if (owner != nullptr) {
      uint64_t want =
          s->freeindex / 64 < nw ? ~s->alloc_bits[s->freeindex / 64] >> (s->freeindex % 64) : 0;
      if (owner->alloc[s->spanclass] != s || s->alloc_cache != want) {
        err = fmt::format("span {:#x}: cached span not in its mcache or stale allocCache", s->base);
        return;
      }
    } else if (s->list == SpanList::kUnswept) {
      if (pending != 0 || s->alloc_count == 0) {
        err = fmt::format("span {:#x}: unswept with pending frees, or empty", s->base);
        return;
      }
    } else {
      // Full: no slot free or posted free (the first free into a full span moves it).
      bool full = s->alloc_count - pending == s->nelems;
      if (s->alloc_count == pending || s->list != (full ? SpanList::kFull : SpanList::kPartial)) {
        err = fmt::format("span {:#x}: in mcentral empty or on the wrong list", s->base);
        return;
      }
      (full ? listed_full : listed_partial)[s->spanclass]++;
    }
    live[s->spanclass] += s->alloc_count - pending;
    if (s->tiny_counts == nullptr) return;
    for (uint32_t i = 0; i < s->nelems; i++) {
      int v = s->tiny_counts[i].load(std::memory_order_relaxed);
      if (v == 0) continue;
      bool posted = (s->free_bits[i / 64].load(std::memory_order_relaxed) >> (i % 64)) & 1;
      if (!s->IsAllocated(i) || posted) {
        err = fmt::format("span {:#x}: tiny block {} has live objects but a free slot", s->base, i);
        return;
      }
      tiny_blocks++;
      if (v > kTinyCurrent / 2) {  // a P's current block
        bool found = false;
        for (const MCache* c : caches_) {
          if (c->tiny_span == s && c->tiny_idx == i) {
            found = true;
            v = v - kTinyCurrent + int(c->tiny_subobjects);
          }
        }
        if (!found) {
          err = fmt::format("span {:#x}: tiny block {} marked current but no P has it", s->base, i);
          return;
        }
      }
      if (v < 0) {
        err = fmt::format("span {:#x}: tiny block {} freed more than allocated", s->base, i);
        return;
      }
      tiny_live += uint64_t(v);
    }
  });
  if (!err.empty()) return err;

  for (int sc = 2; sc < classes_.num_span_classes(); sc++) {
    const MCentral& c = central_[sc];
    if (c.partial().size() != listed_partial[sc] || c.full().size() != listed_full[sc]) {
      return fmt::format("{}: list lengths do not match the spans", c.LockName());
    }
    for (const MSpan* s = c.partial().first(); s != nullptr; s = s->next) {
      if (!s->in_use || s->spanclass != sc || s->list != SpanList::kPartial) {
        return fmt::format("{}: partial list holds a wrong span", c.LockName());
      }
    }
    for (const MSpan* s = c.full().first(); s != nullptr; s = s->next) {
      if (!s->in_use || s->spanclass != sc || s->list != SpanList::kFull) {
        return fmt::format("{}: full list holds a wrong span", c.LockName());
      }
    }
    const ClassCounters& k = sum.cls[sc];
    if (k.mallocs - k.frees != live[sc]) {
      return fmt::format("span class {}: mallocs-frees {} but {} slots in use", sc,
                         k.mallocs - k.frees, live[sc]);
    }
    if (k.requested < 0) return fmt::format("span class {}: negative requested bytes", sc);
  }
  if (sum.tiny_allocs - sum.tiny_frees != tiny_live) {
    return fmt::format("tiny: {} live sub-objects counted, {} in blocks",
                       sum.tiny_allocs - sum.tiny_frees, tiny_live);
  }
  if (sum.tiny_blocks - sum.tiny_block_frees != tiny_blocks) {
    return fmt::format("tiny: {} live blocks counted, {} found",
                       sum.tiny_blocks - sum.tiny_block_frees, tiny_blocks);
  }
  if (sum.large_allocs - sum.large_frees != large_spans) {
    return fmt::format("large: {} live counted, {} spans", sum.large_allocs - sum.large_frees,
                       large_spans);
  }

  HeapTotals t = ReadTotals();
  if (t.sys != sys) return fmt::format("sys counter {} but {} mapped", t.sys, sys);
  if (t.released != released_pages * kPageSize) {
    return fmt::format("released counter {} but {} scavenged", t.released,
                       released_pages * kPageSize);
  }
  if (t.inuse != inuse_pages * kPageSize) {
    return fmt::format("inuse counter {} but spans hold {}", t.inuse, inuse_pages * kPageSize);
  }
  if (t.spans_in_use != spans) {
    return fmt::format("spans_in_use counter {} but {} spans", t.spans_in_use, spans);
  }
  HeapStats st = ReadStats();
  uint64_t rhs = st.requested + st.garbage + st.rounding + st.tiny_waste + st.free_slots +
                 st.tail_waste + t.idle;
  if (t.sys - t.released != rhs) {
    return fmt::format("byte accounting: sys-released {} != {}", t.sys - t.released, rhs);
  }
  return gc_ != nullptr ? gc_->Verify() : "";
}

}  // namespace goalloc::alloc
