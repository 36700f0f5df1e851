// The gc section and the runtime's heap figures (see gc_report.h).
#include "src/report/gc_report.h"

#include <fmt/core.h>

#include "src/report/text_table.h"
#include "src/report/units.h"

namespace goalloc::report {
namespace {

Json RangeJson(const replay::GcRange& r) {
  return {{"min", r.min}, {"median", r.median}, {"max", r.max}};
}

std::string RangeText(const replay::GcRange& r) {
  return fmt::format("min {} · median {} · max {}", FormatCount(r.min), FormatCount(r.median),
                     FormatCount(r.max));
}

}  // namespace

std::string GcLabel(const replay::GcFigures& gc) {
  std::string label = "GOGC=" + (gc.gogc ? std::to_string(*gc.gogc) : std::string("off"));
  if (gc.memory_limit_bytes) label += ", limit " + FormatBytes(*gc.memory_limit_bytes);
  return label;
}

Json GcJson(const replay::GcFigures& gc) {
  Json log = Json::array();
  for (const replay::GcCycle& c : gc.cycle_log) {
    Json entry = {{"cycle", c.cycle}, {"event", c.event}, {"heap_goal", c.heap_goal}};
    if (gc.model) {
      entry.update({{"trigger_event", c.trigger_event},
                    {"heap_live_at_trigger", c.heap_live_at_trigger},
                    {"trigger", c.trigger},
                    {"goal", c.goal},
                    {"heap_marked", c.heap_marked},
                    {"heap_inuse_start", c.heap_inuse_start},
                    {"heap_inuse_end", c.heap_inuse_end},
                    {"spans_swept", c.spans_swept},
                    {"pages_released", c.pages_released}});
    }
    log.push_back(std::move(entry));
  }
  Json shared = {
      {"gogc", gc.gogc ? Json(*gc.gogc) : Json(nullptr)},
      {"memory_limit_bytes", gc.memory_limit_bytes ? Json(*gc.memory_limit_bytes) : Json(nullptr)},
      {"cycles", gc.cycles},
      {"peak_heap_inuse", gc.peak_heap_inuse},
      {"peak_heap_inuse_event", gc.peak_heap_inuse_event},
      {"peak_heap_alloc", gc.peak_heap_alloc},
      {"heap_alloc_after_final_gc", gc.heap_alloc_after_final_gc},
      {"predicted_heap_alloc_after_final_gc", gc.predicted_heap_alloc_after_final_gc},
      {"final_gc_checked", gc.final_gc_checked},
      {"heap_inuse_after_final_gc", gc.heap_inuse_after_final_gc},
      {"cycle_log", std::move(log)}};
  if (gc.model) {
    shared.update({{"heap_goal_at_end", gc.heap_goal_at_end},
                   {"mark_seconds", gc.mark_seconds},
                   {"sweep_seconds", gc.sweep_seconds}});
    return shared;
  }
  shared.update({{"baseline_heap_inuse", gc.baseline_heap_inuse},
                 {"baseline_heap_alloc", gc.baseline_heap_alloc},
                 {"sealed", gc.sealed},
                 {"sealed_objects", gc.sealed_objects},
                 {"zero_size_objects", gc.zero_size_objects},
                 {"aligned_allocs_unaligned", gc.aligned_allocs},
                 {"repeats",
                  {{"runs", gc.runs},
                   {"peak_heap_inuse", RangeJson(gc.peak_heap_inuse_range)},
                   {"cycles", RangeJson(gc.cycles_range)}}}});
  return shared;
}

Json RuntimeSnapshotJson(const replay::RuntimeSnapshot& s) {
  Json classes = Json::array();
  for (const replay::RuntimeClassObjects& c : s.classes) {
    classes.push_back({{"object_size", c.object_size},
                       {"objects", c.objects()},
                       {"mallocs", c.mallocs},
                       {"frees", c.frees}});
  }
  return {{"heap_inuse", s.heap_inuse},
          {"heap_alloc", s.heap_alloc},
          {"heap_sys", s.heap_sys},
          {"heap_released", s.heap_released},
          {"heap_objects", s.heap_objects},
          {"mallocs", s.mallocs},
          {"frees", s.frees},
          {"num_gc", s.num_gc},
          {"next_gc", s.next_gc},
          {"size_classes", std::move(classes)}};
}

void AddRuntimeSampleJson(const replay::RuntimeSample& s, Json& sample) {
  sample["heap_inuse"] = s.heap_inuse;
  sample["heap_objects"] = s.heap_objects;
}

std::string RuntimeHeapSection(const Report& r, size_t width) {
  const replay::RuntimeSnapshot& p = *r.at_peak_live.runtime;
  const replay::RuntimeSnapshot& e = *r.at_end.runtime;
  TextTable table({{"bytes above the baseline", TextTable::Align::kLeft},
                   {"at peak live"},
                   {""},
                   {"at end"},
                   {""}});
  auto row = [&](const std::string& name, uint64_t peak, uint64_t end) {
    table.AddRow({name, FormatBytes(peak), FormatCount(peak), FormatBytes(end), FormatCount(end)});
  };
  row("HeapAlloc", p.heap_alloc, e.heap_alloc);
  row("HeapInuse", p.heap_inuse, e.heap_inuse);
  row("HeapSys − HeapReleased", r.at_peak_live.footprint, r.at_end.footprint);
  table.AddRow({"heap objects", "", FormatCount(p.heap_objects), "", FormatCount(e.heap_objects)});
  return "\nHeap  Go's runtime.ReadMemStats; footprint = HeapSys − HeapReleased\n" +
         table.Render(2, width);
}

namespace {

std::string Limit(const replay::GcFigures& gc) {
  return gc.memory_limit_bytes ? fmt::format("{} B", FormatCount(*gc.memory_limit_bytes)) : "none";
}

// The go backend's GC mode: its summary and its cycles, the first and last 10 (JSON has all).
std::string ModelGcSection(const replay::GcFigures& gc, size_t width) {
  constexpr size_t kEdge = 10;
  std::string out =
      "\nGC  the go heap under a model of Go 1.19's collector (GC mode)\n" +
      RenderKeyValues({
          {"GOGC", gc.gogc ? std::to_string(*gc.gogc) : "off"},
          {"GOMEMLIMIT", Limit(gc)},
          {"cycles", FormatCount(gc.cycles)},
          {"goal at end", gc.heap_goal_at_end == UINT64_MAX
                              ? std::string("none (GOGC off, no limit)")
                              : FormatBytes(gc.heap_goal_at_end)},
          {"peak HeapInuse", fmt::format("{} at event {}", FormatBytes(gc.peak_heap_inuse),
                                         FormatCount(gc.peak_heap_inuse_event))},
          {"peak HeapAlloc", FormatBytes(gc.peak_heap_alloc)},
          {"after a final GC", fmt::format("HeapAlloc {} B (live slots {} B), HeapInuse {}",
                                           FormatCount(gc.heap_alloc_after_final_gc),
                                           FormatCount(gc.predicted_heap_alloc_after_final_gc),
                                           FormatBytes(gc.heap_inuse_after_final_gc))},
          {"bookkeeping",
           fmt::format("mark {}, sweep {} (within replay time)", FormatSeconds(gc.mark_seconds),
                       FormatSeconds(gc.sweep_seconds))},
      });
  if (gc.cycle_log.empty()) return out;
  TextTable table({{"cycle"},
                   {"trigger event"},
                   {"mark end event"},
                   {"heapLive at trigger"},
                   {"trigger"},
                   {"goal"},
                   {"marked"},
                   {"inuse start"},
                   {"inuse end"},
                   {"spans swept"},
                   {"pages released"}});
  const size_t n = gc.cycle_log.size();
  for (size_t i = 0; i < n; i++) {
    if (n > 2 * kEdge && i == kEdge) {
      table.AddRow({"…"});
      i = n - kEdge;
    }
    const replay::GcCycle& c = gc.cycle_log[i];
    table.AddRow({FormatCount(c.cycle), FormatCount(c.trigger_event), FormatCount(c.event),
                  FormatBytes(c.heap_live_at_trigger), FormatBytes(c.trigger), FormatBytes(c.goal),
                  FormatBytes(c.heap_marked), FormatBytes(c.heap_inuse_start),
                  FormatBytes(c.heap_inuse_end), FormatCount(c.spans_swept),
                  FormatCount(c.pages_released)});
  }
  return out + fmt::format("\n  Cycles{}\n", n > 2 * kEdge ? " (first and last 10)" : "") +
         table.Render(2, width);
}

}  // namespace

std::string GcSection(const replay::GcFigures& gc, size_t width) {
  if (gc.model) return ModelGcSection(gc, width);
  std::vector<std::pair<std::string, std::string>> kv = {
      {"GOGC", gc.gogc ? std::to_string(*gc.gogc) : "off"},
      {"GOMEMLIMIT", Limit(gc)},
      {"cycles", FormatCount(gc.cycles)},
      {"peak HeapInuse", fmt::format("{} at event {}", FormatBytes(gc.peak_heap_inuse),
                                     FormatCount(gc.peak_heap_inuse_event))},
      {"peak HeapAlloc", FormatBytes(gc.peak_heap_alloc)},
      {"after a final GC",
       fmt::format("HeapAlloc {} B, HeapInuse {}", FormatCount(gc.heap_alloc_after_final_gc),
                   FormatBytes(gc.heap_inuse_after_final_gc))},
      {"predicted HeapAlloc",
       fmt::format("{} B{}", FormatCount(gc.predicted_heap_alloc_after_final_gc),
                   gc.final_gc_checked ? " (checked)" : " (not checked with several Ps)")},
      {"baseline",
       fmt::format("HeapInuse {}, subtracted above{}", FormatBytes(gc.baseline_heap_inuse),
                   gc.sealed
                       ? fmt::format(" (sealed with {} objects)", FormatCount(gc.sealed_objects))
                       : "")},
      {"size 0", fmt::format("{} objects (&zerobase, no heap)", FormatCount(gc.zero_size_objects))},
      {"aligned_alloc", fmt::format("{} replayed without their alignment (Go has none)",
                                    FormatCount(gc.aligned_allocs))},
  };
  if (gc.runs > 1) {
    kv.push_back({"repeats", fmt::format("{} runs; this is the median-peak one", gc.runs)});
    kv.push_back({"  peak HeapInuse", RangeText(gc.peak_heap_inuse_range)});
    kv.push_back({"  cycles", RangeText(gc.cycles_range)});
  }
  return "\nGC  the runtime's collector, figures above its baseline\n" + RenderKeyValues(kv);
}

void CheckGc(const replay::GcFigures& gc, std::vector<std::string>& failed) {
  if (gc.final_gc_checked &&
      gc.heap_alloc_after_final_gc != gc.predicted_heap_alloc_after_final_gc) {
    failed.push_back(fmt::format(
        "HeapAlloc after the final GC ({} B) differs from the class-size sum of the live "
        "objects ({} B)",
        gc.heap_alloc_after_final_gc, gc.predicted_heap_alloc_after_final_gc));
  }
}

}  // namespace goalloc::report
