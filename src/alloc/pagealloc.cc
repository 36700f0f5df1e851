// pageAlloc: bitmaps, summaries, first-fit search, growth, and the per-P page cache.
#include "src/alloc/pagealloc.h"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "src/alloc/os_mem.h"

namespace goalloc::alloc {
namespace {

std::string ErrnoText() { return fmt::format("errno {}: {}", errno, std::strerror(errno)); }

// Calls fn(arena, chunk, first page in chunk, pages) for each chunk piece of a page range.
template <typename Fn>
void ForEachChunkPiece(const ArenaIndex& index, uintptr_t base, uintptr_t npages, Fn fn) {
  while (npages > 0) {
    HeapArena* a = index.ArenaOf(base);
    uintptr_t page = (base - a->base) / kPageSize;
    uint32_t ci = uint32_t(page / kChunkPages);
    uint32_t first = uint32_t(page % kChunkPages);
    uint32_t n = uint32_t(std::min<uintptr_t>(npages, kChunkPages - first));
    fn(a, ci, first, n);
    base += uintptr_t(n) * kPageSize;
    npages -= n;
  }
}

bool SameSum(const PallocSum& a, const PallocSum& b) {
  return a.start == b.start && a.max == b.max && a.end == b.end;
}

uint64_t WordMask(uint32_t first, uint32_t count) {  // bits [first, first+count) of a word
  return count == 64 ? ~uint64_t{0} : ((uint64_t{1} << count) - 1) << first;
}

// Applies fn(word, mask) over bits [first, first+count) of a chunk bitmap.
template <typename Fn>
void ForEachWord(uint64_t* words, uint32_t first, uint32_t count, Fn fn) {
  while (count > 0) {
    uint32_t w = first / 64, b = first % 64;
    uint32_t n = std::min(count, 64 - b);
    fn(words[w], WordMask(b, n));
    first += n;
    count -= n;
  }
}

// First index of a run of n free (0) pages in a chunk bitmap, or kChunkPages. Walks the runs
// of each word with count-trailing-zeros, as SummarizeChunk does (a loop over single bits
// cost 1,900 instructions a call on server.gat.zst's large allocations).
uint32_t FindInChunk(const uint64_t* bits, uint32_t n) {
  uint32_t run = 0;  // free pages just before bit `pos` of word w
  for (uint32_t w = 0; w < kChunkWords; w++) {
    const uint64_t x = bits[w];
    uint32_t pos = 0;
    for (;;) {
      const uint64_t used = x >> pos;
      const uint32_t free = used == 0 ? 64 - pos : uint32_t(__builtin_ctzll(used));
      if (run + free >= n) return w * 64 + pos - run;  // the run started `run` pages back
      if (used == 0) {  // free to the end of the word: the run carries on
        run += free;
        break;
      }
      pos += free;
      run = 0;
      const uint64_t unused = ~x >> pos;
      if (unused == 0) break;  // used to the end of the word
      pos += uint32_t(__builtin_ctzll(unused));
    }
  }
  return kChunkPages;
}

}  // namespace

PallocSum SummarizeChunk(const uint64_t* bits) {
  PallocSum s;
  for (uint32_t w = 0; w < kChunkWords; w++) {
    if (bits[w] == 0) {
      s.start += 64;
      continue;
    }
    s.start += uint32_t(__builtin_ctzll(bits[w]));
    break;
  }
  if (s.start == kChunkPages) return {kChunkPages, kChunkPages, kChunkPages};
  for (int w = kChunkWords - 1; w >= 0; w--) {
    if (bits[w] == 0) {
      s.end += 64;
      continue;
    }
    s.end += uint32_t(__builtin_clzll(bits[w]));
    break;
  }
  // Longest free run: walk the runs of each word with count-trailing-zeros.
  uint32_t run = 0;
  for (uint32_t w = 0; w < kChunkWords; w++) {
    uint64_t x = bits[w];
    uint32_t pos = 0;
    while (pos < 64) {
      uint64_t used = x >> pos;
      if (used == 0) {  // free to the end of the word
        run += 64 - pos;
        break;
      }
      uint32_t z = uint32_t(__builtin_ctzll(used));
      s.max = std::max(s.max, run + z);
      run = 0;
      pos += z;
      uint64_t free = ~x >> pos;
      if (free == 0) break;  // used to the end of the word
      pos += uint32_t(__builtin_ctzll(free));
    }
  }
  s.max = std::max(s.max, run);
  return s;
}

PallocSum MergeSums(const PallocSum* sums, uint32_t n, uint32_t child_pages) {
  PallocSum m;
  for (uint32_t i = 0; i < n; i++) {
    m.start += sums[i].start;
    if (sums[i].start != child_pages) break;
  }
  for (uint32_t i = n; i-- > 0;) {
    m.end += sums[i].end;
    if (sums[i].end != child_pages) break;
  }
  uint32_t run = 0;
  for (uint32_t i = 0; i < n; i++) {
    m.max = std::max({m.max, sums[i].max, run + sums[i].start});
    run = sums[i].start == child_pages ? run + child_pages : sums[i].end;
  }
  m.max = std::max(m.max, run);
  return m;
}

uintptr_t PageCache::Alloc(uintptr_t npages, uintptr_t* scav_pages) {
  uint64_t runs = cache;  // bit i set: pages i..i+npages-1 all free
  for (uintptr_t k = 1; k < npages; k++) runs &= runs >> 1;
  if (runs == 0) return 0;
  uint32_t i = uint32_t(__builtin_ctzll(runs));
  uint64_t mask = WordMask(i, uint32_t(npages));
  *scav_pages = uintptr_t(__builtin_popcountll(scav & mask));
  cache &= ~mask;
  scav &= ~mask;
  return base + uintptr_t(i) * kPageSize;
}

PageAlloc::~PageAlloc() {
  for (auto [base, size] : reservations_) SysFree(base, size);
}

void PageAlloc::UpdateChunk(HeapArena* a, uint32_t chunk, int32_t pages) {
  ScavChunkData& d = a->scav_data[chunk];
  if (d.gen != gen_) {
    d.last_in_use = d.in_use;
    d.gen = gen_;
  }
  d.in_use = uint16_t(int32_t(d.in_use) + pages);
  UpdateSummaries(a, chunk);
}

bool PageAlloc::ShouldScavenge(const ScavChunkData& d) const {
  if (d.in_use >= kScavChunkHiOccPages) return false;
  return d.gen != gen_ || d.last_in_use < kScavChunkHiOccPages;
}

void PageAlloc::UpdateSummaries(HeapArena* a, uint32_t chunk) {
  PallocSum s = SummarizeChunk(a->alloc[chunk]);
  PallocSum& old = a->chunk_sum[chunk];
  if (s.start == old.start && s.max == old.max && s.end == old.end) return;
  old = s;
  a->sum_dirty = true;  // merged lazily by the next Find: frees need not pay for it
}

uintptr_t PageAlloc::Find(uintptr_t npages) {
  uintptr_t carry = 0;       // free pages ending at prev_end
  uintptr_t carry_base = 0;  // where that run starts
  uintptr_t prev_end = 0;
  bool first_arena = true;
  for (HeapArena* a : index_->arenas()) {
    uintptr_t arena_end = a->base + kArenaBytes;
    if (arena_end <= search_addr_) continue;
    if (a->base != prev_end) carry = 0;
    prev_end = arena_end;
    uint32_t first_chunk = 0;
    if (search_addr_ > a->base) {
      first_chunk = uint32_t((search_addr_ - a->base) / kChunkBytes);
      carry = 0;
    }
    // The arena summary lets the search skip whole arenas; the first arena searched is
    // walked chunk by chunk anyway (the fit is usually there), so it is not merged.
    bool skip_possible = first_chunk == 0 && (!a->sum_dirty || !first_arena);
    first_arena = false;
    if (skip_possible) {
      if (a->sum_dirty) {
        a->sum = MergeSums(a->chunk_sum, kChunksPerArena, kChunkPages);
        a->sum_dirty = false;
      }
      const PallocSum& s = a->sum;
      if (carry + s.start >= npages) return carry ? carry_base : a->base;
      if (s.max < npages) {  // no fit starts inside this arena: only its end can carry on
        if (s.start == kPagesPerArena) {
          if (carry == 0) carry_base = a->base;
          carry += kPagesPerArena;
        } else {
          carry = s.end;
          carry_base = arena_end - s.end * kPageSize;
        }
        continue;
      }
    }
    for (uint32_t ci = first_chunk; ci < kChunksPerArena; ci++) {
      const PallocSum& s = a->chunk_sum[ci];
      uintptr_t chunk_base = a->ChunkBase(ci);
      if (carry + s.start >= npages) return carry ? carry_base : chunk_base;
      if (s.max >= npages) {
        return chunk_base + uintptr_t(FindInChunk(a->alloc[ci], uint32_t(npages))) * kPageSize;
      }
      if (s.start == kChunkPages) {
        if (carry == 0) carry_base = chunk_base;
        carry += kChunkPages;
      } else {
        carry = s.end;
        carry_base = chunk_base + kChunkBytes - s.end * kPageSize;
      }
    }
  }
  return 0;
}

uintptr_t PageAlloc::AllocRange(uintptr_t base, uintptr_t npages) {
  uintptr_t scav = 0;
  ForEachChunkPiece(*index_, base, npages,
                    [&](HeapArena* a, uint32_t ci, uint32_t first, uint32_t n) {
                      ForEachWord(a->alloc[ci], first, n, [](uint64_t& w, uint64_t m) { w |= m; });
                      ForEachWord(a->scav[ci], first, n, [&](uint64_t& w, uint64_t m) {
                        scav += uintptr_t(__builtin_popcountll(w & m));
                        w &= ~m;
                      });
                      UpdateChunk(a, ci, int32_t(n));
                    });
  return scav;
}

void PageAlloc::Free(uintptr_t base, uintptr_t npages) {
  ForEachChunkPiece(*index_, base, npages,
                    [&](HeapArena* a, uint32_t ci, uint32_t first, uint32_t n) {
                      ForEachWord(a->alloc[ci], first, n, [](uint64_t& w, uint64_t m) { w &= ~m; });
                      UpdateChunk(a, ci, -int32_t(n));
                    });
  search_addr_ = std::min(search_addr_, base);
}

uintptr_t PageAlloc::Grow(uintptr_t npages) {
  if (npages > kMaxHeapBytes / kPageSize) {
    failure_ = fmt::format("cannot map {} pages: more than the heap's {} bytes of address space",
                           npages, kMaxHeapBytes);
    return 0;
  }
  const uintptr_t bytes = (npages * kPageSize + kChunkBytes - 1) / kChunkBytes * kChunkBytes;
  uintptr_t region = 0, size = 0, start = cur_;
  if (end_ - cur_ < bytes) {
    size = (bytes + kArenaBytes - 1) / kArenaBytes * kArenaBytes;
    region = SysReserve(end_ != 0 ? end_ : kHeapHint, size, kArenaBytes);
    if (region == 0) {
      failure_ = fmt::format("cannot reserve {} bytes of address space ({})", size, ErrnoText());
      return 0;
    }
    if (region != end_) start = region;  // not contiguous: leave the old remainder
  }
  // Mapped before its arenas are registered: a request the OS will not commit costs no
  // metadata.
  if (!SysMap(start, bytes)) {
    failure_ = fmt::format("cannot map {} bytes ({})", bytes, ErrnoText());
    if (region != 0) SysFree(region, size);
    return 0;
  }
  if (region != 0) {
    const uintptr_t registered = RegisterArenas(region, size);
    if (registered != size) {
      failure_ = fmt::format("cannot map the metadata of {} bytes of heap ({})", size, ErrnoText());
      SysFault(start, bytes);
      SysFree(region + registered, size - registered);
      return 0;
    }
  }
  cur_ = start;
  search_addr_ = std::min(search_addr_, cur_);  // a new region may lie below the old ones
  for (uintptr_t c = cur_; c < cur_ + bytes; c += kChunkBytes) {
    HeapArena* a = index_->ArenaOf(c);
    uint32_t ci = uint32_t((c - a->base) / kChunkBytes);
    a->mapped_chunks = ci + 1;
    std::fill(a->alloc[ci], a->alloc[ci] + kChunkWords, 0);
    std::fill(a->scav[ci], a->scav[ci] + kChunkWords, ~uint64_t{0});
    a->scav_data[ci] = ScavChunkData{0, 0, gen_};  // unmapped until now: nothing in use
    UpdateSummaries(a, ci);
  }
  cur_ += bytes;
  return bytes;
}

uintptr_t PageAlloc::RegisterArenas(uintptr_t region, uintptr_t size) {
  uintptr_t registered = 0;
  while (registered < size && index_->Add(region + registered) != nullptr) {
    registered += kArenaBytes;
  }
  if (registered != 0) {
    // Registered arenas stay even when a later one fails: their chunks are unmapped (no
    // free pages) until a growth maps them.
    reservations_.emplace_back(region, registered);
    if (region != end_) cur_ = region;
    end_ = region + registered;
  }
  return registered;
}

uintptr_t PageAlloc::Alloc(uintptr_t npages, uintptr_t align_pages, uintptr_t* scav_pages,
                           uintptr_t* grown_bytes) {
  uintptr_t need = npages + align_pages - 1;
  uintptr_t base = Find(need);
  if (base == 0) {
    const uintptr_t grown = Grow(need);
    if (grown == 0) return 0;
    *grown_bytes += grown;
    base = Find(need);
    if (base == 0) Throw("page allocator: no fit after growing");
  }
  uintptr_t align = align_pages * kPageSize;
  base = (base + align - 1) & ~(align - 1);
  *scav_pages = AllocRange(base, npages);
  if (npages == 1 && align_pages == 1) search_addr_ = base;
  return base;
}

PageCache PageAlloc::AllocToCache(uintptr_t* grown_bytes) {
  uintptr_t p = Find(1);
  if (p == 0) {
    const uintptr_t grown = Grow(1);
    if (grown == 0) return PageCache{};
    *grown_bytes += grown;
    p = Find(1);
  }
  HeapArena* a = index_->ArenaOf(p);
  uintptr_t page = (p - a->base) / kPageSize;
  uint32_t ci = uint32_t(page / kChunkPages);
  uint32_t w = uint32_t(page % kChunkPages / 64);
  PageCache c;
  c.base = a->ChunkBase(ci) + uintptr_t(w) * 64 * kPageSize;
  c.cache = ~a->alloc[ci][w];
  c.scav = a->scav[ci][w] & c.cache;
  a->alloc[ci][w] = ~uint64_t{0};
  a->scav[ci][w] &= ~c.cache;
  UpdateChunk(a, ci, __builtin_popcountll(c.cache));
  search_addr_ = c.base + kPageCachePages * kPageSize;
  return c;
}

void PageAlloc::FlushCache(PageCache* c) {
  if (c->cache != 0) {
    HeapArena* a = index_->ArenaOf(c->base);
    uintptr_t page = (c->base - a->base) / kPageSize;
    uint32_t ci = uint32_t(page / kChunkPages);
    uint32_t w = uint32_t(page % kChunkPages / 64);
    a->alloc[ci][w] &= ~c->cache;
    a->scav[ci][w] |= c->scav;
    UpdateChunk(a, ci, -__builtin_popcountll(c->cache));
    search_addr_ = std::min(search_addr_, c->base);
  }
  *c = PageCache{};
}

std::string PageAlloc::Verify(const std::map<uintptr_t, uint64_t>& pcaches, uint64_t* sys,
                              uint64_t* released_pages) const {
  for (const HeapArena* a : index_->arenas()) {
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
      *sys += kChunkBytes;
      uint32_t in_use = 0;
      for (uint64_t w : a->alloc[ci]) in_use += uint32_t(__builtin_popcountll(w));
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
        *released_pages += uint32_t(__builtin_popcountll(scav));
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
  return "";
}

}  // namespace goalloc::alloc
