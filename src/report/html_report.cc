// The HTML report of one replay (see html_report.h and docs/html-report.md).
#include "src/report/html_report.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "src/report/heap_figures.h"
#include "src/report/html_page.h"
#include "src/report/html_table.h"
#include "src/report/svg/bar_chart.h"
#include "src/report/svg/palette.h"
#include "src/report/svg/xy_chart.h"
#include "src/report/units.h"
#include "src/trace/live_objects.h"

namespace goalloc::report {
namespace {

using svg::Element;

// Colours with a meaning that stays the same on every chart of the page.
constexpr const char* kFootprintColor = "#D55E00";
constexpr const char* kInuseColor = "#0072B2";
constexpr const char* kIdleColor = "#E69F00";
constexpr const char* kReleasedColor = "#B8B8B8";
constexpr const char* kPeakLiveColor = "#CC79A7";
constexpr const char* kPeakFootprintColor = "#009E73";
constexpr const char* kAtPeakColor = "#0072B2";
constexpr const char* kAtEndColor = "#E69F00";
constexpr const char* kWaitColor = "#D55E00";
constexpr const char* kGoalColor = "#56B4E9";
constexpr const char* kTriggerColor = "#009E73";
constexpr const char* kCycleColor = "#999999";

constexpr size_t kMaxLockBars = 20;
constexpr size_t kOpenTableRows = 12;  // longer tables start folded

HtmlCell BytesCell(uint64_t b) { return HtmlCell(FormatBytes(b), FormatExactBytes(b)); }

std::string Percent(uint64_t part, uint64_t whole) {
  return whole ? FormatPercent(double(part) / double(whole)) : "n/a";
}

// ---- timeline ------------------------------------------------------------------------

// Adds (x, y) to a series kept in x order, unless it already has a point at x.
void InsertPoint(svg::XYSeries& s, double x, double y) {
  auto at = std::lower_bound(s.x.begin(), s.x.end(), x);
  if (at != s.x.end() && *at == x) return;
  size_t i = size_t(at - s.x.begin());
  s.x.insert(at, x);
  s.y.insert(s.y.begin() + std::ptrdiff_t(i), y);
}

// GC mode: the goal and the trigger as steps, each holding from one mark termination to the
// next (the trigger until the cycle starts), and a tick per cycle at its mark termination.
void AddGcPacing(svg::XYChartSpec& spec, const replay::GcFigures& gc, uint64_t last_event) {
  svg::XYSeries goal{"heap goal", kGoalColor, {}, {}, true};
  svg::XYSeries trigger{"trigger", kTriggerColor, {}, {}, true};
  svg::XYEventTicks cycles{"GC cycle (mark termination)", kCycleColor, {}};
  double from = 0;
  for (const replay::GcCycle& c : gc.cycle_log) {
    for (double x : {from, double(c.event)}) {
      goal.x.push_back(x);
      goal.y.push_back(double(c.goal));
    }
    for (double x : {from, double(c.trigger_event)}) {
      trigger.x.push_back(x);
      trigger.y.push_back(double(c.trigger));
    }
    cycles.x.push_back(double(c.event));
    from = double(c.event);
  }
  if (gc.heap_goal_at_end != UINT64_MAX && double(last_event) >= from) {
    for (double x : {from, double(last_event)}) {
      goal.x.push_back(x);
      goal.y.push_back(double(gc.heap_goal_at_end));
    }
  }
  if (!goal.x.empty()) spec.lines.push_back(goal);
  if (!trigger.x.empty()) spec.lines.push_back(trigger);
  if (!cycles.x.empty()) spec.event_ticks.push_back(cycles);
}

void AddTimeline(HtmlPage& page, const Report& r) {
  const auto& samples = r.run.timeline;
  const bool layers = r.is_go && !samples.empty() &&
                      std::all_of(samples.begin(), samples.end(),
                                  [](const replay::Sample& s) { return s.heap.has_value(); });
  svg::XYChartSpec spec =
      BytesOverCountChart("Live bytes and footprint over the trace", "event", "bytes");
  svg::XYSeries live{"live", svg::kLiveColor, {}, {}},
      footprint{"footprint", kFootprintColor, {}, {}};
  svg::XYSeries inuse{"inuse", kInuseColor, {}, {}}, idle{"idle", kIdleColor, {}, {}},
      released{"released", kReleasedColor, {}, {}};
  // go-runtime: real Go's HeapInuse, beside its footprint (HeapSys − HeapReleased).
  const bool runtime = !samples.empty() && samples.front().runtime.has_value();
  svg::XYSeries heap_inuse{"HeapInuse", kInuseColor, {}, {}};
  for (const replay::Sample& s : samples) {
    double x = double(s.event);
    live.x.push_back(x);
    live.y.push_back(double(s.live));
    footprint.x.push_back(x);
    footprint.y.push_back(double(s.footprint));
    if (runtime && s.runtime) {
      heap_inuse.x.push_back(x);
      heap_inuse.y.push_back(double(s.runtime->heap_inuse));
    }
    if (!layers) continue;
    for (auto [series, value] : {std::pair{&inuse, s.heap->inuse}, std::pair{&idle, s.heap->idle},
                                 std::pair{&released, s.heap->released}}) {
      series->x.push_back(x);
      series->y.push_back(double(value));
    }
  }
  // The two peaks are exact snapshots, rarely sample points: put them on the lines so the
  // lines reach the markers.
  const Fragmentation& f = r.fragmentation;
  for (auto [event, l, fp] :
       {std::tuple{f.peak_live_event, f.live_at_peak_live, f.footprint_at_peak_live},
        std::tuple{f.peak_footprint_event, f.live_at_peak_footprint, f.peak_footprint_bytes}}) {
    InsertPoint(live, double(event), double(l));
    InsertPoint(footprint, double(event), double(fp));
  }
  spec.lines = {live, footprint};
  if (runtime) spec.lines.push_back(heap_inuse);
  const bool gc_model = r.run.gc && r.run.gc->model;
  if (gc_model) AddGcPacing(spec, *r.run.gc, samples.empty() ? 0 : samples.back().event);
  if (layers) spec.areas = {inuse, idle, released};
  spec.markers = {{double(f.peak_live_event), double(f.live_at_peak_live),
                   "peak live " + FormatBytes(f.live_at_peak_live), kPeakLiveColor},
                  {double(f.peak_footprint_event), double(f.peak_footprint_bytes),
                   "peak footprint " + FormatBytes(f.peak_footprint_bytes), kPeakFootprintColor}};

  std::vector<std::string> header = {"event"};
  if (r.trace.has_time) header.push_back("t");
  for (const char* h : {"live", "footprint"}) header.push_back(h);
  if (runtime) header.push_back("HeapInuse");
  if (layers) {
    for (const char* h : {"inuse", "idle", "released", "spans in use"}) header.push_back(h);
  }
  HtmlTable table(header, std::vector<bool>(header.size(), true));
  for (const replay::Sample& s : samples) {
    std::vector<HtmlCell> row = {FormatCount(s.event)};
    if (r.trace.has_time) {
      row.push_back(s.t == trace::kNoTime ? "" : FormatNanoseconds(s.t));
    }
    row.push_back(BytesCell(s.live));
    row.push_back(BytesCell(s.footprint));
    if (runtime) row.push_back(s.runtime ? BytesCell(s.runtime->heap_inuse) : HtmlCell(""));
    if (layers) {
      row.push_back(BytesCell(s.heap->inuse));
      row.push_back(BytesCell(s.heap->idle));
      row.push_back(BytesCell(s.heap->released));
      row.push_back(FormatCount(s.heap->spans_in_use));
    }
    table.AddRow(std::move(row));
  }

  Element& section = page.AddSection("timeline", "Timeline");
  std::string note =
      "Live bytes (requested bytes of live objects) and footprint (memory held from the OS) "
      "after each sampled event.";
  if (layers) {
    note +=
        " The areas split the heap's mapped pages into in-use spans, idle pages and pages "
        "released to the OS; footprint is inuse + idle + the allocator's metadata.";
  }
  if (gc_model) {
    note +=
        " GC mode: the pacer's heap goal and trigger (dashed; in Go's heapLive, which counts "
        "the free slots of spans the Ps hold), and a tick per cycle where its mark terminated.";
  }
  AddFigure(section, "timeline", "Live bytes and footprint", note, svg::DrawXYChart(spec),
            table.RenderFolded(fmt::format("Numbers: {} samples", samples.size()), false));
}

// ---- fragmentation -------------------------------------------------------------------

void AddFragmentation(HtmlPage& page, const Report& r) {
  const Fragmentation& f = r.fragmentation;
  HtmlTable table({"measure", "value", "footprint", "live", "where"},
                  {false, true, true, true, false});
  auto bytes = [](std::optional<uint64_t> b) { return b ? BytesCell(*b) : HtmlCell(""); };
  for (const FragmentationRow& row : FragmentationRows(f)) {
    table.AddRow(
        {row.measure, FormatPercent(row.value), bytes(row.footprint), bytes(row.live), row.where});
  }
  Element& section = page.AddSection("fragmentation", "Fragmentation");
  AddNote(section,
          "The four measures of Johnstone & Wilson (ISMM 1998), each footprint / live − 1: "
          "0 % means the allocator holds exactly what is live.");
  section.Add(table.Render());
}

// ---- byte accounting -----------------------------------------------------------------

// The parts of sys the chart stacks: the held parts of the identity, then released.
struct AccountingPart {
  uint64_t ByteAccounting::*field;
  const char* color;
};

constexpr AccountingPart kAccountingParts[] = {
    {&ByteAccounting::requested, "#0072B2"},  {&ByteAccounting::garbage, "#000000"},
    {&ByteAccounting::rounding, "#56B4E9"},   {&ByteAccounting::tiny_waste, "#009E73"},
    {&ByteAccounting::free_slots, "#E69F00"}, {&ByteAccounting::tail_waste, "#D55E00"},
    {&ByteAccounting::idle, "#CC79A7"},       {&ByteAccounting::released, kReleasedColor},
};

void AddAccounting(HtmlPage& page, const Report& r) {
  const ByteAccounting& p = *r.at_peak_live.accounting;
  const ByteAccounting& e = *r.at_end.accounting;
  svg::BarChartSpec spec;
  spec.description = "Byte accounting of the heap at peak live and at end";
  spec.layout = svg::BarLayout::kStacked;
  spec.orientation = svg::BarOrientation::kBars;
  spec.value_labels = true;
  spec.value_title = "bytes of heap mapped from the OS (sys)";
  spec.format_value = BytesFormat();
  spec.categories = {"at peak live", "at end"};
  HtmlTable table({"", "at peak live", "of sys", "at end", "of sys"},
                  {false, true, true, true, true});
  const bool gc_model = r.run.gc && r.run.gc->model;
  for (const AccountingPart& part : kAccountingParts) {
    if (part.field == &ByteAccounting::garbage && !gc_model) continue;
    uint64_t pv = p.*part.field, ev = e.*part.field;
    const std::string name(AccountingFigure(part.field).label);
    spec.series.push_back(
        {name,
         part.color,
         {double(pv), double(ev)},
         {fmt::format("at peak live, {}: {} ({} of sys)", name, FormatBytes(pv),
                      Percent(pv, p.sys)),
          fmt::format("at end, {}: {} ({} of sys)", name, FormatBytes(ev), Percent(ev, e.sys))}});
    table.AddRow({name, BytesCell(pv), Percent(pv, p.sys), BytesCell(ev), Percent(ev, e.sys)});
  }
  table.AddRow({"sys (the sum)", BytesCell(p.sys), "", BytesCell(e.sys), ""});
  table.AddRow({"metadata (beside sys)", BytesCell(p.metadata), "", BytesCell(e.metadata), ""});
  table.AddRow({"footprint = sys − released + metadata", BytesCell(p.footprint()), "",
                BytesCell(e.footprint()), ""});
  auto verdict = [](const ByteAccounting& a) { return a.adds_up() ? "yes" : "NO"; };
  table.AddRow({"sys − released = requested + … + idle", verdict(p), "", verdict(e), ""});

  Element& section = page.AddSection("accounting", "Byte accounting");
  AddFigure(section, "accounting", "Where the heap's bytes went",
            std::string("Every byte the heap mapped from the OS, by what holds it. Everything but "
                        "requested is overhead: ") +
                (gc_model ? "garbage (objects freed in the trace that no sweep has reclaimed "
                            "yet, GC mode), "
                          : "") +
                "rounding up to the size class, unused bytes of tiny blocks, free object slots "
                "in in-use spans, span tails too short for a slot, free pages kept (idle), and "
                "pages given back to the OS (released).",
            svg::DrawBarChart(spec), table.Render());
}

// ---- span classes --------------------------------------------------------------------

struct ClassRow {
  const alloc::SpanClassStats* peak = nullptr;
  const alloc::SpanClassStats* end = nullptr;
  const alloc::SpanClassStats& any() const { return peak ? *peak : *end; }
};

// Span classes active at peak live or at end, keyed and ordered by (class, noscan).
std::map<std::pair<int, bool>, ClassRow> ClassRows(const Report& r) {
  std::map<std::pair<int, bool>, ClassRow> rows;
  for (const auto& c : r.at_peak_live.size_classes) rows[{c.size_class, c.noscan}].peak = &c;
  for (const auto& c : r.at_end.size_classes) rows[{c.size_class, c.noscan}].end = &c;
  return rows;
}

std::string ClassHover(const alloc::SpanClassStats* c, const alloc::SpanClassStats& any,
                       const char* when) {
  std::string head = fmt::format("class {} ({} B, {}) {}", any.size_class, any.object_size,
                                 any.noscan ? "noscan" : "scan", when);
  if (!c || c->slots == 0) return head + ": no span in use";
  return fmt::format(
      "{}: {} of {} slots in use ({})\nspans: {} in mcaches, {} partial, {} full ({} slots each)",
      head, FormatCount(c->objects_in_use), FormatCount(c->slots), FormatPercent(c->occupancy()),
      FormatCount(c->spans_mcache), FormatCount(c->spans_partial), FormatCount(c->spans_full),
      FormatCount(c->span_slots));
}

HtmlCell SpansCell(const alloc::SpanClassStats* c) {
  if (!c) return {};
  uint64_t total = c->spans_mcache + c->spans_partial + c->spans_full;
  return {FormatCount(total), fmt::format("{} in mcaches, {} partial, {} full", c->spans_mcache,
                                          c->spans_partial, c->spans_full)};
}

// "objects / slots (occupancy)", with the span-occupancy histogram on hover.
HtmlCell OccupancyCell(const alloc::SpanClassStats* c) {
  if (!c) return {};
  const auto& h = c->occupancy_histogram;
  return {fmt::format("{} / {} ({})", FormatCount(c->objects_in_use), FormatCount(c->slots),
                      c->slots ? FormatPercent(c->occupancy()) : "n/a"),
          fmt::format("spans by fill: {} under 25 %, {} 25–50 %, {} 50–75 %, {} 75–100 %, {} full",
                      h[0], h[1], h[2], h[3], h[4])};
}

void AddSpanClassFigure(Element& section, const Report& r, bool noscan) {
  svg::BarChartSpec spec;
  const char* kind = noscan ? "noscan" : "scan";
  spec.description = fmt::format("Occupancy of the {} span classes at peak live and at end", kind);
  spec.unit = Unit::kFraction;
  spec.value_max = 1;
  spec.value_title = "occupancy (objects in use / slots)";
  spec.format_value = PercentFormat();
  spec.category_title = "size class: object size";
  svg::BarSeries peak{"at peak live", kAtPeakColor, {}, {}}, end{"at end", kAtEndColor, {}, {}};
  HtmlTable table(
      {"class", "object size", "span pages", "spans at peak live", "objects / slots at peak live",
       "spans at end", "objects / slots at end", "mallocs", "frees"},
      std::vector<bool>(9, true));
  for (const auto& [key, row] : ClassRows(r)) {
    if (key.second != noscan) continue;
    const alloc::SpanClassStats& c = row.any();
    spec.categories.push_back(fmt::format("{}: {} B", c.size_class, c.object_size));
    peak.values.push_back(row.peak ? row.peak->occupancy() : 0);
    peak.hover.push_back(ClassHover(row.peak, c, "at peak live"));
    end.values.push_back(row.end ? row.end->occupancy() : 0);
    end.hover.push_back(ClassHover(row.end, c, "at end"));
    const alloc::SpanClassStats& counters = row.end ? *row.end : *row.peak;
    table.AddRow({FormatCount(c.size_class), FormatExactBytes(c.object_size),
                  FormatCount(c.span_pages), SpansCell(row.peak), OccupancyCell(row.peak),
                  SpansCell(row.end), OccupancyCell(row.end), FormatCount(counters.mallocs),
                  FormatCount(counters.frees)});
  }
  if (spec.categories.empty()) {
    AddNote(section, fmt::format("No {} span class had any activity.", kind));
    return;
  }
  spec.series = {peak, end};
  AddFigure(
      section, std::string("span-classes-") + kind,
      fmt::format("{} span classes", noscan ? "Noscan (pointer-free)" : "Scan (with pointers)"), "",
      svg::DrawBarChart(spec),
      table.RenderFolded(fmt::format("Numbers: {} span classes", table.rows()),
                         table.rows() <= kOpenTableRows));
}

void AddSpanClasses(HtmlPage& page, const Report& r) {
  Element& section = page.AddSection("size-classes", "Span classes");
  AddNote(section,
          "Occupancy of each span class with any activity: objects in use / object slots over "
          "its in-use spans. Hover over a bar for the counts; low bars are spans held mostly "
          "empty.");
  AddSpanClassFigure(section, r, /*noscan=*/true);
  AddSpanClassFigure(section, r, /*noscan=*/false);
}

// ---- large objects -------------------------------------------------------------------

void AddLarge(HtmlPage& page, const Report& r) {
  const alloc::LargeStats& p = r.at_peak_live.go->large;
  const alloc::LargeStats& e = r.at_end.go->large;
  HtmlTable table({"", "at peak live", "at end"}, {false, true, true});
  // The garbage figures are GC mode's, shown in the text report.
  for (uint64_t alloc::LargeStats::*field :
       {&alloc::LargeStats::allocations, &alloc::LargeStats::frees,
        &alloc::LargeStats::live_objects, &alloc::LargeStats::live_bytes, &alloc::LargeStats::pages,
        &alloc::LargeStats::rounding}) {
    const Figure<alloc::LargeStats>& f = FigureOf(kLargeFigures, field);
    auto cell = [&](uint64_t v) { return f.unit == "B" ? BytesCell(v) : HtmlCell(FormatCount(v)); };
    table.AddRow({std::string(f.label), cell(p.*field), cell(e.*field)});
  }
  Element& section = page.AddSection("large", "Large objects");
  AddNote(section, "Objects above 32 KiB get a span of their own, rounded up to whole pages.");
  section.Add(table.Render());
}

// ---- locks ---------------------------------------------------------------------------

void AddLocks(HtmlPage& page, const Report& r) {
  Element& section = page.AddSection("locks", "Lock contention");
  if (r.contention_zero_by_construction) {
    AddNote(section,
            "Sim mode runs every event on one OS thread, so no lock is ever contended: "
            "the waits are zero by construction. Replay with --mode parallel to measure them.");
  }
  svg::BarChartSpec spec;
  spec.description = "Total wait per lock, longest first";
  spec.orientation = svg::BarOrientation::kBars;
  spec.unit = Unit::kNanoseconds;
  spec.value_labels = true;
  spec.value_title = "total wait";
  spec.format_value = NanosecondsFormat();
  svg::BarSeries wait{"total wait", kWaitColor, {}, {}};
  HtmlTable table(
      {"lock", "acquisitions", "contended", "contention rate", "total wait", "max wait"},
      {false, true, true, true, true, true});
  for (const alloc::LockStats& l : r.locks) {  // sorted by total wait
    table.AddRow({l.name, FormatCount(l.acquisitions), FormatCount(l.contended),
                  FormatPercent(ContentionRate(l.contended, l.acquisitions)),
                  FormatNanoseconds(l.wait_ns_total), FormatNanoseconds(l.wait_ns_max)});
    if (l.wait_ns_total == 0 || spec.categories.size() == kMaxLockBars) continue;
    spec.categories.push_back(l.name);
    wait.values.push_back(double(l.wait_ns_total));
    wait.hover.push_back(
        fmt::format("{}: {} total wait, longest {}\n{} of {} acquisitions contended ({})", l.name,
                    FormatNanoseconds(l.wait_ns_total), FormatNanoseconds(l.wait_ns_max),
                    FormatCount(l.contended), FormatCount(l.acquisitions),
                    FormatPercent(ContentionRate(l.contended, l.acquisitions))));
  }
  const LockTotals& t = r.lock_totals;
  table.AddRow({"total", FormatCount(t.acquisitions), FormatCount(t.contended),
                FormatPercent(ContentionRate(t.contended, t.acquisitions)),
                FormatNanoseconds(t.wait_ns_total), FormatNanoseconds(t.wait_ns_max)});
  Element folded = table.RenderFolded(fmt::format("Numbers: {} locks", r.locks.size()),
                                      table.rows() <= kOpenTableRows);
  if (spec.categories.empty()) {
    if (!r.contention_zero_by_construction) AddNote(section, "No lock acquisition had to wait.");
    section.Add(std::move(folded));
    return;
  }
  spec.series = {wait};
  std::string heading = "Total wait per lock";
  if (spec.categories.size() == kMaxLockBars)
    heading += fmt::format(" (the {} longest)", kMaxLockBars);
  AddFigure(section, "locks", heading,
            "Time threads spent waiting to acquire each lock, summed over the replay.",
            svg::DrawBarChart(spec), std::move(folded));
}

// ---- system allocator ----------------------------------------------------------------

void AddSystemHeap(HtmlPage& page, const Report& r) {
  const auto& p = r.at_peak_live.system;
  const auto& e = r.at_end.system;
  if (!p || !e) return;
  HtmlTable table({"", "at peak live", "at end"}, {false, true, true});
  table.AddRow(
      {"resident set (net of baseline)", BytesCell(p->rss_bytes), BytesCell(e->rss_bytes)});
  if (p->allocator && e->allocator) {
    const std::string& source = r.run.allocator_stats_source;
    auto cell = [](std::optional<uint64_t> b) { return b ? BytesCell(*b) : HtmlCell("—"); };
    table.AddRow({"allocator footprint (less the replayer's own objects)",
                  cell(r.at_peak_live.allocator_footprint), cell(r.at_end.allocator_footprint)});
    for (auto [name, field] : {std::pair{"mapped", &replay::AllocatorStats::mapped},
                               std::pair{"resident", &replay::AllocatorStats::resident},
                               std::pair{"allocated", &replay::AllocatorStats::allocated}}) {
      table.AddRow(
          {source + " " + name, cell((*p->allocator).*field), cell((*e->allocator).*field)});
    }
  }
  if (p->has_mallinfo && e->has_mallinfo) {
    for (auto [name, field] :
         {std::pair{"arena (mallinfo2)", &replay::SystemHeap::arena},
          std::pair{"hblkhd (mmapped blocks)", &replay::SystemHeap::hblkhd},
          std::pair{"uordblks (in use)", &replay::SystemHeap::uordblks},
          std::pair{"fordblks (free)", &replay::SystemHeap::fordblks},
          std::pair{"keepcost (top, releasable)", &replay::SystemHeap::keepcost}}) {
      table.AddRow({name, BytesCell((*p).*field), BytesCell((*e).*field)});
    }
  }
  page.AddSection("heap", "The allocator's own figures").Add(table.Render());
}

// ---- trace and replay ----------------------------------------------------------------

void AddRun(HtmlPage& page, const Report& r) {
  const replay::TraceSummary& t = r.trace;
  const replay::ReplayResult& run = r.run;
  HtmlTable table({"", ""}, {false, false});
  table.AddRow({"trace", t.path});
  table.AddRow({"encoding", t.encoding});
  std::string ops;
  for (int op = 0; op < trace::kNumOps; ++op) {
    ops += fmt::format("{}{} {}", op ? ", " : "", FormatCount(t.ops[size_t(op)]),
                       trace::OpName(trace::Op(op)));
  }
  table.AddRow({"events", FormatCount(t.events) + " (" + ops + ")"});
  table.AddRow({"recorded threads", FormatCount(t.threads)});
  table.AddRow(
      {"inconsistent events", trace::SummarizeInconsistencies(t.inconsistent, FormatCount)});
  table.AddRow({"allocator", fmt::format("{}, {} mode, {} threads", run.allocator, run.mode,
                                         FormatCount(run.threads))});
  if (!run.size_classes.empty()) table.AddRow({"size classes", run.size_classes});
  table.AddRow(
      {"time", fmt::format("decode {}, replay {} (CPU {}), {}", FormatSeconds(run.decode_seconds),
                           FormatSeconds(run.replay_seconds), FormatSeconds(run.cpu_seconds),
                           FormatRate(run.events_per_second))});
  table.AddRow({"peak RSS", FormatBytes(run.peak_rss_bytes)});
  table.AddRow({"peak-live snapshot",
                fmt::format("event {}, {}", FormatCount(r.at_peak_live.event),
                            r.at_peak_live.exact ? "taken at exactly that event"
                                                 : "the nearest sample point (parallel mode)")});
  page.AddSection("run", "Trace and replay").Add(table.Render());
}

}  // namespace

std::string RenderHtml(const Report& r) {
  HtmlPage page(
      fmt::format("goalloc-replay: {} on {}", r.trace.path, r.run.allocator),
      fmt::format("{} · allocator {} · {} mode · {} threads · {} {}", r.trace.path, r.run.allocator,
                  r.run.mode, r.run.threads, r.tool.name, r.tool.version));
  page.AddFailedChecks(r.failed_checks);
  const Fragmentation& f = r.fragmentation;
  page.AddCard(FragmentationFigure(&Fragmentation::max_live_bytes).label,
               FormatBytes(f.max_live_bytes),
               fmt::format("{} at event {}", FormatExactBytes(f.max_live_bytes),
                           FormatCount(r.trace.peak_live_event)));
  page.AddCard(FragmentationFigure(&Fragmentation::peak_footprint_bytes).label,
               FormatBytes(f.peak_footprint_bytes),
               fmt::format("{} at event {}", FormatExactBytes(f.peak_footprint_bytes),
                           FormatCount(f.peak_footprint_event)));
  page.AddCard(FragmentationFigure(&Fragmentation::frag_peak_to_peak).label,
               FormatPercent(f.frag_peak_to_peak), "peak footprint / peak live − 1");
  AddTimeline(page, r);
  AddFragmentation(page, r);
  if (r.at_peak_live.accounting && r.at_end.accounting) AddAccounting(page, r);
  if (r.at_peak_live.go && r.at_end.go) {
    AddSpanClasses(page, r);
    AddLarge(page, r);
  }
  if (r.is_go) AddLocks(page, r);
  AddSystemHeap(page, r);
  AddRun(page, r);
  return page.Render();
}

}  // namespace goalloc::report
