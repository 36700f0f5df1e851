// The JSON rendering of a report (see json_report.h and docs/report.md).
#include "src/report/json_report.h"

#include <string>

#include "src/report/gc_report.h"
#include "src/report/heap_figures.h"
#include "src/trace/event.h"

namespace goalloc::report {
namespace {

template <class T>
Json Optional(std::optional<T> v) {
  return v ? Json(*v) : Json(nullptr);
}

Json ToolJson(const ToolInfo& tool) { return {{"name", tool.name}, {"version", tool.version}}; }

Json TraceJson(const replay::TraceSummary& t) {
  Json ops = Json::object();
  for (int op = 0; op < trace::kNumOps; ++op) {
    ops[std::string(trace::OpName(trace::Op(op)))] = t.ops[size_t(op)];
  }
  return {{"path", t.path},
          {"encoding", t.encoding},
          {"events", t.events},
          {"threads", t.threads},
          {"has_time", t.has_time},
          {"ops", ops},
          {"inconsistent",
           {{"free_unknown", t.inconsistent.free_unknown},
            {"realloc_unknown", t.inconsistent.realloc_unknown},
            {"malloc_live_id", t.inconsistent.malloc_live_id},
            {"total", t.inconsistent.total()},
            {"first_indices", t.inconsistent.first_indices}}}};
}

Json NullIfEmpty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json AllocatorStatsJson(const std::optional<replay::AllocatorStats>& s) {
  const replay::AllocatorStats v = s.value_or(replay::AllocatorStats{});
  return {{"mapped_bytes", Optional(v.mapped)},
          {"resident_bytes", Optional(v.resident)},
          {"allocated_bytes", Optional(v.allocated)}};
}

Json ReplayJson(const Report& r) {
  const replay::ReplayResult& run = r.run;
  Json j = {{"allocator", run.allocator},
            {"mode", run.mode},
            {"size_classes", NullIfEmpty(run.size_classes)},
            {"threads", run.threads},
            {"decode_seconds", run.decode_seconds},
            {"replay_seconds", run.replay_seconds},
            {"cpu_seconds", run.cpu_seconds},
            {"events_per_second", run.events_per_second},
            {"events_replayed", run.events_replayed},
            {"peak_rss_bytes", run.peak_rss_bytes},
            {"final_rss_bytes", run.final_rss_bytes},
            {"baseline_rss_bytes", run.baseline_rss_bytes},
            {"verified", run.verified},
            {"verify_error", run.verify_error.empty() ? Json(nullptr) : Json(run.verify_error)}};
  if (r.at_peak_live.system && r.at_end.system) {
    j["allocator_stats"] = {
        {"source",
         run.allocator_stats_source.empty() ? Json(nullptr) : Json(run.allocator_stats_source)},
        {"baseline", AllocatorStatsJson(run.allocator_stats_baseline)},
        {"at_peak_live", AllocatorStatsJson(r.at_peak_live.system->allocator)},
        {"at_end", AllocatorStatsJson(r.at_end.system->allocator)}};
  }
  return j;
}

Json LiveJson(const Report& r) {
  return {
      {"peak_bytes", r.trace.peak_live_bytes},       {"peak_objects", r.trace.peak_live_objects},
      {"peak_event", r.trace.peak_live_event},       {"final_bytes", r.trace.final_live_bytes},
      {"final_objects", r.trace.final_live_objects}, {"peak_snapshot_event", r.at_peak_live.event},
      {"peak_snapshot_exact", r.at_peak_live.exact}};
}

Json SnapshotJson(const SnapshotReport& s) {
  Json j = {{"event", s.event}, {"exact", s.exact}, {"live", s.live}, {"footprint", s.footprint}};
  if (s.accounting) {
    AddFiguresJson(kAccountingFigures, *s.accounting, j);
    AddFiguresJson(kHeapCounterFigures, *s.go, j);
  }
  if (s.runtime) j["runtime"] = RuntimeSnapshotJson(*s.runtime);
  if (s.system) {
    j["rss"] = s.system->rss_bytes;
    j["allocator_footprint"] = Optional(s.allocator_footprint);
    if (s.system->has_mallinfo) {
      j["mallinfo"] = {
          {"arena", s.system->arena},       {"hblkhd", s.system->hblkhd},
          {"uordblks", s.system->uordblks}, {"fordblks", s.system->fordblks},
          {"keepcost", s.system->keepcost}, {"footprint", s.system->arena + s.system->hblkhd}};
    }
  }
  return j;
}

Json FragmentationJson(const Report& r) {
  Json j = Json::object();
  AddFiguresJson(kFragmentationFigures, r.fragmentation, j);
  if (r.at_peak_live.accounting) {
    Json causes = Json::object();
    for (uint64_t ByteAccounting::*cause : kOverheadCauses) {
      causes[std::string(AccountingFigure(cause).key)] = (*r.at_peak_live.accounting).*cause;
    }
    j["causes_at_peak_live"] = std::move(causes);
  }
  return j;
}

Json SizeClassesJson(const std::vector<alloc::SpanClassStats>& classes) {
  Json out = Json::array();
  for (const alloc::SpanClassStats& c : classes) {
    Json row = Json::object();
    AddFiguresJson(kSpanClassFigures, c, row);
    out.push_back(std::move(row));
  }
  return out;
}

Json LockJson(const std::string& name, uint64_t acquisitions, uint64_t contended,
              uint64_t wait_ns_total, uint64_t wait_ns_max) {
  return {{"name", name},
          {"acquisitions", acquisitions},
          {"contended", contended},
          {"contention_rate", ContentionRate(contended, acquisitions)},
          {"wait_ns_total", wait_ns_total},
          {"wait_ns_max", wait_ns_max}};
}

Json TimelineJson(const Report& r) {
  Json out = Json::array();
  for (const replay::Sample& s : r.run.timeline) {
    Json j = {{"event", s.event},
              {"t", s.t == trace::kNoTime ? Json(nullptr) : Json(s.t)},
              {"live", s.live},
              {"footprint", s.footprint}};
    if (s.heap) {
      j["sys"] = s.heap->sys;
      j["inuse"] = s.heap->inuse;
      j["idle"] = s.heap->idle;
      j["released"] = s.heap->released;
      j["metadata"] = s.heap->metadata;
      j["spans_in_use"] = s.heap->spans_in_use;
    }
    if (s.runtime) AddRuntimeSampleJson(*s.runtime, j);
    out.push_back(std::move(j));
  }
  return out;
}

Json ChecksJson(const std::vector<std::string>& failed) {
  return {{"passed", failed.empty()}, {"failed", failed}};
}

}  // namespace

Json ReportJson(const Report& r) {
  Json j = {{"schema", kSchema},
            {"tool", ToolJson(r.tool)},
            {"trace", TraceJson(r.trace)},
            {"replay", ReplayJson(r)},
            {"live", LiveJson(r)},
            {"heap",
             {{"at_end", SnapshotJson(r.at_end)}, {"at_peak_live", SnapshotJson(r.at_peak_live)}}},
            {"fragmentation", FragmentationJson(r)}};
  if (r.is_go) {
    j["size_classes"] = {{"at_end", SizeClassesJson(r.at_end.size_classes)},
                         {"at_peak_live", SizeClassesJson(r.at_peak_live.size_classes)}};
    if (r.at_end.go) {
      Json large = Json::object(), tiny = Json::object();
      AddFiguresJson(kLargeFigures, r.at_end.go->large, large);
      AddFiguresJson(kTinyFigures, r.at_end.go->tiny, tiny);
      j["large"] = std::move(large);
      j["tiny"] = std::move(tiny);
    }
    Json locks = Json::array();
    for (const alloc::LockStats& l : r.locks) {
      locks.push_back(
          LockJson(l.name, l.acquisitions, l.contended, l.wait_ns_total, l.wait_ns_max));
    }
    j["locks"] = std::move(locks);
    const LockTotals& t = r.lock_totals;
    Json totals = LockJson("total", t.acquisitions, t.contended, t.wait_ns_total, t.wait_ns_max);
    totals.erase("name");
    totals["contention_zero_by_construction"] = r.contention_zero_by_construction;
    j["lock_totals"] = std::move(totals);
  }
  if (r.run.gc) j["gc"] = GcJson(*r.run.gc);
  j["timeline"] = TimelineJson(r);
  j["checks"] = ChecksJson(r.failed_checks);
  return j;
}

Json CompareJson(const CompareReport& c) {
  Json rows = Json::array();
  for (const CompareRow& row : c.rows) {
    Json ratios = Json::object();
    for (size_t i = 0; i < kCompareFigures.size(); ++i) {
      ratios[kCompareFigures[i].key] = Optional(row.ratio_to_glibc[i]);
    }
    rows.push_back(
        {{"allocator", row.allocator},
         {"mode", row.mode},
         {"size_classes", NullIfEmpty(row.size_classes)},
         {"threads", row.threads},
         {"replay_seconds", row.replay_seconds},
         {"events_per_second", row.events_per_second},
         {"peak_rss_bytes", row.peak_rss_bytes},
         {"peak_footprint_bytes", row.peak_footprint_bytes},
         {"allocator_footprint_at_peak_live", Optional(row.allocator_footprint_at_peak_live)},
         {"live_at_end", row.live_at_end},
         {"live_at_peak_live", row.live_at_peak_live},
         {"frag_mean", Optional(row.frag_mean)},
         {"frag_at_peak_live", Optional(row.frag_at_peak_live)},
         {"frag_at_peak_footprint", Optional(row.frag_at_peak_footprint)},
         {"frag_peak_to_peak", Optional(row.frag_peak_to_peak)},
         {"ratio_to_glibc", std::move(ratios)}});
  }
  Json runs = Json::array();
  for (const Report& r : c.runs) runs.push_back(ReportJson(r));
  return {{"schema", kSchema},           {"tool", ToolJson(c.tool)},
          {"trace", TraceJson(c.trace)}, {"compare", std::move(rows)},
          {"runs", std::move(runs)},     {"checks", ChecksJson(c.failed_checks)}};
}

}  // namespace goalloc::report
