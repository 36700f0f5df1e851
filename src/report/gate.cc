// The CI gate (see gate.h and docs/ci.md).
#include "src/report/gate.h"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "src/report/units.h"

namespace goalloc::report {
namespace {

// Timing is compared only where glibc's replay took at least this long in both runs: shorter
// replays are mostly scheduling noise on a shared machine (a 9-event trace's ratio moved
// from ×0.02 to ×0.77 between two runs).
constexpr double kMinTimedSeconds = 0.05;

std::string Percent(double fraction) { return fmt::format("{:+.1f} %", 100 * fraction); }
std::string Bytes(uint64_t n) { return FormatCount(n) + " B"; }

// A trace's columns, in order, each with its replay threads: what must match the baseline's
// for the figures to mean the same (a P per thread, each with its mcache of spans).
std::string ColumnList(const TraceSummaryRow& row) {
  std::string out;
  for (const ColumnSummary& c : row.columns) {
    out += fmt::format("{}{} on {} thread{}", out.empty() ? "" : ", ", c.Name(), c.threads,
                       c.threads == 1 ? "" : "s");
  }
  return out;
}

// A column's collector, exactly (the column's name rounds the memory limit).
std::string Collector(const std::optional<GcSummary>& gc) {
  if (!gc) return "none: frees as the trace says";
  std::string out = "GOGC=" + (gc->gogc ? std::to_string(*gc->gogc) : std::string("off"));
  if (gc->memory_limit_bytes) out += ", memory limit " + Bytes(*gc->memory_limit_bytes);
  return out;
}

bool SameCollector(const ColumnSummary& a, const ColumnSummary& b) {
  return a.gc.has_value() == b.gc.has_value() && (!a.gc || a.gc->SameSettings(*b.gc));
}

bool SameRun(const ColumnSummary& a, const ColumnSummary& b) {
  return a.allocator == b.allocator && a.mode == b.mode && a.threads == b.threads;
}

// Throws BaselineMismatch unless `now`'s columns are the baseline's: the same allocators,
// modes and replay threads, in order, each with the same collector settings.
void CheckSameColumns(const TraceSummaryRow& base, const TraceSummaryRow& now,
                      const std::string& baseline_path) {
  const bool same_runs =
      base.columns.size() == now.columns.size() &&
      std::equal(base.columns.begin(), base.columns.end(), now.columns.begin(), SameRun);
  if (!same_runs) {
    throw BaselineMismatch(fmt::format(
        "{}: this run's columns ({}) are not those of baseline {} ({}): compare with the "
        "same --allocators, --mode and --threads, or write a new baseline",
        now.trace, ColumnList(now), baseline_path, ColumnList(base)));
  }
  for (size_t i = 0; i < now.columns.size(); ++i) {
    const ColumnSummary &b = base.columns[i], &n = now.columns[i];
    if (SameCollector(b, n)) continue;
    throw BaselineMismatch(fmt::format(
        "{}: {} ({}): this run's collector ({}) is not that of baseline {} ({}): compare with "
        "the same --gogc and --memory-limit, or write a new baseline",
        now.trace, n.allocator, n.mode, Collector(n.gc), baseline_path, Collector(b.gc)));
  }
}

// Compares one trace × column. `add` records a regression of one figure.
class ColumnGate {
 public:
  ColumnGate(const TraceSummaryRow& row, const ColumnSummary& base, const ColumnSummary& now,
             const Thresholds& t, std::vector<Regression>& out)
      : row_(row), base_(base), now_(now), t_(t), out_(out) {}

  void Memory() {
    // Relative growth of a count: a class absent from the baseline grows from 0.
    auto relative = [&](const std::string& figure, uint64_t base, uint64_t now, double limit,
                        std::string (*format)(uint64_t)) {
      if (double(now) <= double(base) * (1 + limit)) return;
      std::string growth = base ? " (" + Percent(double(now) / double(base) - 1) + ")" : "";
      Add(figure, format(base), format(now) + growth, Percent(limit));
    };
    relative("peak_footprint_bytes", base_.peak_footprint_bytes, now_.peak_footprint_bytes,
             t_.footprint, Bytes);
    Frag("frag_peak_to_peak", base_.frag_peak_to_peak, now_.frag_peak_to_peak);
    Frag("frag_at_peak_live", base_.frag_at_peak_live, now_.frag_at_peak_live);
    for (const auto& [span_class, now] : now_.slots_at_peak) {
      auto it = base_.slots_at_peak.find(span_class);
      uint64_t base = it == base_.slots_at_peak.end() ? 0 : it->second;
      relative("slots_at_peak[" + span_class + "]", base, now, t_.slots, FormatCount);
    }
    // GC mode: the collected heap. Both runs collect with the same settings (CheckSameColumns).
    if (base_.gc && now_.gc) {
      relative("gc.peak_heap_inuse", base_.gc->peak_heap_inuse, now_.gc->peak_heap_inuse,
               t_.gc_peak, Bytes);
      relative("gc.cycles", base_.gc->cycles, now_.gc->cycles, t_.cycles, FormatCount);
    }
  }

  // This column's replay time relative to glibc's, against the same ratio in the baseline.
  void Timing(double base_glibc_seconds, double now_glibc_seconds) {
    if (!base_.replay_seconds_ratio || !now_.replay_seconds_ratio) return;
    if (std::min(base_glibc_seconds, now_glibc_seconds) < kMinTimedSeconds) return;
    double base = *base_.replay_seconds_ratio, now = *now_.replay_seconds_ratio;
    if (now <= base * (1 + t_.timing)) return;
    Add("replay_seconds / glibc's", FormatRatio(base),
        FormatRatio(now) + " (" + Percent(now / base - 1) + ")", Percent(t_.timing));
  }

 private:
  // Absolute growth in percentage points; a measure that appears or vanishes (live bytes 0)
  // is not a regression of the allocator.
  void Frag(const std::string& figure, std::optional<double> base, std::optional<double> now) {
    if (!base || !now || *now - *base <= t_.frag) return;
    Add(figure, FormatPercent(base),
        fmt::format("{} ({:+.2f} pp)", FormatPercent(now), 100 * (*now - *base)),
        fmt::format("{:+.2f} pp", 100 * t_.frag));
  }
  void Add(const std::string& figure, std::string base, std::string now, std::string limit) {
    out_.push_back(
        {row_.trace, now_.Name(), figure, std::move(base), std::move(now), std::move(limit)});
  }

  const TraceSummaryRow& row_;
  const ColumnSummary &base_, &now_;
  const Thresholds& t_;
  std::vector<Regression>& out_;
};

}  // namespace

Thresholds ParseThresholds(std::string_view spec) {
  Thresholds t;
  struct Known {
    const char* name;
    const char* unit;
    double* value;
  };
  const Known known[] = {{"footprint", "%", &t.footprint}, {"frag", "pp", &t.frag},
                         {"slots", "%", &t.slots},         {"gc_peak", "%", &t.gc_peak},
                         {"cycles", "%", &t.cycles},       {"timing", "%", &t.timing}};
  for (bool more = !spec.empty(); more;) {
    size_t comma = spec.find(',');
    std::string_view part = spec.substr(0, comma);
    more = comma != std::string_view::npos;
    if (more) spec.remove_prefix(comma + 1);
    size_t eq = part.find('=');
    std::string_view name = part.substr(0, eq);
    const Known* k = std::find_if(std::begin(known), std::end(known),
                                  [&](const Known& k) { return name == k.name; });
    if (eq == std::string_view::npos || k == std::end(known)) {
      std::string names;
      for (const Known& k : known) names += (names.empty() ? "" : ", ") + std::string(k.name);
      throw std::invalid_argument(
          fmt::format("'{}': expected FIGURE=LIMIT, FIGURE one of {}", part, names));
    }
    std::string_view value = part.substr(eq + 1);
    std::string_view unit = k->unit;
    double number = -1;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc() || std::string_view(end, value.data() + value.size() - end) != unit ||
        number < 0) {
      throw std::invalid_argument(fmt::format("'{}': {} takes a number ≥ 0 in {} (e.g. {}=1{})",
                                              part, k->name, unit, k->name, unit));
    }
    *k->value = number / 100;  // percent and percentage points alike
  }
  return t;
}

void CheckTraceSet(const std::vector<TraceSummaryRow>& baseline,
                   const std::vector<std::pair<std::string, std::string>>& traces, bool partial,
                   const std::string& baseline_path) {
  std::map<std::string, const TraceSummaryRow*> known;
  for (const TraceSummaryRow& row : baseline) known[row.trace] = &row;
  std::set<std::string> replayed;
  for (const auto& [path, hash] : traces) {
    replayed.insert(path);
    auto it = known.find(path);
    if (it == known.end()) {
      throw BaselineMismatch(fmt::format(
          "baseline {} has no trace {} ({} traces there): another trace set? Write one for "
          "these traces with --write-baseline",
          baseline_path, path, baseline.size()));
    }
    if (it->second->content_hash != hash) {
      throw BaselineMismatch(
          fmt::format("trace {} changed since baseline {} (content hash {}, baseline's {}): "
                      "its figures cannot be compared; write a new baseline",
                      path, baseline_path, hash, it->second->content_hash));
    }
  }
  if (partial) return;
  for (const TraceSummaryRow& row : baseline) {
    if (!replayed.count(row.trace)) {
      throw BaselineMismatch(fmt::format(
          "baseline {} has trace {}, which this run does not replay: another trace set? "
          "(--baseline-partial compares a part of the baseline's traces)",
          baseline_path, row.trace));
    }
  }
}

std::string Regression::Line() const {
  return fmt::format("{}: {}: {}: baseline {}, now {}, threshold {}", trace, column, figure,
                     baseline, now, threshold);
}

std::vector<Regression> FindRegressions(const std::vector<TraceSummaryRow>& baseline,
                                        const std::vector<TraceSummaryRow>& now,
                                        const Thresholds& thresholds, bool timing,
                                        const std::string& baseline_path) {
  std::vector<Regression> out;
  for (const TraceSummaryRow& row : now) {
    auto base = std::find_if(baseline.begin(), baseline.end(),
                             [&](const TraceSummaryRow& b) { return b.trace == row.trace; });
    if (base == baseline.end()) continue;  // CheckTraceSet allowed it (not compared)
    CheckSameColumns(*base, row, baseline_path);
    // glibc's replay time in each run (the first glibc column: ratios are to that one).
    double base_glibc = 0, now_glibc = 0;
    for (size_t i = row.columns.size(); i-- > 0;) {
      if (row.columns[i].allocator != "glibc") continue;
      base_glibc = base->columns[i].replay_seconds;
      now_glibc = row.columns[i].replay_seconds;
    }
    for (size_t i = 0; i < row.columns.size(); ++i) {
      ColumnGate gate(row, base->columns[i], row.columns[i], thresholds, out);
      if (row.columns[i].deterministic && base->columns[i].deterministic) gate.Memory();
      if (timing && row.columns[i].allocator != "glibc") gate.Timing(base_glibc, now_glibc);
    }
  }
  return out;
}

std::vector<GateCase> GateCases(const CorpusReport& corpus,
                                const std::vector<Regression>& regressions) {
  std::vector<GateCase> cases;
  const std::vector<TraceSummaryRow> rows = SummaryOf(corpus);  // a row per trace, in order
  for (size_t t = 0; t < corpus.traces.size(); ++t) {
    const CompareReport& c = corpus.traces[t].compare;
    for (size_t i = 0; i < c.runs.size(); ++i) {
      const Report& run = c.runs[i];
      GateCase gc{c.trace.path, rows[t].columns[i].Name(), run.run.replay_seconds,
                  run.failed_checks};
      for (const Regression& r : regressions) {
        if (r.trace == gc.trace && r.column == gc.column) gc.failures.push_back(r.Line());
      }
      cases.push_back(std::move(gc));
    }
    // BuildCompare lists the runs' own checks first, then those across the runs (live bytes
    // that disagree), which belong to no one column.
    size_t own = 0;
    for (const Report& run : c.runs) own += run.failed_checks.size();
    if (c.failed_checks.size() > own) {
      cases.push_back({c.trace.path,
                       "all columns",
                       0,
                       {c.failed_checks.begin() + std::ptrdiff_t(own), c.failed_checks.end()}});
    }
  }
  for (const FailedTrace& f : corpus.failed_traces) {
    cases.push_back({f.path, "", 0, {"not replayed: " + f.error}});
  }
  return cases;
}

}  // namespace goalloc::report
