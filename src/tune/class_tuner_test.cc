// The tuner on hand-made histograms whose best table is known, and against brute force on
// small random ones (seed printed).
#include "src/tune/class_tuner.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

namespace goalloc::tune {
namespace {

using alloc::SizeClassRow;
using alloc::SizeClassTable;

double Objective(const std::vector<SizeClassRow>& rows, const Histogram& h) {
  const Waste w = PredictWaste(SizeClassTable::FromRows(rows), h);
  return double(w.total()) / double(h.requested());
}

TEST(ClassTuner, RoundToRules) {
  EXPECT_EQ(RoundToRules(1), 8u);
  EXPECT_EQ(RoundToRules(17), 24u);
  EXPECT_EQ(RoundToRules(25), 32u);
  EXPECT_EQ(RoundToRules(100), 112u);
  EXPECT_EQ(RoundToRules(1024), 1024u);
  EXPECT_EQ(RoundToRules(1025), 1152u);
  EXPECT_EQ(RoundToRules(32760), 32768u);
}

// Every object 100 B: 104 is not allowed (a multiple of 16 from 32 B), so 112 B, one page
// (73 slots, tail 16 B). 1000 objects: 14 spans; half a page for the partly filled one.
TEST(ClassTuner, EveryObject100BytesGivesOneClassOf112) {
  Histogram h{"hundreds", {{100, 0, true, 1000}}};
  Tuned t = TuneClasses({h}, 67);
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[2].size, 112u);
  EXPECT_EQ(t.rows[2].pages, 1u);
  const Waste w = PredictWaste(SizeClassTable::FromRows(t.rows), h);
  EXPECT_EQ(w.rounding, 12u * 1000);
  EXPECT_EQ(w.tail, 14u * 16);
  EXPECT_EQ(w.partial_spans, 4096u);
  EXPECT_DOUBLE_EQ(t.objective, double(w.total()) / 100000.0);
  // Go's table has 112 B too, with the same page: the same waste.
  EXPECT_EQ(PredictWaste(SizeClassTable::Go(), h).total(), w.total());
}

// Two sizes between Go's classes, 1100 B and 2600 B: Go rounds them to 1152 and 2688;
// multiples of 128 allow 1152 and 2688 too, so only pages can differ, and the tuner never
// does worse. With 3 classes (8, 16 and one more), both share 2688 B.
TEST(ClassTuner, FewerClassesMergeSizes) {
  Histogram h{"two", {{1100, 0, true, 500}, {2600, 0, true, 500}}};
  Tuned three = TuneClasses({h}, 3);
  ASSERT_EQ(three.rows.size(), 3u);
  EXPECT_EQ(three.rows[2].size, 2688u);
  Tuned four = TuneClasses({h}, 4);
  ASSERT_EQ(four.rows.size(), 4u);
  EXPECT_EQ(four.rows[2].size, 1152u);
  EXPECT_LE(Objective(four.rows, h), Objective(three.rows, h));
  EXPECT_LE(Objective(four.rows, h),
            double(PredictWaste(SizeClassTable::Go(), h).total()) / double(h.requested()));
}

TEST(ClassTuner, ScanObjectsCarryTheHeaderAndHeapBits) {
  Histogram h{"scan", {{600, 0, false, 100}, {64, 0, false, 1000}}};
  Tuned t = TuneClasses({h}, 67);
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[2].size, 64u);
  // 600 + the 8-byte header = 608 B, 13 a page (tail 288 B); 624 B also fits 13 with a tail
  // of 80 B: 16 B more rounding on 100 objects, 208 B less tail on each of 8 spans.
  EXPECT_EQ(t.rows[3].size, 624u);
  const Waste w = PredictWaste(SizeClassTable::FromRows(t.rows), h);
  EXPECT_EQ(w.rounding, 100u * 24);
  EXPECT_DOUBLE_EQ(t.objective, double(w.total()) / double(h.requested()));
}

// Every subset of the candidates (the largest always in); each class's size (every size the
// rules allow from its candidate to below the next) and pages chosen by trying all on the
// real table (the waste of a class does not depend on the others'), against the programme.
double BruteForce(const Histogram& h, const std::vector<uint32_t>& candidates, int max_classes) {
  double best = 1e300;
  const size_t m = candidates.size();
  for (uint32_t mask = 0; mask < (1u << (m - 1)); mask++) {
    std::vector<SizeClassRow> rows = {{8, 1}, {16, 1}};
    std::vector<uint32_t> limits;  // below the next candidate
    for (size_t i = 0; i < m; i++) {
      if (i != m - 1 && !(mask >> i & 1)) continue;
      rows.push_back({candidates[i], 1});
      limits.push_back(i + 1 < m ? candidates[i + 1] : alloc::kMaxSmallSize + 1);
    }
    if (int(rows.size()) > max_classes) continue;
    for (size_t r = 2; r < rows.size(); r++) {
      SizeClassRow best_row = rows[r];
      double best_cost = 1e300;
      for (uint32_t size = rows[r].size; size < limits[r - 2]; size += 8) {
        if (size % alloc::AlignmentStep(size) != 0) continue;
        for (uint32_t p = 1; p <= alloc::kMaxClassPages; p++) {
          if (!alloc::PagesProblem(size, p).empty()) continue;
          rows[r] = {size, p};
          const double cost = Objective(rows, h);
          if (cost < best_cost) best_cost = cost, best_row = rows[r];
        }
      }
      rows[r] = best_row;
    }
    best = std::min(best, Objective(rows, h));
  }
  return best;
}

TEST(ClassTuner, MatchesBruteForceOnSmallRandomHistograms) {
  constexpr unsigned kSeed = 20261207;
  std::printf("seed %u\n", kSeed);
  std::mt19937 rng(kSeed);
  for (int round = 0; round < 8; round++) {
    Histogram h{"random", {}};
    std::vector<uint32_t> candidates;
    for (int g = 0; g < 4; g++) {
      const uint64_t size = 17 + rng() % (round % 2 ? 3000 : 500);
      h.groups.push_back({size, 0, rng() % 3 != 0, 1 + rng() % 400});
      candidates.push_back(RoundToRules(size + (!h.groups.back().noscan && size > 512 ? 8 : 0)));
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (int n : {3, 4, 6}) {
      const Tuned t = TuneClasses({h}, n);
      EXPECT_LE(int(t.rows.size()), n);
      const double dp = Objective(t.rows, h);
      EXPECT_NEAR(dp, t.objective, 1e-12) << "round " << round << " classes " << n;
      EXPECT_NEAR(dp, BruteForce(h, candidates, n), 1e-12) << "round " << round << " classes " << n;
    }
  }
}

// 42 objects of 4480 B: 5 pages (9 a span, tail 640 B) cost 5 tails + half a span, 23680 B,
// the least (3 pages: 9 × 2176 + 12288; 4 pages: 6 × 1408 + 16384; 23 pages, which hold the
// 42 exactly: 256 + 94208). Go's rule gives 4480 B 3 pages, and kGoRule keeps to that.
TEST(ClassTuner, PageLimit) {
  Histogram h{"pages", {{4480, 0, true, 42}}};
  const Tuned any = TuneClasses({h}, 67, PageLimit::kAny);
  ASSERT_EQ(any.rows.size(), 3u);
  EXPECT_EQ(any.rows[2].pages, 5u);
  const Waste w = PredictWaste(SizeClassTable::FromRows(any.rows), h);
  EXPECT_EQ(w.tail + w.partial_spans, 23680u);
  const Tuned rule = TuneClasses({h}, 67, PageLimit::kGoRule);
  ASSERT_EQ(rule.rows.size(), 3u);
  EXPECT_EQ(alloc::PagesByGoRule(4480), 3u);
  EXPECT_LE(rule.rows[2].pages, 3u);
  EXPECT_LT(any.objective, rule.objective);
}

// Two free classes for three sizes: 1000 B (both traces) needs 1008 B, and the other holds
// either trace a's 100 B objects (112 B) or trace b's 200 B (208 B). The weights decide.
TEST(ClassTuner, WeightsDecideBetweenTraces) {
  Histogram a{"a", {{100, 0, true, 1000}, {1000, 0, true, 10}}};
  Histogram b{"b", {{200, 0, true, 1000}, {1000, 0, true, 10}}};
  a.weight = 10;
  const Tuned for_a = TuneClasses({a, b}, 4);
  ASSERT_EQ(for_a.rows.size(), 4u);
  EXPECT_EQ(for_a.rows[2].size, 112u);
  EXPECT_EQ(for_a.rows[3].size, 1024u);  // 8 a page like 1008 B, and no tail
  a.weight = 1;
  b.weight = 10;
  const Tuned for_b = TuneClasses({a, b}, 4);
  EXPECT_EQ(for_b.rows[2].size, 208u);
  // The objective is Σ weight × waste / requested of each trace.
  const SizeClassTable t = SizeClassTable::FromRows(for_b.rows);
  EXPECT_NEAR(for_b.objective,
              double(PredictWaste(t, a).total()) / double(a.requested()) +
                  10 * double(PredictWaste(t, b).total()) / double(b.requested()),
              1e-12);
}

TEST(ClassTuner, FloorIsOneClassPerRoundedSize) {
  Histogram h{"f", {{100, 0, true, 10}, {110, 0, true, 10}, {40000, 0, true, 1}, {3, 0, true, 5}}};
  const Waste f = FloorWaste(h);
  EXPECT_EQ(f.rounding, 10u * 12 + 10u * 2 + (5 * 8192 - 40000));
  EXPECT_EQ(f.requested, 1000u + 1100 + 40000);  // tiny objects left out
}

TEST(ClassTuner, ScalesToEveryDistinctSize) {
  Histogram h{"all", {}};
  for (uint64_t s = 1; s <= 32760; s++) h.groups.push_back({s, 0, s % 2 == 0, 1 + s % 7});
  const Tuned t = TuneClasses({h}, 67);
  EXPECT_EQ(t.rows.size(), 67u);
  EXPECT_LE(Objective(t.rows, h),
            double(PredictWaste(SizeClassTable::Go(), h).total()) / double(h.requested()));
}

}  // namespace
}  // namespace goalloc::tune
