// JSON (nlohmann) form of the replay's results: ReplayResult, TraceSummary and the
// allocator's stats they carry. The replay child sends its result to the parent in this
// form, and the reporter may build its JSON report from the same conversions. Field names
// are the C++ member names; optional members are null when absent; TraceSummary::ops is an
// object keyed by op name ("malloc", ...). from_json requires every field (a truncated or
// foreign document is an error, not a silently zeroed result).
#pragma once

#include <nlohmann/json.hpp>

#include "src/alloc/heap_stats.h"
#include "src/replay/replay_result.h"
#include "src/trace/live_objects.h"

namespace goalloc::alloc {
void to_json(nlohmann::json& j, const HeapTotals& v);
void from_json(const nlohmann::json& j, HeapTotals& v);
void to_json(nlohmann::json& j, const SpanClassStats& v);
void from_json(const nlohmann::json& j, SpanClassStats& v);
void to_json(nlohmann::json& j, const LargeStats& v);
void from_json(const nlohmann::json& j, LargeStats& v);
void to_json(nlohmann::json& j, const TinyStats& v);
void from_json(const nlohmann::json& j, TinyStats& v);
void to_json(nlohmann::json& j, const LockStats& v);
void from_json(const nlohmann::json& j, LockStats& v);
void to_json(nlohmann::json& j, const HeapStats& v);
void from_json(const nlohmann::json& j, HeapStats& v);
}  // namespace goalloc::alloc

namespace goalloc::trace {
void to_json(nlohmann::json& j, const InconsistencyCounts& v);
void from_json(const nlohmann::json& j, InconsistencyCounts& v);
}  // namespace goalloc::trace

namespace goalloc::replay {
void to_json(nlohmann::json& j, const TraceSummary& v);
void from_json(const nlohmann::json& j, TraceSummary& v);
void to_json(nlohmann::json& j, const AllocatorStats& v);
void from_json(const nlohmann::json& j, AllocatorStats& v);
void to_json(nlohmann::json& j, const SystemHeap& v);
void from_json(const nlohmann::json& j, SystemHeap& v);
void to_json(nlohmann::json& j, const RuntimeSample& v);
void from_json(const nlohmann::json& j, RuntimeSample& v);
void to_json(nlohmann::json& j, const RuntimeClassObjects& v);
void from_json(const nlohmann::json& j, RuntimeClassObjects& v);
void to_json(nlohmann::json& j, const RuntimeSnapshot& v);
void from_json(const nlohmann::json& j, RuntimeSnapshot& v);
void to_json(nlohmann::json& j, const GcRange& v);
void from_json(const nlohmann::json& j, GcRange& v);
void to_json(nlohmann::json& j, const GcCycle& v);
void from_json(const nlohmann::json& j, GcCycle& v);
void to_json(nlohmann::json& j, const GcFigures& v);
void from_json(const nlohmann::json& j, GcFigures& v);
void to_json(nlohmann::json& j, const Sample& v);
void from_json(const nlohmann::json& j, Sample& v);
void to_json(nlohmann::json& j, const Snapshot& v);
void from_json(const nlohmann::json& j, Snapshot& v);
void to_json(nlohmann::json& j, const ReplayResult& v);
void from_json(const nlohmann::json& j, ReplayResult& v);
}  // namespace goalloc::replay
