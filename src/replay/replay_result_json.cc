// JSON conversions of the replay's results (see replay_result_json.h).
#include "src/replay/replay_result_json.h"

#include <optional>

// std::optional as a value or null, for the fields the GOALLOC_JSON_FIELDS lists below name
// (this nlohmann version has no conversion of its own).
namespace nlohmann {
template <class T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& v) { j = v ? json(*v) : json(nullptr); }
  static void from_json(const json& j, std::optional<T>& v) {
    v = j.is_null() ? std::nullopt : std::optional<T>(j.get<T>());
  }
};
}  // namespace nlohmann

namespace goalloc {

// Out-of-line to_json/from_json (nlohmann's own macro defines them inline, which would not
// match the declarations in the header).
#define GOALLOC_JSON_FIELDS(Type, ...)                                           \
  void to_json(nlohmann::json& nlohmann_json_j, const Type& nlohmann_json_t) {   \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(NLOHMANN_JSON_TO, __VA_ARGS__))     \
  }                                                                              \
  void from_json(const nlohmann::json& nlohmann_json_j, Type& nlohmann_json_t) { \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(NLOHMANN_JSON_FROM, __VA_ARGS__))   \
  }

namespace alloc {
GOALLOC_JSON_FIELDS(HeapTotals, sys, released, inuse, idle, metadata, spans_in_use)
GOALLOC_JSON_FIELDS(SpanClassStats, size_class, noscan, object_size, span_pages, span_slots,
                    spans_mcache, spans_partial, spans_full, objects_in_use, garbage_objects,
                    garbage, slots, mallocs, frees, requested, rounding, tiny_waste, free_slots,
                    tail_waste, occupancy_histogram)
GOALLOC_JSON_FIELDS(LargeStats, allocations, frees, live_objects, live_bytes, pages, rounding,
                    garbage_objects, garbage)
GOALLOC_JSON_FIELDS(TinyStats, allocs, frees, live_objects, live_blocks)
GOALLOC_JSON_FIELDS(LockStats, name, acquisitions, contended, wait_ns_total, wait_ns_max)
GOALLOC_JSON_FIELDS(HeapStats, totals, requested, garbage, rounding, tiny_waste, free_slots,
                    tail_waste, mallocs, frees, span_classes, large, tiny, locks, scavenger_runs,
                    scavenged_bytes)
}  // namespace alloc

namespace trace {
GOALLOC_JSON_FIELDS(InconsistencyCounts, free_unknown, realloc_unknown, malloc_live_id,
                    first_indices)
}  // namespace trace

namespace replay {

void to_json(nlohmann::json& j, const TraceSummary& v) {
  nlohmann::json ops = nlohmann::json::object();
  for (int op = 0; op < trace::kNumOps; ++op) {
    ops[std::string(trace::OpName(trace::Op(op)))] = v.ops[size_t(op)];
  }
  j = {{"path", v.path},
       {"encoding", v.encoding},
       {"events", v.events},
       {"threads", v.threads},
       {"ops", ops},
       {"inconsistent", v.inconsistent},
       {"peak_live_bytes", v.peak_live_bytes},
       {"peak_live_objects", v.peak_live_objects},
       {"peak_live_event", v.peak_live_event},
       {"final_live_bytes", v.final_live_bytes},
       {"final_live_objects", v.final_live_objects},
       {"has_time", v.has_time}};
}

void from_json(const nlohmann::json& j, TraceSummary& v) {
  j.at("path").get_to(v.path);
  j.at("encoding").get_to(v.encoding);
  j.at("events").get_to(v.events);
  j.at("threads").get_to(v.threads);
  for (int op = 0; op < trace::kNumOps; ++op) {
    j.at("ops").at(std::string(trace::OpName(trace::Op(op)))).get_to(v.ops[size_t(op)]);
  }
  j.at("inconsistent").get_to(v.inconsistent);
  j.at("peak_live_bytes").get_to(v.peak_live_bytes);
  j.at("peak_live_objects").get_to(v.peak_live_objects);
  j.at("peak_live_event").get_to(v.peak_live_event);
  j.at("final_live_bytes").get_to(v.final_live_bytes);
  j.at("final_live_objects").get_to(v.final_live_objects);
  j.at("has_time").get_to(v.has_time);
}

GOALLOC_JSON_FIELDS(AllocatorStats, mapped, resident, allocated)
GOALLOC_JSON_FIELDS(RuntimeSample, heap_inuse, heap_objects)
GOALLOC_JSON_FIELDS(RuntimeClassObjects, object_size, mallocs, frees)
GOALLOC_JSON_FIELDS(RuntimeSnapshot, heap_inuse, heap_alloc, heap_sys, heap_released, heap_objects,
                    mallocs, frees, num_gc, next_gc, classes)
GOALLOC_JSON_FIELDS(GcRange, min, median, max)
GOALLOC_JSON_FIELDS(GcCycle, cycle, event, heap_goal, trigger_event, heap_live_at_trigger, trigger,
                    goal, heap_marked, heap_inuse_start, heap_inuse_end, spans_swept,
                    pages_released)
GOALLOC_JSON_FIELDS(GcFigures, model, gogc, memory_limit_bytes, cycles, peak_heap_inuse,
                    peak_heap_inuse_event, peak_heap_alloc, heap_alloc_after_final_gc,
                    heap_inuse_after_final_gc, predicted_heap_alloc_after_final_gc,
                    final_gc_checked, baseline_heap_inuse, baseline_heap_alloc, sealed,
                    sealed_objects, zero_size_objects, aligned_allocs, runs, peak_heap_inuse_range,
                    cycles_range, cycle_log, heap_goal_at_end, mark_seconds, sweep_seconds)
GOALLOC_JSON_FIELDS(SystemHeap, rss_bytes, has_mallinfo, arena, hblkhd, uordblks, fordblks,
                    keepcost, allocator)

void to_json(nlohmann::json& j, const Sample& v) {
  j = {{"event", v.event}, {"t", v.t}, {"live", v.live}, {"footprint", v.footprint}};
  j["heap"] = v.heap;
  j["runtime"] = v.runtime;
}

void from_json(const nlohmann::json& j, Sample& v) {
  j.at("event").get_to(v.event);
  j.at("t").get_to(v.t);
  j.at("live").get_to(v.live);
  j.at("footprint").get_to(v.footprint);
  j.at("heap").get_to(v.heap);
  j.at("runtime").get_to(v.runtime);
}

void to_json(nlohmann::json& j, const Snapshot& v) {
  j = {{"event", v.event}, {"exact", v.exact}, {"live", v.live}, {"footprint", v.footprint}};
  j["go"] = v.go;
  j["system"] = v.system;
  j["runtime"] = v.runtime;
}

void from_json(const nlohmann::json& j, Snapshot& v) {
  j.at("event").get_to(v.event);
  j.at("exact").get_to(v.exact);
  j.at("live").get_to(v.live);
  j.at("footprint").get_to(v.footprint);
  j.at("go").get_to(v.go);
  j.at("system").get_to(v.system);
  j.at("runtime").get_to(v.runtime);
}

GOALLOC_JSON_FIELDS(ReplayResult, allocator, mode, size_classes, threads, decode_seconds,
                    replay_seconds, cpu_seconds, events_per_second, events_replayed,
                    baseline_rss_bytes, peak_rss_bytes, final_rss_bytes, allocator_stats_source,
                    allocator_stats_baseline, timeline, at_peak_live, at_end, peak_footprint,
                    peak_footprint_event, live_at_peak_footprint, locks, verified, verify_error, gc)

}  // namespace replay
}  // namespace goalloc
