// The contract between the replay and an allocator it runs in this process: the per-event
// calls the engines make (engine.h), and the hooks the in-process replay calls around them
// (in_process_replay.cc), each on the concrete backend type, so nothing between the event
// array and the allocator is a virtual call (tcmalloc's CentralFreeList<ForwarderT> and its
// StaticForwarder seam are the model). A backend derives from BackendHooks and hides the
// hooks it fills in.
#pragma once

#include <fmt/core.h>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/replay/pointer_table.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/replay_options.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

// What the in-process replay does around the engine for a backend with nothing to add.
struct BackendHooks {
  // What the backend adds to the run's description.
  void Describe(ReplayResult&, const ReplayOptions&) const {}
  // Before the baseline resident set is read: give back what decoding left behind.
  void PrepareBaseline() {}
  // Once it is read (`rss`): the backend's own figures at the baseline.
  void RecordBaseline(uint64_t /*rss*/, ReplayResult&) {}
  // After the last event and the end snapshot: the backend's own figures (`failed`: the
  // replay stopped at an allocation that failed), and its per-thread state torn down.
  void AfterReplay(ReplayResult&, const PreparedTrace&, bool /*failed*/) {}
  // The objects the replay left live, given back, so that the next replay in this process
  // starts clean.
  void ReleaseObjects(const PointerTable&) {}
  // Why the replay failed, from what it saw (`message`).
  std::string WhyFailed(std::string_view allocator, const std::string& message) const {
    return fmt::format("{}: {}", allocator, message);
  }
};

// Context: per replay thread, Go's P (an mcache), nothing, or state by value (the noop
// backend's bump pointer); the engine's loop holds it and passes it by reference.
// kPerThreadContexts: sim mode keeps a context per replay thread. kFootprintPerEvent: sim
// mode reads the footprint after every event. Allocation functions return null only on
// failure; Verify returns "" when the allocator's own checks pass.
template <class B>
concept Backend = requires(B& b, const B& cb, typename B::Context& c, void* p, uint64_t n,
                           bool scan, Sample& sample, Snapshot& snapshot, ReplayResult& r,
                           const ReplayOptions& options, const PreparedTrace& trace,
                           const PointerTable& table) {
  { B::kPerThreadContexts } -> std::convertible_to<bool>;
  { B::kFootprintPerEvent } -> std::convertible_to<bool>;
  { b.ContextFor(uint32_t{}) } -> std::same_as<typename B::Context>;
  { b.Malloc(c, n, scan) } -> std::same_as<void*>;
  { b.Calloc(c, n, scan) } -> std::same_as<void*>;
  { b.AlignedAlloc(c, n, n, scan) } -> std::same_as<void*>;
  { b.Realloc(c, p, n, n, scan) } -> std::same_as<void*>;
  b.Free(c, p, n);
  { cb.Footprint() } -> std::same_as<uint64_t>;
  cb.FillSample(sample);
  cb.FillSnapshot(snapshot);
  { cb.Verify() } -> std::same_as<std::string>;
  cb.Describe(r, options);
  b.PrepareBaseline();
  b.RecordBaseline(n, r);
  b.AfterReplay(r, trace, scan);
  b.ReleaseObjects(table);
  { cb.WhyFailed(std::string_view{}, std::string{}) } -> std::same_as<std::string>;
};

}  // namespace goalloc::replay
