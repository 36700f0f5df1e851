// Unit tests of the heap through its public API and internals: address -> span lookup,
// small/large/tiny allocation, aligned allocation, frees returning spans to the heap,
// statistics and the byte accounting identity, and Verify.
#include "src/alloc/heap.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "src/alloc/mheap.h"

namespace goalloc::alloc {
namespace {

HeapConfig NoScavenger() {
  HeapConfig c;
  c.scavenger_enabled = false;
  return c;
}

void ExpectIdentity(const Heap& h) {
  HeapStats st = h.ReadStats();
  const HeapTotals& t = st.totals;
  EXPECT_EQ(t.sys - t.released,
            st.requested + st.rounding + st.tiny_waste + st.free_slots + st.tail_waste + t.idle);
}

TEST(Heap, SmallMallocFreeRoundTrip) {
  Heap h(NoScavenger());
  MCache* c = h.NewMCache();
  void* p = h.Malloc(c, 100, true);
  ASSERT_NE(p, nullptr);
  std::memset(p, 0xab, 100);
  EXPECT_EQ(h.UsableSize(p), 112u);
  EXPECT_EQ(h.Verify(), "");
  HeapStats st = h.ReadStats();
  EXPECT_EQ(st.requested, 100u);
  EXPECT_EQ(st.rounding, 12u);
  EXPECT_EQ(st.mallocs, 1u);
  ExpectIdentity(h);
  h.Free(c, p, 100);
  EXPECT_EQ(h.Verify(), "");
  void* q = h.Malloc(c, 100, true);
  EXPECT_EQ(p, q) << "lowest free slot is reused first";
  h.Free(c, q, 100);
  h.ReleaseMCache(c);
  EXPECT_EQ(h.Verify(), "");
  EXPECT_EQ(h.ReadTotals().inuse, 0u) << "an empty uncached span goes back to the heap";
}

TEST(Heap, AddressToSpanLookup) {
  Heap h(NoScavenger());
  MCache* c = h.NewMCache();
  std::vector<void*> ps;
  for (int i = 0; i < 2000; i++) ps.push_back(h.Malloc(c, 48, true));
  for (void* p : ps) {
    EXPECT_EQ(h.UsableSize(p), 48u);
    EXPECT_EQ(h.UsableSize(static_cast<char*>(p) + 47), 1u) << "interior pointers map too";
  }
  int x;
  EXPECT_EQ(h.UsableSize(&x), 0u) << "addresses outside the heap have no span";
  for (void* p : ps) h.Free(c, p, 48);
  EXPECT_EQ(h.Verify(), "");
  h.ReleaseMCache(c);
}

TEST(Heap, TinyPacking) {
  Heap h(NoScavenger());
  MCache* c = h.NewMCache();
  auto a = reinterpret_cast<uintptr_t>(h.Malloc(c, 4, true));
  auto b = reinterpret_cast<uintptr_t>(h.Malloc(c, 4, true));
  auto d = reinterpret_cast<uintptr_t>(h.Malloc(c, 8, true));
  EXPECT_EQ(a % 16, 0u);
  EXPECT_EQ(b, a + 4);
  EXPECT_EQ(d, a + 8) << "8-byte objects are 8-aligned";
  auto e = reinterpret_cast<uintptr_t>(h.Malloc(c, 3, true));
  EXPECT_NE(e / 16, a / 16) << "a full block is replaced";
  HeapStats st = h.ReadStats();
  EXPECT_EQ(st.tiny.allocs, 4u);
  EXPECT_EQ(st.tiny.live_blocks, 2u);
  EXPECT_EQ(st.tiny_waste, 32u - 19u);
  ExpectIdentity(h);
  EXPECT_EQ(h.Verify(), "");
  h.Free(c, reinterpret_cast<void*>(a), 4);
  h.Free(c, reinterpret_cast<void*>(b), 4);
  h.Free(c, reinterpret_cast<void*>(d), 8);
  EXPECT_EQ(h.ReadStats().tiny.live_blocks, 1u) << "a dead non-current block is freed";
  EXPECT_EQ(h.Verify(), "");
  h.Free(c, reinterpret_cast<void*>(e), 3);
  EXPECT_EQ(h.ReadStats().tiny.live_blocks, 1u) << "the current block stays";
  h.ReleaseMCache(c);
  EXPECT_EQ(h.Verify(), "");
  EXPECT_EQ(h.ReadTotals().inuse, 0u);
}

TEST(Heap, LargeObjectsAreWholePageSpans) {
  Heap h(NoScavenger());
  MCache* c = h.NewMCache();
  void* p = h.Malloc(c, 100000, false);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kPageSize, 0u);
  HeapStats st = h.ReadStats();
  EXPECT_EQ(st.large.pages, 13u);
  EXPECT_EQ(st.large.rounding, 13 * kPageSize - 100000);
  ExpectIdentity(h);
  EXPECT_EQ(h.ReadTotals().inuse, 13 * kPageSize);
  h.Free(c, p, 100000);
  EXPECT_EQ(h.ReadTotals().inuse, 0u);
  void* big = h.Malloc(c, 200 << 20, true);  // spans several arenas
  for (size_t off = 0; off < (200 << 20); off += kPageSize) static_cast<char*>(big)[off] = 1;
  EXPECT_EQ(h.Verify(), "");
  h.Free(c, big, 200 << 20);
  EXPECT_EQ(h.Verify(), "");
  h.ReleaseMCache(c);
}

TEST(Heap, AlignedAllocHonoursEveryPowerOfTwo) {
  Heap h(NoScavenger());
  MCache* c = h.NewMCache();
  std::vector<std::pair<void*, size_t>> ps;
  for (size_t align = 1; align <= (size_t{1} << 22); align <<= 1) {
    for (size_t size : {size_t{1}, size_t{7}, size_t{24}, size_t{1000}, size_t{40000}}) {
      for (bool noscan : {true, false}) {
        void* p = h.AlignedAlloc(c, size, align, noscan);
        ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u) << size << " " << align;
        ASSERT_GE(h.UsableSize(p), size);
        std::memset(p, 0x5a, size);
        ps.emplace_back(p, size);
      }
    }
  }
  EXPECT_EQ(h.Verify(), "");
  for (auto [p, size] : ps) h.Free(c, p, size);
  EXPECT_EQ(h.Verify(), "");
  h.ReleaseMCache(c);
  EXPECT_EQ(h.ReadTotals().inuse, 0u);
}

// Requests the heap can never serve (the trace format's largest size; alignments whose
// over-sized run exceeds the address space) fail like malloc, quickly and without mapping
// memory, and leave the heap as it was: counters, Verify, and later allocations.
TEST(Heap, ExhaustionReturnsNullAndChangesNothing) {
  Heap h(NoScavenger());
  MCache* c = h.NewMCache();
  void* kept = h.Malloc(c, 100, true);
  ASSERT_NE(kept, nullptr);
  const HeapTotals before = h.ReadTotals();
  const uint64_t mallocs_before = h.ReadStats().mallocs;
  constexpr size_t kLargest = (size_t{1} << 47) - 1;
  struct Case {
    const char* what;
    size_t size, align;
  };
  for (const Case& k : {Case{"2^47-1 bytes", kLargest, 0}, Case{"align 2^63", 8, size_t{1} << 63},
                        Case{"2^47-1 bytes align 2^40", kLargest, size_t{1} << 40}}) {
    for (bool noscan : {true, false}) {
      SCOPED_TRACE(testing::Message() << k.what << (noscan ? " noscan" : " scan"));
      void* p =
          k.align == 0 ? h.Malloc(c, k.size, noscan) : h.AlignedAlloc(c, k.size, k.align, noscan);
      EXPECT_EQ(p, nullptr);
      EXPECT_NE(h.LastFailure().find("address space"), std::string::npos) << h.LastFailure();
      EXPECT_EQ(h.Verify(), "");
      const HeapTotals after = h.ReadTotals();
      EXPECT_EQ(after.sys, before.sys);
      EXPECT_EQ(after.inuse, before.inuse);
      EXPECT_EQ(after.spans_in_use, before.spans_in_use);
      EXPECT_EQ(h.ReadStats().mallocs, mallocs_before);
      ExpectIdentity(h);
    }
  }
  void* big = h.Malloc(c, 1 << 20, true);  // the heap still grows for what it can serve
  ASSERT_NE(big, nullptr);
  std::memset(big, 1, 1 << 20);
  h.Free(c, big, 1 << 20);
  h.Free(c, kept, 100);
  EXPECT_EQ(h.Verify(), "");
  h.ReleaseMCache(c);
  EXPECT_EQ(h.ReadTotals().inuse, 0u);
}

TEST(Heap, ScavengerReleasesIdlePagesAndReuseCountsBack) {
  HeapConfig cfg;  // a cycle per 1 MiB of span allocation; heap goal = inuse + 1 MiB
  cfg.cycle_min_bytes = 1 << 20;
  cfg.gc_percent = 0;
  cfg.retain_ratio = 0;
  Heap h(cfg);
  MCache* c = h.NewMCache();
  std::vector<void*> ps;
  for (int i = 0; i < 64; i++) ps.push_back(h.Malloc(c, 1 << 20, true));
  for (void* p : ps) std::memset(p, 1, 1 << 20);
  for (void* p : ps) h.Free(c, p, 1 << 20);
  HeapTotals before = h.ReadTotals();
  EXPECT_EQ(before.idle, 64u << 20);
  // This allocation ends a cycle with 1 MiB in use, so the goal is 2 MiB; but the freed
  // chunks were full when the cycle began, and Go's density rule spares them for now.
  void* p = h.Malloc(c, 1 << 20, true);
  EXPECT_EQ(h.ReadTotals().released, before.released);
  h.Free(c, p, 1 << 20);
  // The next cycle's end releases every idle page beyond the goal.
  const uint64_t runs = h.ReadStats().scavenger_runs;
  p = h.Malloc(c, 1 << 20, true);
  HeapTotals after = h.ReadTotals();
  EXPECT_EQ(after.released, before.released + (62u << 20));
  EXPECT_EQ(after.idle, 1u << 20);
  EXPECT_EQ(h.ReadStats().scavenger_runs, runs + 1);
  ExpectIdentity(h);
  EXPECT_EQ(h.Verify(), "");
  h.Free(c, p, 1 << 20);
  h.ReleaseMCache(c);
}

TEST(Heap, LocksAreCounted) {
  Heap h(NoScavenger());
  MCache* c = h.NewMCache();
  void* p = h.Malloc(c, 64, false);
  h.Free(c, p, 64);
  h.ReleaseMCache(c);
  HeapStats st = h.ReadStats();
  bool mheap = false, central = false;
  for (const LockStats& l : st.locks) {
    if (l.name == "mheap") mheap = l.acquisitions > 0;
    if (l.name == "mcentral[6s]") central = l.acquisitions > 0;
  }
  EXPECT_TRUE(mheap);
  EXPECT_TRUE(central);
}

uint64_t Acquisitions(const HeapStats& st, const std::string& lock) {
  for (const LockStats& l : st.locks) {
    if (l.name == lock) return l.acquisitions;
  }
  return 0;
}

const SpanClassStats* ClassStats(const HeapStats& st, int size_class, bool noscan) {
  for (const SpanClassStats& k : st.span_classes) {
    if (k.size_class == size_class && k.noscan == noscan) return &k;
  }
  return nullptr;
}

// Spans filled by one P and drained by another: the frees into spans that went back to
// mcentral are posted without its lock except the first into a full span and the last of a
// span; a snapshot while those frees sit unfolded in the spans still adds up; the P that
// takes such a span next gets its lowest freed slot.
TEST(Heap, SpansFilledByOnePDrainedByAnother) {
  MHeap h(NoScavenger());
  MCache* producer = h.NewMCache();
  MCache* consumer = h.NewMCache();
  constexpr int kSpans = 4, kPerSpan = 128;  // 64 B noscan: size class 6, 128 slots a span
  std::vector<void*> ps;
  for (int i = 0; i < kSpans * kPerSpan; i++) ps.push_back(producer->Malloc(64, true));
  MSpan* spans[kSpans];
  for (int k = 0; k < kSpans; k++) {
    spans[k] = h.index().SpanOf(reinterpret_cast<uintptr_t>(ps[k * kPerSpan]));
  }
  ASSERT_EQ(spans[kSpans - 1]->list, SpanList::kCached);
  for (int k = 0; k < kSpans - 1; k++) ASSERT_EQ(spans[k]->list, SpanList::kFull);

  // The consumer frees every other object of each span (the producer's current one too).
  const uint64_t locks_before = Acquisitions(h.ReadStats(), "mcentral[6n]");
  for (int i = 1; i < kSpans * kPerSpan; i += 2) consumer->Free(ps[i], 64);
  HeapStats st = h.ReadStats();
  // One lock per full span, for its move to the partial list; the posts took none.
  EXPECT_EQ(Acquisitions(st, "mcentral[6n]") - locks_before, uint64_t(kSpans - 1));
  for (int k = 0; k < kSpans - 1; k++) {
    EXPECT_EQ(spans[k]->list, SpanList::kPartial);
    EXPECT_EQ(spans[k]->PendingFrees(), uint32_t(kPerSpan / 2 - 1)) << "all but the first posted";
  }
  EXPECT_EQ(spans[kSpans - 1]->PendingFrees(), uint32_t(kPerSpan / 2)) << "posted to the owner";
  const SpanClassStats* k6 = ClassStats(st, 6, true);
  ASSERT_NE(k6, nullptr);
  EXPECT_EQ(k6->objects_in_use, uint64_t(kSpans * kPerSpan / 2));
  EXPECT_EQ(k6->spans_partial, uint64_t(kSpans - 1));
  EXPECT_EQ(k6->spans_full, 0u);
  EXPECT_EQ(k6->free_slots, uint64_t(kSpans * kPerSpan / 2 * 64));
  EXPECT_EQ(h.Verify(), "");

  // The producer's span is full: its refill folds the posted frees and reuses slot 1 first.
  EXPECT_EQ(producer->Malloc(64, true), ps[(kSpans - 1) * kPerSpan + 1]);
  EXPECT_EQ(spans[kSpans - 1]->PendingFrees(), 0u);
  // A third P takes a partial span: the frees posted to it are folded under the lock.
  MCache* third = h.NewMCache();
  void* q = third->Malloc(64, true);
  MSpan* taken = h.index().SpanOf(reinterpret_cast<uintptr_t>(q));
  EXPECT_EQ(taken->owner.load(), third);
  EXPECT_EQ(taken->PendingFrees(), 0u);
  EXPECT_EQ(q, reinterpret_cast<void*>(taken->base + 64)) << "its lowest freed slot";
  EXPECT_EQ(h.Verify(), "");
  third->Free(q, 64);
  producer->Free(ps[(kSpans - 1) * kPerSpan + 1], 64);

  // The rest: each listed span's last free takes the lock and gives the span back.
  for (int i = 0; i < kSpans * kPerSpan; i += 2) consumer->Free(ps[i], 64);
  EXPECT_EQ(h.Verify(), "");
  for (MCache* c : {producer, consumer, third}) h.ReleaseMCache(c);
  EXPECT_EQ(h.Verify(), "");
  EXPECT_EQ(h.ReadTotals().inuse, 0u);
}

}  // namespace
}  // namespace goalloc::alloc
