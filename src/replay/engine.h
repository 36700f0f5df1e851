// The two replay engines, templated on the backend so that the per-event path is direct
// calls (no virtual dispatch between the event array and the allocator).
//
// A Backend provides:
//   using Context = ...;                 // per replay thread: Go's P (an mcache), nothing, or
//                                        // state by value (the noop backend's bump pointer):
//                                        // the loop holds it and passes it by reference
//   static constexpr bool kPerThreadContexts;  // sim mode keeps a context per replay thread
//   static constexpr bool kFootprintPerEvent;  // sim mode checks the footprint after every event
//   Context ContextFor(uint32_t replay_thread);
//   void* Malloc(Context&, uint64_t size, bool scan);      // Context or Context&
//   void* Calloc(Context&, uint64_t size, bool scan);
//   void* AlignedAlloc(Context&, uint64_t size, uint64_t align, bool scan);
//   void* Realloc(Context&, void* p, uint64_t old_size, uint64_t size, bool scan);
//   void Free(Context&, void* p, uint64_t size);
//   uint64_t Footprint();                // now (only called when kFootprintPerEvent)
//   void FillSample(Sample&);            // footprint (and heap totals) for the timeline
//   void FillSnapshot(Snapshot&);        // full stats (peak live, end)
//   std::string Verify();                // "" when the allocator's own checks pass
// Allocation functions return null only on failure.
//
// sim: one OS thread runs the events in recorded order; event of recorded thread t runs on
// the context of replay thread t mod N (N = 1 unless kPerThreadContexts).
// parallel: one OS thread per replay thread runs its own events in order; a free/realloc of
// an object allocated on another thread waits for that object's publication in the pointer
// table, nothing else. At each sample point k every thread stops before its first event
// with index > k, and the thread whose arrival completes the point takes the snapshot while
// the others wait (Go's stop-the-world for ReadMemStats; sample_gate.h). This cannot
// deadlock: a thread only ever waits for an allocation with a smaller index than the event
// it is running, so by induction on the index every event <= k completes before any thread
// has to pause at k.
#pragma once

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "src/replay/check_log.h"
#include "src/replay/pointer_table.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/process_stats.h"
#include "src/replay/replay_result.h"
#include "src/replay/sample_gate.h"
#include "src/replay/sample_plan.h"
#include "src/replay/touch_pattern.h"

namespace goalloc::replay {

// Replay threads report their progress every this many events (a relaxed store to their
// own cache line).
inline constexpr uint64_t kProgressStride = 4096;

// An index the loops never reach: no further stop of that kind.
inline constexpr uint64_t kNever = ~uint64_t{0};

// Per replay thread, on its own cache line: events done (for the progress display) and the
// requested bytes its events allocated minus those they freed, as of its last housekeeping
// stop (LoopRegisters::Flush; every sample point is one). A thread that frees another's
// objects holds a negative share, kept modulo 2^64 so that the sum over the threads is exact.
// The snapshot taker sums the shares while every thread is paused (the pause orders them), so
// snapshots carry the live bytes the replay really holds, checked against the trace's own figure.
// When the thread is done (parallel mode): its CPU time from before its first event to after
// its last, and the wall clock then.
struct alignas(64) ThreadState {
  std::atomic<uint64_t> events{0};
  uint64_t live = 0;
  double cpu_seconds = 0, done_at = 0;
};

inline uint64_t LiveBytes(std::span<const ThreadState> states) {
  uint64_t live = 0;
  for (const ThreadState& s : states) live += s.live;
  return live;
}

// Turns sample points into ReplayResult samples and snapshots, and keeps the peak footprint.
template <class B>
class SampleTaker {
 public:
  SampleTaker(B& backend, const PreparedTrace& trace, ReplayResult& result, CheckLog& log)
      : backend_(backend), trace_(trace), result_(result), log_(log) {}

  // Sample point p, where the replay holds `live` requested bytes. Skipped (inconsistent)
  // events change nothing, so the end point stands for the trace's last event even when
  // that and others before it were skipped; `t` is then unknown (skipped events keep none).
  void Take(const SamplePoint& p, uint64_t live) {
    const uint64_t last_event = trace_.summary().events - 1;
    const bool ends_skipped = p.end && trace_.OriginalIndex(p.index) != last_event;
    const uint64_t event = ends_skipped ? last_event : trace_.OriginalIndex(p.index);
    if (live != p.live) {
      log_.Fail(fmt::format("after event {} the replay holds {} live bytes, the trace {}", event,
                            live, p.live));
    }
    // A stop of every thread: parallel GC mode's collector runs here, before the sample.
    if constexpr (requires { backend_.AtStop(p.index); }) backend_.AtStop(p.index);
    if (p.timeline) {
      Sample s;
      s.event = event;
      s.t = ends_skipped ? trace::kNoTime : trace_.TimeOf(p.index);
      s.live = live;
      backend_.FillSample(s);
      Observe(s.footprint, p.index, live);
      result_.timeline.push_back(std::move(s));
    }
    if (p.peak_live || p.end) {
      Snapshot snap;
      snap.event = event;
      snap.exact = true;
      snap.live = live;
      backend_.FillSnapshot(snap);
      Observe(snap.footprint, p.index, live);
      if (p.end) result_.at_end = snap;
      if (p.peak_live) result_.at_peak_live = std::move(snap);
    }
  }

  // When the trace's first events were skipped, the state after event 0 is the state before
  // any replayed event: sampled before the replay starts, so that the timeline always begins
  // at event 0 (its `t` unknown, as skipped events keep none).
  void TakeBeforeFirstIfSkipped() {
    if (trace_.events().empty() || trace_.OriginalIndex(0) == 0) return;
    Sample s;
    s.event = 0;
    backend_.FillSample(s);
    result_.timeline.push_back(std::move(s));
  }

  // The least footprint that Observe would take as a new peak.
  uint64_t PeakToBeat() const { return observed_ ? result_.peak_footprint + 1 : 0; }

  // A footprint at compact event `index`, with `live` bytes live.
  void Observe(uint64_t footprint, uint64_t index, uint64_t live) {
    if (footprint > result_.peak_footprint || !observed_) {
      observed_ = true;
      result_.peak_footprint = footprint;
      result_.peak_footprint_event = trace_.OriginalIndex(index);
      result_.live_at_peak_footprint = live;
    }
  }

 private:
  B& backend_;
  const PreparedTrace& trace_;
  ReplayResult& result_;
  CheckLog& log_;
  bool observed_ = false;
};

// The rare paths of Execute, out of line so that the per-event path stays small.
[[gnu::cold, gnu::noinline]] void AllocationFailed(CheckLog& log, const ReplayEvent& e,
                                                   uint64_t size);
[[gnu::cold, gnu::noinline]] void CheckCalloc(CheckLog& log, const ReplayEvent& e, uint64_t size,
                                              const void* p);
[[gnu::cold, gnu::noinline]] void CheckAligned(CheckLog& log, const ReplayEvent& e, uint64_t size,
                                               const void* p);
[[gnu::cold, gnu::noinline]] void CheckRealloc(CheckLog& log, const ReplayEvent& e,
                                               uint64_t old_size, uint64_t size, const void* p);
[[gnu::cold, gnu::noinline]] void CheckFree(CheckLog& log, const ReplayEvent& e, uint64_t size,
                                            const void* p);

// What a replay loop keeps in registers while it runs events: the table's entries, its
// positions in its streams (PreparedTrace::begin_sizes, end_sizes and realloc_slots: the
// sizes of the next object it begins and ends, the slot of its next realloc's new object),
// and the thread's share of the live bytes (written to its ThreadState at every housekeeping
// stop, before anyone reads it). A local of the loop, whose address never escapes, so the compiler
// need not reload any of it after a store.
struct LoopRegisters {
  PointerTable::Entries table;
  const uint64_t* next_begin_size;
  const uint64_t* next_end_size;
  const uint32_t* next_realloc_slot;
  uint64_t live = 0;
  void Flush(ThreadState& s) const { s.live = live; }
};

// Runs one event. kParallel: objects of other threads may not be published yet. kVerify:
// --verify's checks (a template argument, so that the loop without them keeps no flag).
template <bool kParallel, bool kVerify, class B>
[[gnu::always_inline]] inline void Execute(B& b, typename B::Context& c, const ReplayEvent& e,
                                           LoopRegisters& regs, CheckLog& log) {
  const PointerTable::Entries table = regs.table;
  // The event's slot as a local: after Await's acquire load the compiler may not reuse what
  // it read from the event array, but it may reuse a register.
  const uint32_t slot = e.slot;
  auto begin = [&](uint32_t object, void* p, uint64_t size) {
    if (p == nullptr) [[unlikely]] {
      AllocationFailed(log, e, size);
      p = PointerTable::kFailed;
    } else {
      Touch(p, size, object);
      regs.live += size;
    }
    table.Publish(object, p);
  };
  auto lookup = [&](uint32_t object) {
    return kParallel ? table.Await(object) : table.Get(object);
  };
  // free and malloc/calloc are nearly all events: two tests before the rarer ops' jump table.
  // calloc shares malloc's path, because in some traces it is a quarter of all events.
  if (e.op == trace::Op::kFree) {
    const uint64_t freed = *regs.next_end_size++;
    void* p = lookup(slot);
    if (p == PointerTable::kFailed) [[unlikely]]
      return;
    if (kVerify) CheckFree(log, e, freed, p);
    table.Clear(slot);
    b.Free(c, p, freed);
    regs.live -= freed;
    return;
  }
  if (e.op <= trace::Op::kCalloc) {
    const uint64_t size = *regs.next_begin_size++;
    void* p = e.op == trace::Op::kMalloc ? b.Malloc(c, size, e.scan) : b.Calloc(c, size, e.scan);
    if (kVerify && e.op == trace::Op::kCalloc && p != nullptr) CheckCalloc(log, e, size, p);
    begin(slot, p, size);
    return;
  }
  switch (e.op) {
    case trace::Op::kAlignedAlloc: {
      const uint64_t size = *regs.next_begin_size++;
      void* p = b.AlignedAlloc(c, size, e.align(), e.scan);
      if (kVerify && p != nullptr) CheckAligned(log, e, size, p);
      begin(slot, p, size);
      break;
    }
    case trace::Op::kRealloc: {
      // The new object's slot may be the old one's (TraceBuilder::AssignSlots): the old
      // object's entry is read before the new one is published.
      const uint32_t new_slot = *regs.next_realloc_slot++;
      const uint64_t old_size = *regs.next_end_size++, size = *regs.next_begin_size++;
      void* old = lookup(slot);
      if (old == PointerTable::kFailed) [[unlikely]] {
        table.Publish(new_slot, PointerTable::kFailed);
        break;
      }
      table.Clear(slot);
      regs.live -= old_size;
      void* p = b.Realloc(c, old, old_size, size, e.scan);
      if (kVerify && p != nullptr) CheckRealloc(log, e, old_size, size, p);
      begin(new_slot, p, size);
      break;
    }
    case trace::Op::kMalloc:
    case trace::Op::kCalloc:
    case trace::Op::kFree:
      break;  // above
  }
}

// Calls f.template operator()<v>() for the run-time flag v: a loop instantiated for each.
template <class F>
void WithCompileTimeBool(bool v, F&& f) {
  v ? f.template operator()<true>() : f.template operator()<false>();
}

// Runs `events` in order on context `context`: the hot loop of both engines, between two
// housekeeping stops. Out of line and on copies of the context and the registers, so that
// the loop's whole state fits in registers, apart from what only the rare paths use. A plain
// function, not a lambda, whose body would read its captures through the closure on every
// event. A do-while, so that the op dispatch is the loop's top block and where the hot path
// falls does not depend on unrelated code (figures: docs/performance.md, "measurement notes
// moved from code comments").
template <bool kParallel, bool kVerify, class B>
[[gnu::noinline]] void RunEvents(B& b, typename B::Context& context,
                                 std::span<const ReplayEvent> events, LoopRegisters& regs,
                                 CheckLog& log) {
  typename B::Context c = context;
  LoopRegisters l = regs;
  if (!events.empty()) {
    const ReplayEvent* e = events.data();
    const ReplayEvent* const end = e + events.size();
    do Execute<kParallel, kVerify>(b, c, *e, l, log);
    while (++e != end);
  }
  context = c;
  regs = l;
}

// sim mode's contexts for a backend with one per replay thread (Go's Ps): an event runs on
// that of replay thread (recorded thread mod N). Each is made when its first event runs, so
// replay threads that run nothing cost no memory.
template <class B>
struct SimContexts {
  B& backend;
  std::vector<std::optional<typename B::Context>> all;
  uint32_t tid;                  // the recorded thread of the last event run
  typename B::Context* current;  // its context

  typename B::Context* For(uint32_t recorded_thread) {
    // No division when there are as many contexts as recorded threads (the usual case): on
    // interleaved traces the thread changes on most events.
    const uint32_t n = uint32_t(all.size());
    const uint32_t r = recorded_thread < n ? recorded_thread : recorded_thread % n;
    if (!all[r]) all[r] = backend.ContextFor(r);
    return &*all[r];
  }
};

// RunEvents for such a backend in sim mode: the trace's events [first, end), each on its
// recorded thread's context (kSwitch: there are several; otherwise all run on the current
// one); with kFootprintPerEvent the footprint is compared after each with the peak so far,
// which the taker records when it is beaten (sim mode's exact peak footprint).
template <bool kVerify, bool kSwitch, class B>
[[gnu::noinline]] void RunEventsOnTheirContexts(B& b, SimContexts<B>& contexts,
                                                const PreparedTrace& trace, uint64_t first,
                                                uint64_t end, LoopRegisters& regs, CheckLog& log,
                                                SampleTaker<B>& taker) {
  const ReplayEvent* const events = trace.events().data();
  const ReplayEvent* e = events + first;
  const ReplayEvent* const stop = events + end;
  const uint32_t* tid = trace.tids().data() + first;
  // Copies, as in RunEvents: the state stays in registers across the allocator's calls.
  LoopRegisters l = regs;
  uint32_t current_tid = contexts.tid;
  typename B::Context* current = contexts.current;
  uint64_t peak_to_beat = taker.PeakToBeat();
  for (; e != stop; ++e) {
    if constexpr (kSwitch) {
      if (*tid != current_tid) [[unlikely]] {
        current_tid = *tid;
        current = contexts.For(current_tid);
      }
      ++tid;
    }
    Execute<false, kVerify>(b, *current, *e, l, log);
    if constexpr (B::kFootprintPerEvent) {
      const uint64_t footprint = b.Footprint();
      if (footprint >= peak_to_beat) [[unlikely]] {
        taker.Observe(footprint, uint64_t(e - events), l.live);
        peak_to_beat = footprint + 1;
      }
    }
  }
  contexts.tid = current_tid;
  contexts.current = current;
  regs = l;
}

// Both engines call `start()` once everything the replay needs exists — in parallel mode
// every replay thread started and parked behind the start barrier — just before the first
// event (the caller's baseline reading, so that it includes the threads' stacks and the
// allocator's per-thread state), and `end()` after the last event, before any replay thread
// exits (an exiting thread frees its own state through the allocator). In between, the
// engines allocate nothing themselves, so a backend whose samples and snapshots allocate
// nothing either (the system allocators') calls the malloc family only for the trace's
// objects (tests/clean_heap_e2e).

// A replay's time: wall clock from the start (the release of parallel mode's start barrier)
// to the end of the last event, and the CPU time the replay threads spent in between.
struct EngineTiming {
  double wall_seconds = 0, cpu_seconds = 0;
};

// sim mode. `verify_every` > 0: the backend's Verify every that many events.
template <class B, class Start, class End>
EngineTiming RunSim(B& b, const PreparedTrace& trace, uint32_t contexts, PointerTable& table,
                    std::span<const SamplePoint> points, SampleTaker<B>& taker, CheckLog& log,
                    uint64_t verify_every, ThreadState& state, Start&& start, End&& end) {
  const auto events = trace.events();
  SimContexts<B> ctx{.backend = b, .all = {}, .tid = events.empty() ? 0 : trace.tids()[0]};
  ctx.all.resize(contexts);
  ctx.current = ctx.For(ctx.tid);
  // The housekeeping (sample points, --verify-every, progress) happens after the events at
  // these indices; `stop` is the nearest, so between stops the loop only runs events.
  size_t next_point = 0;
  uint64_t next_sample = points.empty() ? kNever : points[0].index;
  uint64_t next_verify = verify_every != 0 ? verify_every - 1 : kNever;
  uint64_t next_progress = 0;
  uint64_t stop = std::min({next_sample, next_verify, next_progress});
  LoopRegisters regs{.table = table.entries(),
                     .next_begin_size = trace.begin_sizes().data(),
                     .next_end_size = trace.end_sizes().data(),
                     .next_realloc_slot = trace.realloc_slots().data()};

  start();
  const double wall0 = WallSeconds(), cpu0 = ThreadCpuSeconds();
  for (uint64_t i = 0; i < events.size();) {
    const uint64_t end = std::min<uint64_t>(stop, events.size() - 1) + 1;
    if constexpr (B::kPerThreadContexts || B::kFootprintPerEvent) {
      WithCompileTimeBool(log.verify(), [&]<bool kVerify>() {
        WithCompileTimeBool(contexts > 1, [&]<bool kSwitch>() {
          RunEventsOnTheirContexts<kVerify, kSwitch>(b, ctx, trace, i, end, regs, log, taker);
        });
      });
    } else {
      WithCompileTimeBool(log.verify(), [&]<bool kVerify>() {
        RunEvents<false, kVerify>(b, *ctx.current, events.subspan(i, end - i), regs, log);
      });
    }
    i = end;
    if (end - 1 != stop) break;
    const uint64_t at = stop;
    regs.Flush(state);
    if (at == next_sample) {
      taker.Take(points[next_point], regs.live);
      ++next_point;
      next_sample = next_point < points.size() ? points[next_point].index : kNever;
    }
    if (at == next_verify) {
      next_verify += verify_every;
      if (std::string err = b.Verify(); !err.empty()) {
        log.Fail(fmt::format("heap check after event {}: {}", trace.OriginalIndex(at), err));
      }
    }
    if (at == next_progress) {
      next_progress += kProgressStride;
      state.events.store(at, std::memory_order_relaxed);
    }
    stop = std::min({next_sample, next_verify, next_progress});
  }
  const EngineTiming timing{WallSeconds() - wall0, ThreadCpuSeconds() - cpu0};
  end();
  regs.Flush(state);
  return timing;
}

// parallel mode; `work` from SplitByThread, one per replay thread.
template <class B, class Start, class End>
EngineTiming RunParallel(B& b, const HugeVector<ThreadEvents>& work, PointerTable& table,
                         std::span<const SamplePoint> points, SampleTaker<B>& taker, CheckLog& log,
                         std::span<ThreadState> states, Start&& start, End&& end) {
  const uint32_t threads = uint32_t(work.size());
  SampleGate gate(threads, points.size());
  auto take = [&](uint64_t p) { taker.Take(points[p], LiveBytes(states)); };
  std::atomic<uint32_t> ready{0};
  std::atomic<bool> go{false};
  std::atomic<uint32_t> finished{0};  // replay threads past their last event
  std::atomic<bool> may_exit{false};  // end() has run

  // Replay thread r's events on its context `c`.
  auto replay = [&](uint32_t r, typename B::Context c) {
    const double cpu0 = ThreadCpuSeconds();
    const std::span<const ReplayEvent> mine = work[r].events;  // by value: kept in registers
    const HugeVector<uint64_t>& pause_before = work[r].pause_before;
    uint64_t next_point = 0;  // points before it are taken, or this thread is past them
    uint64_t next_pause = points.empty() ? kNever : pause_before[0];
    uint64_t next_progress = 0;
    uint64_t stop = std::min(next_pause, next_progress);  // the nearest housekeeping
    LoopRegisters regs{.table = table.entries(),
                       .next_begin_size = work[r].begin_sizes.data(),
                       .next_end_size = work[r].end_sizes.data(),
                       .next_realloc_slot = work[r].realloc_slots.data()};
    for (size_t i = 0;;) {
      const size_t end = std::min<uint64_t>(stop, mine.size());
      WithCompileTimeBool(log.verify(), [&]<bool kVerify>() {
        RunEvents<true, kVerify>(b, c, mine.subspan(i, end - i), regs, log);
      });
      i = end;
      if (i == mine.size()) break;
      regs.Flush(states[r]);
      if (i == next_pause) {  // arrived at every point this event must wait for
        while (next_point < points.size() && pause_before[next_point] == i) ++next_point;
        gate.Arrive(r, next_point, take);
        gate.Wait(r, next_point);
        next_pause = next_point < points.size() ? pause_before[next_point] : kNever;
      }
      if (i == next_progress) {
        next_progress += kProgressStride;
        states[r].events.store(i, std::memory_order_relaxed);
      }
      stop = std::min(next_pause, next_progress);
    }
    regs.Flush(states[r]);
    gate.Arrive(r, points.size(), take);  // done: past every point, no need to wait
    states[r].cpu_seconds = ThreadCpuSeconds() - cpu0;
    states[r].done_at = WallSeconds();
    finished.fetch_add(1, std::memory_order_acq_rel);
    finished.notify_one();
  };

  // Replay thread 0 is the calling thread, which decoded the trace and built the table, so
  // their lines are still in its caches (and glibc's thread 0 uses its main arena, as in
  // sim mode); the others are started first and wait behind the barrier.
  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  std::atomic<bool> abandoned{false};  // a thread could not be started: nobody replays
  try {
    for (uint32_t r = 1; r < threads; ++r) {
      workers.emplace_back([&, r] {
        typename B::Context c = b.ContextFor(r);
        ready.fetch_add(1, std::memory_order_acq_rel);
        ready.notify_one();
        go.wait(false, std::memory_order_acquire);
        if (abandoned.load(std::memory_order_relaxed)) return;
        replay(r, c);
        may_exit.wait(false, std::memory_order_acquire);
      });
    }
  } catch (const std::system_error& e) {
    abandoned.store(true, std::memory_order_relaxed);
    go.store(true, std::memory_order_release);
    go.notify_all();
    for (auto& w : workers) w.join();
    throw std::runtime_error(fmt::format("cannot start replay thread {} of {}: {}",
                                         workers.size() + 1, threads, e.what()));
  }
  const typename B::Context first = b.ContextFor(0);
  for (uint32_t n; (n = ready.load(std::memory_order_acquire)) < threads - 1;) ready.wait(n);
  start();
  const double wall0 = WallSeconds();
  go.store(true, std::memory_order_release);
  go.notify_all();
  replay(0, first);
  for (uint32_t n; (n = finished.load(std::memory_order_acquire)) < threads;) finished.wait(n);
  end();
  may_exit.store(true, std::memory_order_release);
  may_exit.notify_all();
  for (auto& w : workers) w.join();
  if (gate.taken() != points.size()) {
    throw std::logic_error(fmt::format("parallel replay ended with {} of {} sample points taken",
                                       gate.taken(), points.size()));
  }
  // The replay ends with the last event of the last thread; the threads' exits do not count.
  EngineTiming timing;
  for (const ThreadState& s : states) {
    timing.wall_seconds = std::max(timing.wall_seconds, s.done_at - wall0);
    timing.cpu_seconds += s.cpu_seconds;
  }
  return timing;
}

}  // namespace goalloc::replay
