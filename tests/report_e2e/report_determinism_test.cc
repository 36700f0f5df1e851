// A sim-mode report is identical from run to run apart from the fields docs/report.md marks
// as varying (times and RSS), on a multi-threaded trace with cross-thread frees.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

using nlohmann::json;

std::string ThreeThreadTrace() {
  constexpr unsigned kSeed = 20261125;
  std::printf("seed %u\n", kSeed);
  std::mt19937 rng(kSeed);
  json events = json::array();
  std::vector<int> live;
  int next_id = 0;
  for (int i = 0; i < 6000; ++i) {
    const int tid = int(rng() % 3);
    if (!live.empty() && rng() % 5 < 2) {
      size_t k = rng() % live.size();
      events.push_back({{"op", "free"}, {"tid", tid}, {"id", live[k]}});  // any thread's
      live[k] = live.back();
      live.pop_back();
    } else {
      const uint64_t size = rng() % 8 == 0 ? 1 + rng() % 70000 : 1 + rng() % 600;
      events.push_back({{"op", "malloc"},
                        {"tid", tid},
                        {"id", next_id},
                        {"size", size},
                        {"scan", rng() % 2 == 0}});
      live.push_back(next_id++);
    }
  }
  return WriteTrace("three_threads.json", events);
}

json WithoutVaryingFields(json report, bool gc_mode = false) {
  for (const Field& f : DocFields("Replay report fields")) {
    if (gc_mode ? f.varies_in_gc_mode : f.varies) {
      ForEachMatch(report, f.path, [](json& node) { node = nullptr; });
    }
  }
  return report;
}

TEST(ReportDeterminism, SimReportsAreIdenticalApartFromTimes) {
  const std::string trace = ThreeThreadTrace();
  json first = ReportOf({"replay", trace, "--mode", "sim", "--timeline", "100"});
  json second = ReportOf({"replay", trace, "--mode", "sim", "--timeline", "100"});
  EXPECT_EQ(first["replay"]["threads"], 3);
  EXPECT_NE(first["replay"]["replay_seconds"], nullptr);
  EXPECT_EQ(WithoutVaryingFields(first).dump(1), WithoutVaryingFields(second).dump(1));
}

// GC mode's collector is a deterministic model: cycles, goals and the whole cycle log too.
TEST(ReportDeterminism, GcModeReportsAreIdenticalApartFromTimes) {
  const std::string trace = ThreeThreadTrace();
  const std::vector<std::string> args = {"replay", trace, "--gogc", "25", "--timeline", "100"};
  json first = ReportOf(args);
  json second = ReportOf(args);
  ASSERT_GT(first["gc"]["cycles"], 0);
  EXPECT_EQ(WithoutVaryingFields(first, true).dump(1), WithoutVaryingFields(second, true).dump(1));
}

}  // namespace
}  // namespace goalloc::report_e2e
