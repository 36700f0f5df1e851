// Building the report of one replay (see report_model.h).
#include "src/report/report_model.h"

#include <fmt/core.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "src/replay/allocators.h"
#include "src/report/gc_report.h"

namespace goalloc::report {
namespace {

std::vector<alloc::SpanClassStats> ActiveClassesSorted(
    const std::vector<alloc::SpanClassStats>& all) {
  std::vector<alloc::SpanClassStats> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out), [](const alloc::SpanClassStats& c) {
    return c.mallocs > 0 || c.frees > 0 || c.slots > 0;
  });
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.size_class, a.noscan) < std::tie(b.size_class, b.noscan);
  });
  return out;
}

SnapshotReport ReportSnapshot(const replay::Snapshot& s) {
  SnapshotReport r;
  r.event = s.event;
  r.exact = s.exact;
  r.live = s.live;
  r.footprint = s.footprint;
  r.system = s.system;
  r.runtime = s.runtime;
  if (s.go) {
    r.go = s.go;
    r.accounting = AccountingOf(*s.go);
    r.size_classes = ActiveClassesSorted(s.go->span_classes);
  }
  return r;
}

// The checks one snapshot must pass; `where` names it in messages.
void CheckSnapshot(const SnapshotReport& s, const std::string& where,
                   std::vector<std::string>& failed) {
  if (!s.accounting) return;
  const ByteAccounting& a = *s.accounting;
  if (std::string why = AccountingMismatch(a); !why.empty()) {
    failed.push_back(fmt::format("byte accounting does not add up {}: {}", where, why));
  }
  if (a.footprint() != s.footprint) {
    failed.push_back(
        fmt::format("footprint {} ({} B) differs from sys − released + metadata ({} B)", where,
                    s.footprint, a.footprint()));
  }
  if (a.requested != s.live) {
    failed.push_back(fmt::format(
        "the allocator's requested bytes {} ({} B) differ from the live bytes replayed ({} B)",
        where, a.requested, s.live));
  }
}

// Every live object is touched, so no allocator can hold it in less memory than its bytes:
// a footprint below the live bytes, or a negative fragmentation measure, means the footprint
// was not measured honestly (e.g. a baseline that already held memory the replay reused). It
// is a failed check, and the measure is withheld from the report rather than shown.
// go-runtime is the exception: its baseline is the runtime's own heap, whose free pages the
// replay's first objects use without growing it (docs/go-runtime.md), so a trace with less
// live data than that room has a footprint below its live bytes, truly.
void CheckImpossibleFootprints(Report& r) {
  if (r.run.allocator == replay::kGoRuntime) return;
  for (const auto& [s, where] :
       {std::pair{&r.at_peak_live, "at peak live"}, std::pair{&r.at_end, "at the end"}}) {
    if (s->footprint < s->live) {
      r.failed_checks.push_back(fmt::format("impossible footprint {}: {} B is below the {} B live",
                                            where, s->footprint, s->live));
    }
  }
  Fragmentation& f = r.fragmentation;
  for (auto [measure, value] :
       {std::pair{"frag_mean", &f.frag_mean}, std::pair{"frag_at_peak_live", &f.frag_at_peak_live},
        std::pair{"frag_at_peak_footprint", &f.frag_at_peak_footprint},
        std::pair{"frag_peak_to_peak", &f.frag_peak_to_peak}}) {
    if (*value && **value < 0) {
      r.failed_checks.push_back(fmt::format("impossible fragmentation: {} is {:.1f} %, below zero",
                                            measure, **value * 100));
      value->reset();
    }
  }
}

}  // namespace

double ContentionRate(uint64_t contended, uint64_t acquisitions) {
  return acquisitions ? double(contended) / double(acquisitions) : 0.0;
}

Report BuildReport(const ToolInfo& tool, const replay::TraceSummary& trace,
                   replay::ReplayResult run) {
  Report r;
  r.tool = tool;
  r.trace = trace;
  r.run = std::move(run);
  r.is_go = r.run.allocator == "go";
  r.at_end = ReportSnapshot(r.run.at_end);
  r.at_peak_live = ReportSnapshot(r.run.at_peak_live);
  r.fragmentation = ComputeFragmentation(r.trace, r.run);

  r.locks = r.run.locks;
  // Longest total wait first; among equal waits (all of them in sim mode) the busiest.
  std::stable_sort(r.locks.begin(), r.locks.end(), [](const auto& a, const auto& b) {
    return std::tie(a.wait_ns_total, a.acquisitions) > std::tie(b.wait_ns_total, b.acquisitions);
  });
  for (const alloc::LockStats& l : r.locks) {
    r.lock_totals.acquisitions += l.acquisitions;
    r.lock_totals.contended += l.contended;
    r.lock_totals.wait_ns_total += l.wait_ns_total;
    r.lock_totals.wait_ns_max = std::max(r.lock_totals.wait_ns_max, l.wait_ns_max);
  }
  r.contention_zero_by_construction = r.run.mode == "sim";

  CheckSnapshot(r.at_end, "at the end", r.failed_checks);
  CheckSnapshot(r.at_peak_live, "at peak live", r.failed_checks);
  CheckImpossibleFootprints(r);
  if (r.run.gc) CheckGc(*r.run.gc, r.failed_checks);
  if (r.run.verified && !r.run.verify_error.empty()) {
    r.failed_checks.push_back("verify: " + r.run.verify_error);
  }
  if (r.at_end.live != r.trace.final_live_bytes) {
    r.failed_checks.push_back(
        fmt::format("live bytes at the end of the replay ({} B) differ from the trace's ({} B)",
                    r.at_end.live, r.trace.final_live_bytes));
  }
  if (r.at_peak_live.exact && r.at_peak_live.live != r.trace.peak_live_bytes) {
    r.failed_checks.push_back(fmt::format(
        "live bytes at the peak-live snapshot ({} B) differ from the trace's peak ({} B)",
        r.at_peak_live.live, r.trace.peak_live_bytes));
  }
  return r;
}

}  // namespace goalloc::report
