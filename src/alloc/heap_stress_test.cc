// Multi-threaded stress: 2, 4 and 8 threads, each its own P, allocating mixed sizes and
// handing half their objects to other threads to free (cross-P frees into spans the
// allocating P is still using) while the scavenger runs often, with every object's
// pattern checked before its free;
// Verify at the end. And a producer whose objects all die on the other threads, which free
// them into spans it still holds and spans it gave back, without the mcentral locks but for a
// span's list moves. Run under --config=tsan and --config=asan in CI.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "src/alloc/heap.h"

namespace goalloc::alloc {
namespace {

struct Obj {
  uint8_t* p;
  size_t size;
  uint8_t tag;
};

void Stress(int threads, int ops_per_thread, uint64_t seed) {
  std::printf("threads %d seed %llu\n", threads, static_cast<unsigned long long>(seed));
  // Scavenge often, so that it races with allocation on other Ps: retained bytes above
  // inuse + 256 KiB are released.
  HeapConfig cfg;
  cfg.cycle_min_bytes = 256 << 10;
  cfg.gc_percent = 0;
  cfg.retain_ratio = 0;
  Heap h(cfg);
  std::mutex mu;
  std::vector<std::deque<Obj>> inbox(threads);  // objects for thread i to free
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; t++) {
    ts.emplace_back([&, t] {
      MCache* c = h.NewMCache();
      std::mt19937_64 rng(seed + t);
      std::vector<Obj> mine;
      auto free_obj = [&](const Obj& o) {
        for (size_t i = 0; i < o.size; i++) {
          if (o.p[i] != o.tag) {
            ADD_FAILURE() << "object overwritten";
            break;
          }
        }
        h.Free(c, o.p, o.size);
      };
      for (int i = 0; i < ops_per_thread; i++) {
        size_t size = rng() % 8 == 0 ? 1 + rng() % 50000 : rng() % 300;
        bool noscan = rng() % 2;
        auto* p = static_cast<uint8_t*>(h.Malloc(c, size, noscan));
        Obj o{p, size, uint8_t(rng())};
        std::memset(p, o.tag, size);
        if (rng() % 2) {
          std::lock_guard<std::mutex> g(mu);
          inbox[(t + 1 + rng() % (threads - 1)) % threads].push_back(o);
        } else {
          mine.push_back(o);
        }
        if (mine.size() > 200) {
          size_t k = rng() % mine.size();
          free_obj(mine[k]);
          mine[k] = mine.back();
          mine.pop_back();
        }
        std::vector<Obj> todo;
        {
          std::lock_guard<std::mutex> g(mu);
          while (inbox[t].size() > 50) {
            todo.push_back(inbox[t].front());
            inbox[t].pop_front();
          }
        }
        for (const Obj& x : todo) free_obj(x);
      }
      for (const Obj& o : mine) free_obj(o);
      h.ReleaseMCache(c);
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(h.Verify(), "");
  MCache* c = h.NewMCache();
  for (auto& q : inbox) {
    for (const Obj& o : q) h.Free(c, o.p, o.size);
  }
  h.ReleaseMCache(c);
  EXPECT_EQ(h.Verify(), "");
  HeapStats st = h.ReadStats();
  EXPECT_EQ(st.requested, 0u);
  EXPECT_EQ(st.totals.inuse, 0u);
  EXPECT_EQ(st.mallocs, st.frees);
  EXPECT_GT(st.scavenged_bytes, 0u);
}

// One producer P allocating small objects of four classes and handing every one to the
// consumers, which free them while it goes on allocating: the spans it filled are drained
// by other Ps, through posts to spans it caches and to spans in mcentral.
void ProducerConsumers(int consumers, int objects, uint64_t seed) {
  std::printf("consumers %d seed %llu\n", consumers, static_cast<unsigned long long>(seed));
  Heap h(HeapConfig{});
  std::mutex mu;
  std::vector<std::deque<Obj>> inbox(consumers);
  bool done = false;
  std::thread producer([&] {
    MCache* c = h.NewMCache();
    std::mt19937_64 rng(seed);
    for (int i = 0; i < objects; i++) {
      size_t size = size_t{32} << (rng() % 4);  // 32..256 B: 32 to 256 slots a span
      auto* p = static_cast<uint8_t*>(h.Malloc(c, size, true));
      Obj o{p, size, uint8_t(rng())};
      std::memset(p, o.tag, size);
      std::lock_guard<std::mutex> g(mu);
      inbox[rng() % consumers].push_back(o);
    }
    h.ReleaseMCache(c);
    std::lock_guard<std::mutex> g(mu);
    done = true;
  });
  std::vector<std::thread> ts;
  for (int t = 0; t < consumers; t++) {
    ts.emplace_back([&, t] {
      MCache* c = h.NewMCache();
      for (;;) {
        std::deque<Obj> todo;
        bool finished;
        {
          std::lock_guard<std::mutex> g(mu);
          todo.swap(inbox[t]);
          finished = done;
        }
        for (const Obj& o : todo) {
          for (size_t i = 0; i < o.size; i++) {
            if (o.p[i] != o.tag) {
              ADD_FAILURE() << "object overwritten";
              break;
            }
          }
          h.Free(c, o.p, o.size);
        }
        if (finished && todo.empty()) break;
        if (todo.empty()) std::this_thread::yield();
      }
      h.ReleaseMCache(c);
    });
  }
  producer.join();
  for (auto& t : ts) t.join();
  EXPECT_EQ(h.Verify(), "");
  HeapStats st = h.ReadStats();
  EXPECT_EQ(st.requested, 0u);
  EXPECT_EQ(st.totals.inuse, 0u) << "every span drained by the consumers went back";
  EXPECT_EQ(st.frees, uint64_t(objects));
  uint64_t central = 0;
  for (const LockStats& l : st.locks) {
    if (l.name.starts_with("mcentral")) central += l.acquisitions;
  }
  // Per span: cacheSpan, uncacheSpan, its move to partial, its last free; at least 32 slots.
  std::printf("%llu mcentral locks for %d frees\n", static_cast<unsigned long long>(central),
              objects);
  EXPECT_LT(central * 4, uint64_t(objects));
}

TEST(HeapStress, ProducerWhoseObjectsDieOnOneOtherThread) { ProducerConsumers(1, 40000, 21); }
TEST(HeapStress, ProducerWhoseObjectsDieOnThreeOtherThreads) { ProducerConsumers(3, 40000, 22); }

TEST(HeapStress, TwoThreads) { Stress(2, 10000, 11); }
TEST(HeapStress, FourThreads) { Stress(4, 6000, 12); }
TEST(HeapStress, EightThreads) { Stress(8, 3000, 13); }

}  // namespace
}  // namespace goalloc::alloc
