// Randomised differential test: thousands of malloc / aligned_alloc / realloc / free of
// mixed sizes and span classes on two Ps (so half the frees are cross-P), every object
// filled with a pattern derived from its id and checked before it is freed (catches
// overlapping objects), Verify() every so often, and the final statistics compared with a
// simple model's (requested bytes, objects and mallocs/frees per span class, tiny and
// large counts).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "src/alloc/heap.h"
#include "src/alloc/size_class_table.h"

namespace goalloc::alloc {
namespace {

struct Obj {
  uint8_t* p;
  size_t size;
  uint64_t id;
  int kind;  // span class, or -1 tiny, -2 large
};

// The pattern of object `id`: byte i is the i%8-th byte of word i/8 = f(id, i/8).
uint8_t Pattern(uint64_t id, size_t i) {
  uint64_t w = (id * 0x9e3779b97f4a7c15ULL) ^ (i / 8 * 0xbf58476d1ce4e5b9ULL);
  return uint8_t(w >> (i % 8 * 8));
}

void Fill(uint8_t* p, size_t size, uint64_t id) {
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t w = (id * 0x9e3779b97f4a7c15ULL) ^ (i / 8 * 0xbf58476d1ce4e5b9ULL);
    std::memcpy(p + i, &w, 8);
  }
  for (; i < size; i++) p[i] = Pattern(id, i);
}

// Index of the first byte that differs from the pattern, or size.
size_t FirstBad(const uint8_t* p, size_t size, uint64_t id) {
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t w = (id * 0x9e3779b97f4a7c15ULL) ^ (i / 8 * 0xbf58476d1ce4e5b9ULL), got;
    std::memcpy(&got, p + i, 8);
    if (got != w) break;
  }
  for (; i < size; i++) {
    if (p[i] != Pattern(id, i)) return i;
  }
  return size;
}

// The model's idea of where a request lands (mallocgc's dispatch, malloc.cc's aligned rule).
int KindOf(size_t size, size_t align, bool noscan) {
  if (IsTinyRequest(size, align, noscan)) return -1;
  if (size > kMaxSmallAlloc) return -2;
  const SizeClassTable& go = SizeClassTable::Go();
  if (align <= 8) return go.SmallSpanClass(size, noscan);
  for (int c = go.SizeToClass(WithMallocHeader(size, noscan)); c < kNumSizeClasses; c++) {
    if (go.info(MakeSpanClass(c, noscan)).min_align >= align) {
      return MakeSpanClass(c, noscan);
    }
  }
  return -2;
}

size_t RandomSize(std::mt19937_64& rng) {
  switch (rng() % 10) {
    case 0:
    case 1:
    case 2:
      return rng() % 16;  // tiny (when noscan)
    case 3:
    case 4:
    case 5:
      return 16 + rng() % 500;
    case 6:
    case 7:
      return 512 + rng() % 4000;
    case 8:
      return 4096 + rng() % 30000;
    default:
      return 32000 + rng() % 300000;
  }
}

// The figures of a heap's state that depend on where each object went: the byte account,
// and per span class the spans on each list, the objects in use and the free slots.
std::vector<uint64_t> Placement(const HeapStats& st) {
  std::vector<uint64_t> out = {st.totals.sys, st.totals.released, st.totals.inuse,
                               st.rounding,   st.tiny_waste,      st.free_slots,
                               st.tail_waste, st.tiny.live_blocks};
  for (const SpanClassStats& c : st.span_classes) {
    out.insert(out.end(), {uint64_t(c.size_class), c.spans_mcache, c.spans_partial, c.spans_full,
                           c.objects_in_use, c.free_slots});
  }
  for (const LockStats& l : st.locks) out.push_back(l.acquisitions);
  return out;
}

// Two Ps on this thread, each op on either; `single_threaded`: the heap told so
// (HeapConfig::single_threaded), its posted frees and tiny counts without atomics.
// `placement`: Placement() before the live objects are freed.
void RunSeed(uint64_t seed, int ops, bool single_threaded,
             std::vector<uint64_t>* placement = nullptr) {
  std::printf("seed %llu, single_threaded %d\n", static_cast<unsigned long long>(seed),
              single_threaded);
  std::mt19937_64 rng(seed);
  HeapConfig cfg;
  cfg.single_threaded = single_threaded;
  cfg.cycle_min_bytes = 4 << 20;
  cfg.gc_percent = 0;  // a cycle, and a scavenge, every 4 MiB of span allocation
  Heap h(cfg);
  MCache* ps[2] = {h.NewMCache(), h.NewMCache()};
  std::vector<Obj> live;
  std::map<int, uint64_t> mallocs, frees;
  uint64_t next_id = 1;
  auto fill = [](const Obj& o) { Fill(o.p, o.size, o.id); };
  auto check = [](const Obj& o) {
    ASSERT_EQ(FirstBad(o.p, o.size, o.id), o.size) << "object " << o.id << " overwritten";
  };
  auto alloc = [&](size_t size, size_t align, bool noscan) {
    MCache* c = ps[rng() % 2];
    void* p = align ? h.AlignedAlloc(c, size, align, noscan) : h.Malloc(c, size, noscan);
    if (align) {
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u);
    }
    Obj o{static_cast<uint8_t*>(p), size, next_id++, KindOf(size, align ? align : 1, noscan)};
    EXPECT_GE(h.UsableSize(p), size);
    fill(o);
    mallocs[o.kind]++;
    live.push_back(o);
  };
  auto release = [&](size_t k) {
    Obj o = live[k];
    check(o);
    h.Free(ps[rng() % 2], o.p, o.size);
    frees[o.kind]++;
    live[k] = live.back();
    live.pop_back();
  };
  for (int i = 0; i < ops; i++) {
    int op = int(rng() % 10);
    if (op < 4 || live.empty()) {
      alloc(RandomSize(rng), 0, rng() % 2);
    } else if (op == 4) {
      alloc(RandomSize(rng), size_t{1} << (rng() % 14), rng() % 2);
    } else if (op == 5) {  // realloc: new object holds the old prefix, old one freed
      size_t k = rng() % live.size();
      Obj old = live[k];
      check(old);
      alloc(RandomSize(rng), 0, rng() % 2);
      Obj& n = live.back();
      size_t keep = std::min(old.size, n.size);
      std::memcpy(n.p, old.p, keep);
      ASSERT_EQ(FirstBad(n.p, keep, old.id), keep) << "realloc copy";
      fill(n);
      release(k);
    } else {
      release(rng() % live.size());
    }
    if (i % 1000 == 999) {
      ASSERT_EQ(h.Verify(), "") << "after op " << i;
    }
  }
  ASSERT_EQ(h.Verify(), "");

  HeapStats st = h.ReadStats();
  if (placement != nullptr) *placement = Placement(st);
  uint64_t requested = 0, tiny_live = 0, large_live = 0, large_bytes = 0;
  std::map<int, uint64_t> objects;
  for (const Obj& o : live) {
    requested += o.size;
    if (o.kind == -1) tiny_live++;
    if (o.kind == -2) large_live++, large_bytes += o.size;
    objects[o.kind]++;
  }
  EXPECT_EQ(st.requested, requested);
  EXPECT_EQ(st.tiny.live_objects, tiny_live);
  EXPECT_EQ(st.tiny.allocs, mallocs[-1]);
  EXPECT_EQ(st.large.live_objects, large_live);
  EXPECT_EQ(st.large.live_bytes, large_bytes);
  EXPECT_EQ(st.large.allocations, mallocs[-2]);
  uint64_t all_mallocs = 0, all_frees = 0;
  for (auto [k, n] : mallocs) all_mallocs += n;
  for (auto [k, n] : frees) all_frees += n;
  EXPECT_EQ(st.mallocs, all_mallocs);
  EXPECT_EQ(st.frees, all_frees);
  for (const SpanClassStats& c : st.span_classes) {
    int sc = MakeSpanClass(c.size_class, c.noscan);
    if (sc == kTinySpanClass) continue;  // mixes tiny blocks with 16-byte objects
    EXPECT_EQ(c.objects_in_use, objects[sc]) << "span class " << sc;
    EXPECT_EQ(c.mallocs, mallocs[sc]) << "span class " << sc;
    EXPECT_EQ(c.frees, frees[sc]) << "span class " << sc;
  }
  const HeapTotals& t = st.totals;
  EXPECT_EQ(t.sys - t.released,
            st.requested + st.rounding + st.tiny_waste + st.free_slots + st.tail_waste + t.idle);
  while (!live.empty()) release(live.size() - 1);
  h.ReleaseMCache(ps[0]);
  h.ReleaseMCache(ps[1]);
  ASSERT_EQ(h.Verify(), "");
  EXPECT_EQ(h.ReadTotals().inuse, 0u) << "every span went back to the heap";
  EXPECT_EQ(h.ReadStats().requested, 0u);
}

TEST(HeapDifferential, Seed1) { RunSeed(1, 8000, false); }
TEST(HeapDifferential, Seed2) { RunSeed(2, 8000, false); }
TEST(HeapDifferential, Seed20261125) { RunSeed(20261125, 8000, false); }
// Told it is single-threaded, the heap puts every object where it would with atomics.
TEST(HeapDifferential, SingleThreadedPlacesAsTheAtomicHeap) {
  for (uint64_t seed : {1, 20261207}) {
    std::vector<uint64_t> alone, atomic;
    RunSeed(seed, 8000, true, &alone);
    RunSeed(seed, 8000, false, &atomic);
    EXPECT_FALSE(alone.empty());
    EXPECT_EQ(alone, atomic) << "seed " << seed;
  }
}

}  // namespace
}  // namespace goalloc::alloc
