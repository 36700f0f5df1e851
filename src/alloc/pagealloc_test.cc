// The page allocator on its own: summaries against brute force, first fit over
// fragmented runs, coalescing of freed neighbours, growth across arenas, the page cache.
#include "src/alloc/pagealloc.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <vector>

namespace goalloc::alloc {
namespace {

// Brute-force first fit over the bitmaps of all mapped chunks (address order).
uintptr_t BruteFind(const ArenaIndex& index, uintptr_t npages) {
  uintptr_t run = 0, start = 0, prev = 0;
  for (const HeapArena* a : index.arenas()) {
    for (uint32_t p = 0; p < kPagesPerArena; p++) {
      uintptr_t addr = a->base + p * kPageSize;
      bool used = (a->alloc[p / kChunkPages][p % kChunkPages / 64] >> (p % 64)) & 1;
      if (used || addr != prev + kPageSize) run = 0;
      prev = addr;
      if (used) continue;
      if (run++ == 0) start = addr;
      if (run == npages) return start;
    }
  }
  return 0;
}

TEST(PageAlloc, SummariesMatchBruteForce) {
  std::mt19937_64 rng(7);
  std::printf("seed 7\n");
  for (int t = 0; t < 2000; t++) {
    uint64_t bits[kChunkWords];
    for (auto& w : bits) {
      int mode = rng() % 4;
      w = mode == 0 ? 0 : mode == 1 ? ~uint64_t{0} : rng() & rng();
    }
    PallocSum s = SummarizeChunk(bits);
    uint32_t start = 0, end = 0, max = 0, run = 0;
    bool seen_used = false;
    for (uint32_t p = 0; p < kChunkPages; p++) {
      bool used = (bits[p / 64] >> (p % 64)) & 1;
      if (!used && !seen_used) start++;
      seen_used |= used;
      run = used ? 0 : run + 1;
      max = std::max(max, run);
    }
    end = run;
    ASSERT_EQ(s.start, start);
    ASSERT_EQ(s.max, max);
    ASSERT_EQ(s.end, end);
  }
}

TEST(PageAlloc, FirstFitOverFragmentedRunsAndCoalescing) {
  ArenaIndex index;
  PageAlloc pages(&index);
  uintptr_t scav = 0, grown = 0;
  std::vector<uintptr_t> singles;
  for (int i = 0; i < 100; i++) singles.push_back(pages.Alloc(1, 1, &scav, &grown));
  for (int i = 1; i < 100; i++) EXPECT_EQ(singles[i], singles[i - 1] + kPageSize);
  EXPECT_EQ(grown, kChunkBytes);
  // Free every other page: 1-page holes, no 2-page hole below page 100.
  for (int i = 0; i < 100; i += 2) pages.Free(singles[i], 1);
  uintptr_t two = pages.Alloc(2, 1, &scav, &grown);
  EXPECT_EQ(two, singles[99] + kPageSize) << "no 2-page run among the holes";
  EXPECT_EQ(pages.Alloc(1, 1, &scav, &grown), singles[0]) << "first fit takes the lowest hole";
  // Coalescing: free pages 10..19; a 10-page request fits exactly there.
  for (int i = 11; i < 20; i += 2) pages.Free(singles[i], 1);
  EXPECT_EQ(pages.Alloc(10, 1, &scav, &grown), singles[10]);
}

TEST(PageAlloc, RandomisedAgainstBruteForceAcrossArenas) {
  ArenaIndex index;
  PageAlloc pages(&index);
  const uint64_t seed = 42;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  std::vector<std::pair<uintptr_t, uintptr_t>> live;
  uintptr_t scav = 0, grown = 0;
  for (int i = 0; i < 3000; i++) {
    if (!live.empty() && rng() % 3 == 0) {
      size_t k = rng() % live.size();
      pages.Free(live[k].first, live[k].second);
      live[k] = live.back();
      live.pop_back();
      continue;
    }
    uintptr_t n = rng() % 10 == 0 ? 1 + rng() % 3000 : 1 + rng() % 20;
    uintptr_t want = BruteFind(index, n);
    uintptr_t got = pages.Find(n);
    ASSERT_EQ(got, want) << "n=" << n << " i=" << i;
    live.emplace_back(pages.Alloc(n, 1, &scav, &grown), n);
  }
  EXPECT_GT(index.arenas().size(), 1u) << "grew across arenas";
  uintptr_t huge = pages.Alloc(3 * kPagesPerArena, 1, &scav, &grown);  // spans 3+ arenas
  EXPECT_NE(huge, 0u);
  EXPECT_EQ(pages.Find(1), BruteFind(index, 1));
}

TEST(PageAlloc, AlignedRunsAndPageCache) {
  ArenaIndex index;
  PageAlloc pages(&index);
  uintptr_t scav = 0, grown = 0;
  pages.Alloc(3, 1, &scav, &grown);
  uintptr_t a = pages.Alloc(4, 64, &scav, &grown);
  EXPECT_EQ(a % (64 * kPageSize), 0u);
  PageCache c = pages.AllocToCache(&grown);
  EXPECT_EQ(c.base % (kPageCachePages * kPageSize), 0u);
  uintptr_t s1 = 0;
  uintptr_t p = c.Alloc(5, &s1);
  EXPECT_NE(p, 0u);
  EXPECT_EQ(s1, 5u) << "fresh pages are scavenged (not yet touched)";
  pages.FlushCache(&c);
  EXPECT_TRUE(c.empty());
}

// Go's density rule: the scavenger skips a chunk with >= 496 of its 512 pages in use now,
// or at the start of the current generation if the chunk changed during it.
TEST(PageAlloc, ScavengerSparesDenseChunks) {
  ArenaIndex index;
  PageAlloc pages(&index);
  uintptr_t scav = 0, grown = 0;
  const uintptr_t base = pages.Alloc(kChunkPages, 1, &scav, &grown);  // the whole chunk
  ASSERT_EQ(grown, kChunkBytes);
  pages.NextGeneration();
  pages.Free(base, 100);  // 412 in use, but 512 when this generation began
  uintptr_t cursor = ~uintptr_t{0};
  EXPECT_EQ(pages.TakeScavengeRun(&cursor, 64).second, 0u);

  pages.NextGeneration();  // the chunk has not been dense during this one
  cursor = ~uintptr_t{0};
  const auto run = pages.TakeScavengeRun(&cursor, 64);
  EXPECT_EQ(run.first, base + 64 * kPageSize) << "highest free pages, within one word";
  EXPECT_EQ(run.second, 36u);
  pages.ReturnScavenged(run.first, run.second);

  pages.Alloc(90, 1, &scav, &grown);  // pages 0-89: 502 in use, dense now
  EXPECT_EQ(scav, 26u);
  pages.NextGeneration();
  cursor = ~uintptr_t{0};
  EXPECT_EQ(pages.TakeScavengeRun(&cursor, 64).second, 0u);
}

}  // namespace
}  // namespace goalloc::alloc
