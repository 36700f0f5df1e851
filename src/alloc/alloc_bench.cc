// Google Benchmark: malloc+free pairs at fixed sizes and a random-size random-order batch,
// for the Go-style heap (one P) and glibc, in the same binary so the ratio is meaningful.
// scripts/bench-alloc runs it and prints go/glibc per case.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <vector>

#include "src/alloc/heap.h"

namespace goalloc::alloc {
namespace {

struct GoHeap {
  Heap heap;
  MCache* c = heap.NewMCache();
  ~GoHeap() { heap.ReleaseMCache(c); }
  void* Malloc(size_t n) { return heap.Malloc(c, n, true); }
  void Free(void* p, size_t n) { heap.Free(c, p, n); }
};

struct Glibc {
  void* Malloc(size_t n) { return std::malloc(n); }
  void Free(void* p, size_t) { std::free(p); }
};

template <typename A>
void BM_Pair(benchmark::State& state) {
  A a;
  size_t size = size_t(state.range(0));
  for (auto _ : state) {
    void* p = a.Malloc(size);
    benchmark::DoNotOptimize(p);
    a.Free(p, size);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

// 1000 objects of random sizes (mostly small, some large), freed in random order.
template <typename A>
void BM_RandomBatch(benchmark::State& state) {
  A a;
  std::mt19937_64 rng(1);
  std::vector<size_t> sizes(1000);
  for (size_t& s : sizes) {
    int k = int(rng() % 100);
    s = k < 60   ? 1 + rng() % 128
        : k < 90 ? 129 + rng() % 2000
        : k < 99 ? 2048 + rng() % 30000
                 : 32768 + rng() % 200000;
  }
  std::vector<size_t> order(sizes.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<void*> ps(sizes.size());
  for (auto _ : state) {
    for (size_t i = 0; i < sizes.size(); i++) ps[i] = a.Malloc(sizes[i]);
    benchmark::DoNotOptimize(ps.data());
    for (size_t i : order) a.Free(ps[i], sizes[i]);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * int64_t(sizes.size()));
}

#define PAIR_SIZES ->Arg(16)->Arg(64)->Arg(256)->Arg(1024)->Arg(8192)->Arg(100000)
BENCHMARK_TEMPLATE(BM_Pair, GoHeap) PAIR_SIZES;
BENCHMARK_TEMPLATE(BM_Pair, Glibc) PAIR_SIZES;
BENCHMARK_TEMPLATE(BM_RandomBatch, GoHeap);
BENCHMARK_TEMPLATE(BM_RandomBatch, Glibc);

}  // namespace
}  // namespace goalloc::alloc

BENCHMARK_MAIN();
