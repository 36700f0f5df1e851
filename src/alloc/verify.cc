// Verify: walks every arena, chunk bitmap, summary, span, slot bitmap, list and counter
// and checks that they agree. Each structure checks itself (PageAlloc::Verify, MSpan::Verify,
// MCentral::Verify, Collector::Verify); the heap checks what spans them: every P's page
// cache, that each span's pages map to it, that the mcentral lists hold exactly the spans
// filed there, that the Ps' counters match the live slots, tiny sub-objects and large
// spans found, that the mheap counters equal the recomputed totals, and that the byte
// accounting identity holds.
#include <fmt/core.h>

#include <array>
#include <map>

#include "src/alloc/mheap.h"

namespace goalloc::alloc {

std::string MHeap::Verify() const {
  // Pages held in page caches, by window base (two Ps may hold disjoint pages of a window).
  std::map<uintptr_t, uint64_t> pcaches;
  uint64_t released_pages = 0;
  for (const MCache* c : caches_) {
    // A free into the hot span takes it as this P's without reading its owner.
    if (c->hot_bytes != 0 &&
        (c->hot_span->owner.load(std::memory_order_relaxed) != c ||
         c->hot_base != c->hot_span->base || c->hot_bytes != c->hot_span->npages * kPageSize)) {
      return fmt::format("mcache: hot span {:#x} not held by its P or not its range", c->hot_base);
    }
    if (c->pcache.empty()) continue;
    if ((c->pcache.scav & ~c->pcache.cache) != 0) return "page cache: scavenged page not free";
    uint64_t& held = pcaches[c->pcache.base];
    if ((held & c->pcache.cache) != 0) {
      return fmt::format("page cache window {:#x}: a page held by two Ps", c->pcache.base);
    }
    held |= c->pcache.cache;
    released_pages += uint32_t(__builtin_popcountll(c->pcache.scav));
  }
  uint64_t sys = 0;
  std::string err = pages_.Verify(pcaches, &sys, &released_pages);
  if (!err.empty()) return err;

  uint64_t spans = 0, inuse_pages = 0, large_spans = 0;
  uint64_t tiny_live = 0, tiny_blocks = 0;
  std::array<uint64_t, kMaxSpanClasses> live{}, listed_partial{}, listed_full{};
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
    err = s->Verify(classes_.info(s->spanclass), caches(), &tiny_blocks, &tiny_live);
    if (!err.empty()) return;
    if (s->is_large()) {
      large_spans++;
      return;
    }
    if (s->list == SpanList::kPartial) listed_partial[s->spanclass]++;
    if (s->list == SpanList::kFull) listed_full[s->spanclass]++;
    live[s->spanclass] += s->LiveSlots();
  });
  if (!err.empty()) return err;

  MCacheCounters sum = SumCounters();
  for (int sc = 2; sc < classes_.num_span_classes(); sc++) {
    err = central_[sc].Verify(listed_partial[sc], listed_full[sc]);
    if (!err.empty()) return err;
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
  if (footprint_.load() != t.footprint()) {
    return fmt::format("footprint word {} but sys − released + metadata {}", footprint_.load(),
                       t.footprint());
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
