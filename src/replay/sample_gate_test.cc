// The sample-point gate on its own: threads with random pause positions (many with no
// events between points, so they arrive at several points at once), checking that every
// point is taken once, in order, while each thread stands exactly at its pause position.
#include "src/replay/sample_gate.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <thread>
#include <vector>

namespace goalloc::replay {
namespace {

void RunGate(uint32_t threads, uint64_t points, uint64_t seed) {
  std::printf("threads %u points %llu seed %llu\n", threads, (unsigned long long)points,
              (unsigned long long)seed);
  std::mt19937_64 rng(seed);
  // pause_before[r][p]: thread r's events done when point p is taken.
  std::vector<std::vector<uint64_t>> pause_before(threads);
  std::vector<uint64_t> events(threads);
  for (uint32_t r = 0; r < threads; ++r) {
    uint64_t at = 0;
    for (uint64_t p = 0; p < points; ++p) {
      if (rng() % 3 == 0) at += rng() % 50;  // often no events of r before the next point
      pause_before[r].push_back(at);
    }
    events[r] = at + rng() % 50;
  }
  std::vector<std::atomic<uint64_t>> done(threads);
  std::vector<uint64_t> taken_order;
  bool positions_ok = true;
  SampleGate gate(threads, points);
  auto take = [&](uint64_t p) {
    taken_order.push_back(p);
    for (uint32_t r = 0; r < threads; ++r) {
      if (done[r].load() != pause_before[r][p]) positions_ok = false;
    }
  };
  std::vector<std::thread> ts;
  for (uint32_t r = 0; r < threads; ++r) {
    ts.emplace_back([&, r] {
      uint64_t next_point = 0;
      for (uint64_t i = 0; i < events[r]; ++i) {
        if (next_point < points && pause_before[r][next_point] == i) {
          while (next_point < points && pause_before[r][next_point] == i) ++next_point;
          gate.Arrive(r, next_point, take);
          gate.Wait(r, next_point);
        }
        done[r].fetch_add(1);
        if (i % 7 == 0) std::this_thread::yield();
      }
      gate.Arrive(r, points, take);
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(gate.taken(), points);
  ASSERT_EQ(taken_order.size(), points);
  for (uint64_t p = 0; p < points; ++p) EXPECT_EQ(taken_order[p], p);
  EXPECT_TRUE(positions_ok) << "a point was taken while a thread was not at its position";
}

TEST(SampleGate, EveryPointTakenOnceInOrderAtExactPositions) {
  RunGate(2, 300, 1);
  RunGate(4, 300, 2);
  RunGate(7, 200, 3);  // more threads than cores
}

TEST(SampleGate, NoPoints) { RunGate(3, 0, 4); }

}  // namespace
}  // namespace goalloc::replay
