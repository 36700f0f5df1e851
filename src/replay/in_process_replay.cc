// A replay in this process (see in_process_replay.h).
#include "src/replay/in_process_replay.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <type_traits>
#include <vector>

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

uint64_t Minus(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

template <class B>
ReplayResult Run(B& b, const PreparedTrace& trace, const ReplayOptions& options, bool parallel,
                 uint32_t threads) {
  ReplayResult r;
  r.allocator = options.allocator;
  r.mode = parallel ? "parallel" : "sim";
  if constexpr (std::is_same_v<B, GoBackend>) r.size_classes = options.size_classes;
  r.threads = parallel || B::kPerThreadContexts ? threads : 1;
  r.decode_seconds = trace.decode_seconds();
  const HugeVector<SamplePoint> points = PlanSamples(trace, options.timeline_samples);
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
    if constexpr (std::is_same_v<B, SystemBackend>) b.PrepareBaseline();
    r.baseline_rss_bytes = ResidentBytes();
    if constexpr (std::is_same_v<B, SystemBackend>) {
      b.set_baseline(r.baseline_rss_bytes);
      r.allocator_stats_source = b.stats().source();
      r.allocator_stats_baseline = b.stats().Read();
    }
    peak_reset = ResetPeakResident();
    recorder.TakeBeforeFirstIfSkipped();
    window.Open();
  };
  auto end = [&] { window.Close(); };

  EngineTiming timing;
  {
    ProgressThread meter(options.progress, "replay on " + options.allocator, trace.events().size(),
                         [&] {
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
  r.final_rss_bytes = Minus(ResidentBytes(), r.baseline_rss_bytes);
  r.peak_rss_bytes = std::max(Minus(PeakResidentBytes(), r.baseline_rss_bytes), r.final_rss_bytes);
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

  if constexpr (std::is_same_v<B, GoGcBackend>) {
    if (!log.fatal()) r.gc = b.Finish([&](uint64_t i) { return trace.OriginalIndex(i); });
  }
  if constexpr (std::is_base_of_v<GoBackend, B>) {
    if (r.at_end.go) r.locks = r.at_end.go->locks;
    b.ReleaseContexts();
    if (options.verify) {
      if (std::string err = b.Verify(); !err.empty()) log.Fail("heap check at the end: " + err);
    }
  }
  if constexpr (std::is_same_v<B, SystemBackend>) {
    // The sampled footprint can miss the true peak between samples; VmHWM cannot.
    if (r.peak_rss_bytes > r.peak_footprint) r.peak_footprint = r.peak_rss_bytes;
    table.ForEachLive([](void* p) { std::free(p); });  // the next replay starts clean
  }
  if (log.fatal()) {
    // Where the heap says why; the system allocators' malloc only says that it failed.
    std::string why = options.allocator + ": " + log.fatal_message();
    if constexpr (std::is_base_of_v<GoBackend, B>) {
      why = fmt::format("go heap: {} ({})", b.heap().LastFailure(), log.fatal_message());
    }
    throw ReplayFailed(
        fmt::format("{}: event {}: {}", trace.summary().path,
                    trace.OriginalIndex(CompactIndexOf(trace, work, log.fatal_event())), why));
  }
  r.verified = options.verify;
  if (log.failed()) {
    r.verify_error = log.first_failure();
    if (log.failures() > 1) r.verify_error += fmt::format(" (and {} more)", log.failures() - 1);
  }
  return r;
}

}  // namespace

std::string ResolveMode(const std::string& mode) {
  if (mode.empty()) return "parallel";
  if (mode == "sim" || mode == "parallel") return mode;
  throw std::invalid_argument(fmt::format("unknown mode '{}' (sim or parallel)", mode));
}

ReplayResult ReplayInProcess(const PreparedTrace& trace, const ReplayOptions& options) {
  const bool parallel = ResolveMode(options.mode) == "parallel";
  const uint32_t threads =
      options.threads != 0 ? options.threads : std::max<uint32_t>(1, trace.summary().threads);
  if (options.allocator == "go" && options.heap.gc.enabled) {
    if (parallel) {
      throw std::invalid_argument(
          "GC mode (--gogc, --memory-limit) on the go allocator runs in sim mode only");
    }
    GoGcBackend b(options.heap, threads);
    return Run(b, trace, options, parallel, threads);
  }
  if (options.allocator == "go") {
    GoBackend b(options.heap, threads);
    return Run(b, trace, options, parallel, threads);
  }
  if (options.allocator == "noop") {
    if (options.verify) throw std::invalid_argument("the noop backend cannot be verified");
    const auto sizes = trace.begin_sizes();
    const uint64_t max_object = sizes.empty() ? 0 : *std::max_element(sizes.begin(), sizes.end());
    uint64_t max_align = 16;
    for (const ReplayEvent& e : trace.events()) {
      if (e.op == trace::Op::kAlignedAlloc) max_align = std::max(max_align, e.align());
    }
    NoopBackend b(threads, max_object, max_align);
    return Run(b, trace, options, parallel, threads);
  }
  SystemBackend b(options.allocator);
  return Run(b, trace, options, parallel, threads);
}

}  // namespace goalloc::replay
