// A replay in this process (see in_process_replay.h).
#include "src/replay/in_process_replay.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "src/replay/above_baseline.h"
#include "src/replay/backend.h"
#include "src/replay/engine.h"
#include "src/replay/go_backend.h"
#include "src/replay/noop_backend.h"
#include "src/replay/process_stats.h"
#include "src/replay/progress.h"
#include "src/replay/replay_window.h"
#include "src/replay/sample_plan.h"
#include "src/replay/system_backend.h"

namespace goalloc::replay {
namespace {

template <Backend B>
ReplayResult Run(B& b, const PreparedTrace& trace, const ReplayOptions& options, uint32_t threads) {
  const bool parallel = options.mode.parallel();
  ReplayResult r;
  r.allocator = options.allocator.name();
  r.mode = options.mode.name();
  b.Describe(r, options);
  r.threads = parallel || B::kPerThreadContexts ? threads : 1;
  r.decode_seconds = trace.decode_seconds();
  uint64_t gc_point_bytes = 0;  // parallel GC mode's stops (go_backend.h)
  if constexpr (requires { b.GcPointBytes(trace); }) gc_point_bytes = b.GcPointBytes(trace);
  const HugeVector<SamplePoint> points =
      PlanSamples(trace, options.timeline_samples, gc_point_bytes);
  HugeVector<ThreadEvents> work;
  if (parallel) work = SplitByThread(trace, threads, points);
  PointerTable table(trace.slots());
  CheckLog log(options.verify);
  HugeVector<ThreadState> states(parallel ? threads : 1);
  SampleTaker<B> recorder(b, trace, r, log);
  // Every sample and the state before the first event: no growth during the replay.
  r.timeline.reserve(points.size() + 1);
  const ReplayWindow window;

  // The baseline, once the replay threads are started: what the allocator holds from here
  // on is the replay's.
  bool peak_reset = false;
  auto start = [&] {
    b.PrepareBaseline();
    r.baseline_rss_bytes = ResidentBytes();
    b.RecordBaseline(r.baseline_rss_bytes, r);
    peak_reset = ResetPeakResident();
    recorder.TakeBeforeFirstIfSkipped();
    window.Open();
  };
  auto end = [&] { window.Close(); };

  EngineTiming timing;
  {
    ProgressThread meter(options.progress, fmt::format("replay on {}", options.allocator.name()),
                         trace.events().size(), [&] {
                           uint64_t n = 0;
                           for (const auto& s : states)
                             n += s.events.load(std::memory_order_relaxed);
                           return n;
                         });
    const uint64_t verify_every = options.verify ? options.verify_every : 0;
    timing = parallel ? RunParallel(b, work, table, points, recorder, log,
                                    std::span<ThreadState>(states), start, end)
                      : RunSim(b, trace, B::kPerThreadContexts ? threads : 1, table, points,
                               recorder, log, verify_every, states[0], start, end);
  }
  r.final_rss_bytes = AboveBaseline(ResidentBytes(), r.baseline_rss_bytes);
  r.peak_rss_bytes =
      std::max(AboveBaseline(PeakResidentBytes(), r.baseline_rss_bytes), r.final_rss_bytes);
  if (!peak_reset) {
    fmt::print(stderr, "warning: could not reset VmHWM; peak RSS may include decoding\n");
  }
  r.replay_seconds = timing.wall_seconds;
  r.cpu_seconds = timing.cpu_seconds;
  r.events_replayed = trace.events().size();
  r.events_per_second =
      timing.wall_seconds > 0 ? double(r.events_replayed) / timing.wall_seconds : 0;
  if (points.empty()) {  // no events: the state before any
    b.FillSnapshot(r.at_end);
    r.at_peak_live = r.at_end;
    recorder.Observe(r.at_end.footprint, 0, 0);
  }

  b.AfterReplay(r, trace, log.fatal());
  if (options.verify) {
    if (std::string err = b.Verify(); !err.empty()) log.Fail("heap check at the end: " + err);
  }
  b.ReleaseObjects(table);
  if (log.fatal()) {
    throw ReplayFailed(
        fmt::format("{}: event {}: {}", trace.summary().path,
                    trace.OriginalIndex(CompactIndexOf(trace, work, log.fatal_event())),
                    b.WhyFailed(options.allocator.name(), log.fatal_message())));
  }
  r.verified = options.verify;
  if (log.failed()) {
    r.verify_error = log.first_failure();
    if (log.failures() > 1) r.verify_error += fmt::format(" (and {} more)", log.failures() - 1);
  }
  return r;
}

}  // namespace

ReplayResult ReplayInProcess(const PreparedTrace& trace, const ReplayOptions& options) {
  const uint32_t threads =
      options.threads != 0 ? options.threads : std::max<uint32_t>(1, trace.summary().threads);
  const std::string_view name = options.allocator.name();
  // sim mode runs every P on this thread, and parallel mode runs one thread per P.
  alloc::HeapConfig heap = options.heap;
  heap.single_threaded = !options.mode.parallel() || threads == 1;
  if (name == "go" && heap.gc.enabled && options.mode.parallel()) {
    GoGcBackend<true> b(heap, threads);
    return Run(b, trace, options, threads);
  }
  if (name == "go" && heap.gc.enabled) {
    GoGcBackend<false> b(heap, threads);
    return Run(b, trace, options, threads);
  }
  if (name == "go") {
    GoBackend b(heap, threads);
    return Run(b, trace, options, threads);
  }
  if (name == "noop") {
    if (options.verify) throw std::invalid_argument("the noop backend cannot be verified");
    const auto sizes = trace.begin_sizes();
    const uint64_t max_object = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
    uint64_t max_align = 16;
    for (const ReplayEvent& e : trace.events()) {
      if (e.op == trace::Op::kAlignedAlloc) max_align = std::max(max_align, e.align());
    }
    NoopBackend b(threads, max_object, max_align);
    return Run(b, trace, options, threads);
  }
  SystemBackend b{std::string(name)};
  return Run(b, trace, options, threads);
}

}  // namespace goalloc::replay
