// JSON conversions of the replay's results (see replay_result_json.h).
#include "src/replay/replay_result_json.h"

#include <optional>
#include <string>
#include <tuple>

// std::optional as a value or null, for the optional fields listed below (this nlohmann
// version has no conversion of its own).
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
namespace {

// A member of T and its JSON name (the member's own name).
template <class T, class M>
struct Field {
  const char* name;
  M T::*member;
};
template <class T, class M>
Field(const char*, M T::*) -> Field<T, M>;  // clang 14 deduces no aggregate by itself

// Each member of `fields` under its name; reading requires every one of them.
template <class T, class... M>
void WriteFields(nlohmann::json& j, const T& v, const std::tuple<Field<T, M>...>& fields) {
  std::apply([&](const auto&... f) { ((j[f.name] = v.*f.member), ...); }, fields);
}
template <class T, class... M>
void ReadFields(const nlohmann::json& j, T& v, const std::tuple<Field<T, M>...>& fields) {
  std::apply([&](const auto&... f) { (j.at(f.name).get_to(v.*f.member), ...); }, fields);
}

// F(m): the member m of the structure T in scope, under its own name.
#define F(member) \
  Field { #member, &T::member }

// ops is written apart: an object keyed by op name.
constexpr auto kTraceSummaryFields = [] {
  using T = replay::TraceSummary;
  return std::tuple{F(path),
                    F(encoding),
                    F(events),
                    F(threads),
                    F(inconsistent),
                    F(peak_live_bytes),
                    F(peak_live_objects),
                    F(peak_live_event),
                    F(final_live_bytes),
                    F(final_live_objects),
                    F(has_time)};
}();

}  // namespace

// The out-of-line conversions the header declares, each from its type's fields F(…).
#define GOALLOC_JSON_FIELDS(Type, ...)               \
  void to_json(nlohmann::json& j, const Type& v) {   \
    using T = Type;                                  \
    WriteFields(j, v, std::tuple{__VA_ARGS__});      \
  }                                                  \
  void from_json(const nlohmann::json& j, Type& v) { \
    using T = Type;                                  \
    ReadFields(j, v, std::tuple{__VA_ARGS__});       \
  }

namespace alloc {
GOALLOC_JSON_FIELDS(HeapTotals, F(sys), F(released), F(inuse), F(idle), F(metadata),
                    F(spans_in_use))
GOALLOC_JSON_FIELDS(SpanClassStats, F(size_class), F(noscan), F(object_size), F(span_pages),
                    F(span_slots), F(spans_mcache), F(spans_partial), F(spans_full),
                    F(objects_in_use), F(garbage_objects), F(garbage), F(slots), F(mallocs),
                    F(frees), F(requested), F(rounding), F(tiny_waste), F(free_slots),
                    F(tail_waste), F(occupancy_histogram))
GOALLOC_JSON_FIELDS(LargeStats, F(allocations), F(frees), F(live_objects), F(live_bytes), F(pages),
                    F(rounding), F(garbage_objects), F(garbage))
GOALLOC_JSON_FIELDS(TinyStats, F(allocs), F(frees), F(live_objects), F(live_blocks))
GOALLOC_JSON_FIELDS(LockStats, F(name), F(acquisitions), F(contended), F(wait_ns_total),
                    F(wait_ns_max))
GOALLOC_JSON_FIELDS(HeapStats, F(totals), F(requested), F(garbage), F(rounding), F(tiny_waste),
                    F(free_slots), F(tail_waste), F(mallocs), F(frees), F(span_classes), F(large),
                    F(tiny), F(locks), F(scavenger_runs), F(scavenged_bytes))
}  // namespace alloc

namespace trace {
GOALLOC_JSON_FIELDS(InconsistencyCounts, F(free_unknown), F(realloc_unknown), F(malloc_live_id),
                    F(first_indices))
}  // namespace trace

namespace replay {

void to_json(nlohmann::json& j, const TraceSummary& v) {
  WriteFields(j, v, kTraceSummaryFields);
  for (int op = 0; op < trace::kNumOps; ++op) {
    j["ops"][std::string(trace::OpName(trace::Op(op)))] = v.ops[size_t(op)];
  }
}

void from_json(const nlohmann::json& j, TraceSummary& v) {
  ReadFields(j, v, kTraceSummaryFields);
  for (int op = 0; op < trace::kNumOps; ++op) {
    j.at("ops").at(std::string(trace::OpName(trace::Op(op)))).get_to(v.ops[size_t(op)]);
  }
}

GOALLOC_JSON_FIELDS(AllocatorStats, F(mapped), F(resident), F(allocated))
GOALLOC_JSON_FIELDS(SystemHeap, F(rss_bytes), F(has_mallinfo), F(arena), F(hblkhd), F(uordblks),
                    F(fordblks), F(keepcost), F(allocator))
GOALLOC_JSON_FIELDS(RuntimeSample, F(heap_inuse), F(heap_objects))
GOALLOC_JSON_FIELDS(RuntimeClassObjects, F(object_size), F(mallocs), F(frees))
GOALLOC_JSON_FIELDS(RuntimeSnapshot, F(heap_inuse), F(heap_alloc), F(heap_sys), F(heap_released),
                    F(heap_objects), F(mallocs), F(frees), F(num_gc), F(next_gc), F(classes))
GOALLOC_JSON_FIELDS(GcRange, F(min), F(median), F(max))
GOALLOC_JSON_FIELDS(GcCycle, F(cycle), F(event), F(heap_goal), F(trigger_event),
                    F(heap_live_at_trigger), F(trigger), F(goal), F(heap_marked),
                    F(heap_inuse_start), F(heap_inuse_end), F(spans_swept), F(pages_released))
GOALLOC_JSON_FIELDS(GcFigures, F(model), F(gogc), F(memory_limit_bytes), F(cycles),
                    F(peak_heap_inuse), F(peak_heap_inuse_event), F(peak_heap_alloc),
                    F(heap_alloc_after_final_gc), F(heap_inuse_after_final_gc),
                    F(predicted_heap_alloc_after_final_gc), F(final_gc_checked),
                    F(baseline_heap_inuse), F(baseline_heap_alloc), F(sealed), F(sealed_objects),
                    F(zero_size_objects), F(aligned_allocs), F(runs), F(peak_heap_inuse_range),
                    F(cycles_range), F(cycle_log), F(heap_goal_at_end), F(mark_seconds),
                    F(sweep_seconds))
GOALLOC_JSON_FIELDS(Sample, F(event), F(t), F(live), F(footprint), F(heap), F(runtime))
GOALLOC_JSON_FIELDS(Snapshot, F(event), F(exact), F(live), F(footprint), F(go), F(system),
                    F(runtime))
GOALLOC_JSON_FIELDS(ReplayResult, F(allocator), F(mode), F(size_classes), F(threads),
                    F(decode_seconds), F(replay_seconds), F(cpu_seconds), F(events_per_second),
                    F(events_replayed), F(baseline_rss_bytes), F(peak_rss_bytes),
                    F(final_rss_bytes), F(allocator_stats_source), F(allocator_stats_baseline),
                    F(timeline), F(at_peak_live), F(at_end), F(peak_footprint),
                    F(peak_footprint_event), F(live_at_peak_footprint), F(locks), F(verified),
                    F(verify_error), F(gc))

}  // namespace replay

#undef GOALLOC_JSON_FIELDS
#undef F

}  // namespace goalloc
