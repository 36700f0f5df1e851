// The engines on the in-process backends: cross-thread traces complete in parallel mode on
// 2–4 threads (run under tsan too), sim mode is deterministic, snapshots are exact (the
// allocator's own requested bytes equal the trace's live bytes at the paused event),
// --verify passes on good allocators and catches a broken one, bad options are refused.
#include "src/replay/replay.h"

#include <gtest/gtest.h>

#include "src/replay/engine.h"
#include "src/replay/in_process_replay.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/replay_result_json.h"
#include "src/replay/synthetic_traces.h"

namespace goalloc::replay {
namespace {

// Every field that does not depend on timing (or on this process's RSS).
nlohmann::json Untimed(const ReplayResult& r) {
  nlohmann::json j = r;
  for (const char* k : {"decode_seconds", "replay_seconds", "cpu_seconds", "events_per_second",
                        "baseline_rss_bytes", "peak_rss_bytes", "final_rss_bytes"}) {
    j.erase(k);
  }
  for (auto& lock : j["locks"]) lock.erase("wait_ns_total"), lock.erase("wait_ns_max");
  for (const char* s : {"at_end", "at_peak_live"}) {
    if (j[s]["go"].is_object()) {
      for (auto& lock : j[s]["go"]["locks"]) lock.erase("wait_ns_total"), lock.erase("wait_ns_max");
    }
  }
  return j;
}

void ExpectExactSnapshots(const PreparedTrace& t, const ReplayResult& r) {
  const TraceSummary& s = t.summary();
  EXPECT_EQ(r.verify_error, "");
  EXPECT_EQ(r.at_end.live, s.final_live_bytes);
  EXPECT_EQ(r.at_peak_live.live, s.peak_live_bytes);
  EXPECT_EQ(r.at_peak_live.event, s.peak_live_event);
  EXPECT_TRUE(r.at_peak_live.exact);
  if (r.allocator == "go") {
    ASSERT_TRUE(r.at_end.go.has_value());
    ASSERT_TRUE(r.at_peak_live.go.has_value());
    EXPECT_EQ(r.at_end.go->requested, s.final_live_bytes);
    EXPECT_EQ(r.at_peak_live.go->requested, s.peak_live_bytes);
    EXPECT_EQ(r.at_end.footprint, r.at_end.go->totals.footprint());
    EXPECT_GE(r.peak_footprint, r.at_peak_live.footprint);
  }
  EXPECT_EQ(r.events_replayed, t.events().size());
}

TEST(Replay, CrossThreadTraceCompletesInParallel) {
  const uint64_t seed = 42;
  for (uint32_t threads : {2u, 3u, 4u}) {
    auto t = PrepareEvents("producer-consumer", ProducerConsumerTrace(threads, 3000, seed));
    for (const char* allocator : {"go", "glibc"}) {
      SCOPED_TRACE(testing::Message() << allocator << " threads " << threads << " seed " << seed);
      ReplayResult r = ReplayInProcess(
          *t, {.allocator = allocator, .mode = "parallel", .timeline_samples = 50, .verify = true});
      EXPECT_EQ(r.mode, "parallel");
      EXPECT_EQ(r.threads, threads);
      EXPECT_TRUE(r.verified);
      ExpectExactSnapshots(*t, r);
      EXPECT_EQ(r.timeline.size(), 50u);
    }
    ReplayResult noop = Replay(*t, {.allocator = "noop", .timeline_samples = 10});
    EXPECT_EQ(noop.at_end.live, t->summary().final_live_bytes);
  }
}

TEST(Replay, MixedTraceOnEveryInProcessBackendAndMode) {
  const uint64_t seed = 5;
  auto t = PrepareEvents("mixed", MixedTrace(4, 20000, seed));
  for (const char* allocator : {"go", "glibc"}) {
    for (const char* mode : {"sim", "parallel"}) {
      SCOPED_TRACE(testing::Message() << allocator << " " << mode << " seed " << seed);
      ReplayResult r = ReplayInProcess(*t, {.allocator = allocator,
                                            .mode = mode,
                                            .timeline_samples = 100,
                                            .verify = true,
                                            .verify_every = 5000});
      ExpectExactSnapshots(*t, r);
      EXPECT_EQ(r.timeline.front().event, 0u);
      EXPECT_EQ(r.timeline.back().event, t->summary().events - 1);
      if (std::string(allocator) == "glibc") {
        ASSERT_TRUE(r.at_end.system.has_value());
        EXPECT_TRUE(r.at_end.system->has_mallinfo);
        EXPECT_EQ(r.threads, std::string(mode) == "sim" ? 1u : 4u);
      } else {
        EXPECT_EQ(r.threads, 4u);
        EXPECT_FALSE(r.locks.empty());
      }
    }
  }
}

// Parallel GC mode (run under tsan too): the Ps allocate, drop and sweep concurrently and
// the collector runs at the gate's stops. --verify's GC invariants hold, snapshots are exact,
// the bytes add up with garbage, GC points take no sample, and the cycles stay within a
// quarter (at least 2) of sim mode's, whose cycle ends parallel mode finds one GC point late.
TEST(Replay, GcModeInParallel) {
  const uint64_t seed = 11;
  const auto mixed = PrepareEvents("mixed", MixedTrace(4, 20000, seed));
  const auto pc = PrepareEvents("producer-consumer", ProducerConsumerTrace(3, 20000, seed));
  for (const auto* t : {mixed.get(), pc.get()}) {
    for (const uint32_t gogc : {0u, 100u}) {
      SCOPED_TRACE(testing::Message() << t->summary().path << " gogc " << gogc << " seed " << seed);
      ReplayOptions o{
          .allocator = "go", .mode = "parallel", .timeline_samples = 50, .verify = true};
      o.heap.gc.enabled = true;
      o.heap.gc.gogc = gogc;
      const ReplayResult par = ReplayInProcess(*t, o);
      o.mode = "sim";
      const ReplayResult sim = ReplayInProcess(*t, o);
      ExpectExactSnapshots(*t, par);
      EXPECT_EQ(par.timeline.size(), 50u);
      ASSERT_TRUE(par.gc && sim.gc);
      EXPECT_GT(par.gc->cycles, 0u);
      const double bound = std::max(2.0, 0.25 * double(sim.gc->cycles));
      EXPECT_NEAR(double(par.gc->cycles), double(sim.gc->cycles), bound);
      EXPECT_EQ(par.gc->heap_alloc_after_final_gc, par.gc->predicted_heap_alloc_after_final_gc);
      for (const Snapshot* s : {&par.at_end, &par.at_peak_live}) {
        const alloc::HeapStats& g = *s->go;
        EXPECT_EQ(g.totals.sys - g.totals.released, g.requested + g.garbage + g.rounding +
                                                        g.tiny_waste + g.free_slots + g.tail_waste +
                                                        g.totals.idle);
      }
    }
  }
}

TEST(Replay, SimIsDeterministic) {
  const uint64_t seed = 9;
  auto t = PrepareEvents("mixed", MixedTrace(3, 20000, seed));
  ReplayOptions o{.allocator = "go", .mode = "sim", .timeline_samples = 200};
  ReplayResult a = Replay(*t, o), b = Replay(*t, o);
  EXPECT_EQ(Untimed(a), Untimed(b)) << "seed " << seed;
  // Contention is zero by construction in sim mode.
  for (const auto& lock : a.locks) EXPECT_EQ(lock.contended, 0u) << lock.name;
  // Replay threads = Ps: 2 Ps for a 3-thread trace, tid mod 2.
  ReplayResult two = Replay(*t, {.allocator = "go", .mode = "sim", .threads = 2});
  EXPECT_EQ(two.threads, 2u);
  ExpectExactSnapshots(*t, two);
}

TEST(Replay, EmptyTrace) {
  auto t = PrepareEvents("empty", {});
  ReplayResult r = Replay(*t, {.allocator = "go"});
  EXPECT_EQ(r.events_replayed, 0u);
  EXPECT_TRUE(r.timeline.empty());
  EXPECT_TRUE(r.at_end.go.has_value());
}

TEST(Replay, RefusesBadOptions) {
  auto t = PrepareEvents("mixed", MixedTrace(1, 10, 1));
  EXPECT_THROW(Replay(*t, {.allocator = "tlsf"}), std::invalid_argument);
  EXPECT_THROW(Replay(*t, {.allocator = "go", .mode = "turbo"}), std::invalid_argument);
  EXPECT_THROW(Replay(*t, {.allocator = "noop", .verify = true}), std::invalid_argument);
  auto installed = InstalledAllocators();
  ASSERT_GE(installed.size(), 2u);
  EXPECT_EQ(installed[0], "go");
  EXPECT_EQ(installed[1], "glibc");
}

// A backend that breaks each promise --verify checks: realloc does not copy, calloc returns
// dirty memory (free hands the freed memory out next, unzeroed), aligned_alloc ignores the
// alignment, and objects overlap (the bump pointer wraps early).
class BrokenBackend {
 public:
  using Context = int;
  static constexpr bool kPerThreadContexts = false;
  static constexpr bool kFootprintPerEvent = false;
  Context ContextFor(uint32_t) { return 0; }
  void* Malloc(Context, uint64_t size, bool) { return Take(size); }
  void* Calloc(Context, uint64_t size, bool) { return Take(size); }
  void* AlignedAlloc(Context, uint64_t size, uint64_t, bool) {
    return static_cast<char*>(Take(size + 1)) + 1;
  }
  void* Realloc(Context, void*, uint64_t, uint64_t size, bool) { return Take(size); }
  void Free(Context, void* p, uint64_t) { next_ = uint64_t(static_cast<char*>(p) - memory_); }
  uint64_t Footprint() const { return 0; }
  void FillSample(Sample&) const {}
  void FillSnapshot(Snapshot&) const {}
  std::string Verify() const { return {}; }

 private:
  void* Take(uint64_t size) {
    void* p = memory_ + next_;
    next_ = (next_ + size + 15) / 16 * 16 % (sizeof memory_ / 2);  // wraps: objects overlap
    return p;
  }
  alignas(64) char memory_[1 << 16];
  uint64_t next_ = 0;
};

TEST(Replay, VerifyCatchesABrokenAllocator) {
  using trace::Op;
  struct Case {
    const char* what;
    std::vector<trace::Event> events;
  };
  const Case cases[] = {
      {"realloc",
       {{.op = Op::kMalloc, .id = 1, .size = 100},
        {.op = Op::kRealloc, .id = 1, .new_id = 1, .size = 200}}},
      {"calloc",
       {{.op = Op::kMalloc, .id = 1, .size = 100},
        {.op = Op::kFree, .id = 1},
        {.op = Op::kCalloc, .id = 2, .size = 20000},
        {.op = Op::kCalloc, .id = 3, .size = 20000}}},
      {"aligned_alloc", {{.op = Op::kAlignedAlloc, .id = 1, .size = 64, .align = 64}}},
      {"overwritten",
       {{.op = Op::kMalloc, .id = 1, .size = 16384},
        {.op = Op::kMalloc, .id = 2, .size = 16384},
        {.op = Op::kMalloc, .id = 3, .size = 16384},  // on top of 1
        {.op = Op::kFree, .id = 1}}},
  };
  for (const Case& c : cases) {
    auto t = PrepareEvents(c.what, c.events);
    auto b = std::make_unique<BrokenBackend>();
    ReplayResult r;
    CheckLog log(/*verify=*/true);
    SampleTaker<BrokenBackend> recorder(*b, *t, r, log);
    PointerTable table(t->slots());
    ThreadState state;
    RunSim(
        *b, *t, 1, table, {}, recorder, log, 0, state, [] {}, [] {});
    EXPECT_TRUE(log.failed()) << c.what;
    EXPECT_NE(log.first_failure().find(c.what), std::string::npos)
        << c.what << ": " << log.first_failure();
  }
}

TEST(Replay, ResultsSurviveJson) {
  auto t = PrepareEvents("mixed", MixedTrace(2, 3000, 4));
  ReplayResult r = Replay(*t, {.allocator = "go", .mode = "sim", .timeline_samples = 20});
  nlohmann::json j = r;
  EXPECT_EQ(nlohmann::json(j.get<ReplayResult>()), j);
  EXPECT_TRUE(j["timeline"][0]["heap"].is_object());
  ReplayResult g = ReplayInProcess(*t, {.allocator = "glibc", .timeline_samples = 20});
  nlohmann::json k = g;
  EXPECT_TRUE(k["at_end"]["go"].is_null());
  EXPECT_EQ(nlohmann::json(k.get<ReplayResult>()), k);
  EXPECT_THROW(nlohmann::json::object().get<ReplayResult>(), nlohmann::json::exception);
  // GC mode: the collector's figures and the garbage cross too (a corpus compare's workers
  // send their results this way).
  ReplayOptions o{.allocator = "go", .mode = "sim", .timeline_samples = 20};
  o.heap.gc.enabled = true;
  o.heap.gc.gogc = 25;
  ReplayResult gc = Replay(*t, o);
  ASSERT_TRUE(gc.gc);
  ASSERT_GT(gc.gc->cycles, 0u);
  nlohmann::json m = gc;
  ReplayResult back = m.get<ReplayResult>();
  EXPECT_EQ(nlohmann::json(back), m);
  ASSERT_TRUE(back.gc);
  EXPECT_EQ(back.gc->cycles, gc.gc->cycles);
  EXPECT_EQ(back.gc->cycle_log.size(), gc.gc->cycle_log.size());
  EXPECT_EQ(back.at_end.go->garbage, gc.at_end.go->garbage);
  EXPECT_TRUE(m.contains("size_classes"));
}

}  // namespace
}  // namespace goalloc::replay
