// The HTML report of a comparison (see html_compare.h and docs/html-report.md).
#include "src/report/html_compare.h"

#include <fmt/core.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/report/gc_report.h"
#include "src/report/html_page.h"
#include "src/report/html_table.h"
#include "src/report/svg/bar_chart.h"
#include "src/report/svg/palette.h"
#include "src/report/svg/xy_chart.h"
#include "src/report/units.h"

namespace goalloc::report {
namespace {

using svg::Element;

// Four small multiples side by side in the 1,120 px of a chart.
constexpr double kMultipleWidth = 275;
constexpr double kMultipleHeight = 300;

std::string RunName(const Report& r) {
  return fmt::format("{} ({}{})", r.run.allocator, r.run.mode,
                     r.run.gc ? ", " + GcLabel(*r.run.gc) : "");
}

// Run colours come from the palette, skipping its black, which is the live line's.
std::string RunColor(size_t i) { return std::string(svg::SeriesColor(i % 7)); }

std::string FormatFigure(FigureKind kind, std::optional<double> v) {
  if (!v) return "n/a";
  switch (kind) {
    case FigureKind::kSeconds:
      return FormatSeconds(*v);
    case FigureKind::kRate:
      return FormatRate(*v);
    case FigureKind::kBytes:
      return FormatBytes(uint64_t(*v));
    case FigureKind::kFraction:
      return FormatPercent(*v);
  }
  return "";
}

// One figure of the runs' timelines, a line per run that has it, over the live bytes
// (dashed), and its table: a row per sampled event, a column per run drawn.
struct TimelineFigure {
  std::string section_id, heading, chart_id, chart_title, title, note;
  std::function<std::optional<uint64_t>(const replay::Sample&)> value;
};

void AddTimelineFigure(HtmlPage& page, const CompareReport& c, const TimelineFigure& f) {
  svg::XYChartSpec spec = BytesOverCountChart(f.chart_title, "event", "bytes");
  // Every run replays the same events, so one run's live bytes stand for all.
  svg::XYSeries live{"live (every run)", svg::kLiveColor, {}, {}, /*dashed=*/true};
  std::vector<std::string> header = {"event", "live"};
  std::map<uint64_t, std::vector<std::string>> rows;
  for (size_t i = 0; i < c.runs.size(); ++i) {
    const Report& r = c.runs[i];
    svg::XYSeries line{RunName(r), RunColor(i), {}, {}};
    const size_t column = header.size();
    for (const replay::Sample& s : r.run.timeline) {
      if (live.x.empty() || live.x.back() < double(s.event)) {
        live.x.push_back(double(s.event));
        live.y.push_back(double(s.live));
      }
      const std::optional<uint64_t> v = f.value(s);
      if (!v) continue;
      line.x.push_back(double(s.event));
      line.y.push_back(double(*v));
      auto& row = rows[s.event];
      row.resize(column + 1);
      row[1] = FormatBytes(s.live);
      row[column] = FormatBytes(*v);
    }
    if (line.x.empty()) continue;
    header.push_back(RunName(r));
    spec.lines.push_back(std::move(line));
  }
  spec.lines.push_back(std::move(live));

  HtmlTable table(header, std::vector<bool>(header.size(), true));
  for (auto& [event, cells] : rows) {
    cells.resize(header.size());
    cells[0] = FormatCount(event);
    table.AddRow(std::vector<HtmlCell>(cells.begin(), cells.end()));
  }
  Element& section = page.AddSection(f.section_id, f.heading);
  AddFigure(section, f.chart_id, f.title, f.note, svg::DrawXYChart(spec),
            table.RenderFolded(fmt::format("Numbers: {} events", rows.size()), false));
}

void AddFootprints(HtmlPage& page, const CompareReport& c, std::string_view id_prefix,
                   std::string_view heading_prefix) {
  AddTimelineFigure(
      page, c,
      {fmt::format("{}footprint", id_prefix), fmt::format("{}Footprint over time", heading_prefix),
       "compare-footprint", "Footprint over the trace of every allocator compared",
       "Footprint of every allocator",
       "Memory each allocator held from the OS after each sampled event, over the same live "
       "bytes (dashed). The gap between a line and the live bytes is that allocator's "
       "fragmentation.",
       [](const replay::Sample& s) -> std::optional<uint64_t> { return s.footprint; }});
}

// The Go-style heaps side by side: the model's HeapInuse (go) beside real Go's (go-runtime),
// when two runs or more report it.
void AddHeapInuse(HtmlPage& page, const CompareReport& c) {
  auto heap_inuse = [](const replay::Sample& s) -> std::optional<uint64_t> {
    if (s.heap) return s.heap->inuse;
    if (s.runtime) return s.runtime->heap_inuse;
    return std::nullopt;
  };
  const size_t runs = std::count_if(c.runs.begin(), c.runs.end(), [&](const Report& r) {
    return !r.run.timeline.empty() && heap_inuse(r.run.timeline.front());
  });
  if (runs < 2) return;
  AddTimelineFigure(
      page, c,
      {"heap-inuse", "Heap in use", "compare-heap-inuse",
       "HeapInuse over the trace of every Go-style heap compared", "HeapInuse of the Go heaps",
       "Bytes in in-use spans (Go's HeapInuse) after each sampled event: go is the model, "
       "go-runtime real Go 1.19 (its own start-up heap subtracted), over the same live bytes "
       "(dashed).",
       heap_inuse});
}

// The four measures as small multiples, one chart each with its own scale: one measure
// (often frag_mean, which early samples with little live can inflate) must not flatten the
// others. The runs keep their colours across the four.
Element FragmentationMultiples(const CompareReport& c) {
  Element grid("div");
  grid.Set("class", "multiples");
  for (const CompareFigure& f : kCompareFigures) {
    if (f.kind != FigureKind::kFraction) continue;
    svg::BarChartSpec spec;
    spec.description = fmt::format("{} of every run", f.label);
    spec.width = kMultipleWidth;
    spec.height = kMultipleHeight;
    spec.unit = Unit::kFraction;
    spec.value_labels = true;
    spec.legend = false;
    spec.format_value = PercentFormat();
    svg::BarSeries s{f.label, "", {}, {}};
    for (size_t i = 0; i < c.rows.size(); ++i) {
      std::optional<double> v = f.value(c.rows[i]);
      spec.categories.push_back(RunName(c.runs[i]));
      s.values.push_back(v.value_or(0));
      s.colors.push_back(RunColor(i));
      s.hover.push_back(
          fmt::format("{}, {}: {}", RunName(c.runs[i]), f.label, FormatFigure(f.kind, v)));
    }
    spec.series = {std::move(s)};
    Element& cell = grid.Add("div");
    cell.Add("h4").AddText(f.label);
    cell.Add(svg::DrawBarChart(spec));
  }
  return grid;
}

void AddFragmentation(HtmlPage& page, const CompareReport& c, std::string_view id_prefix,
                      std::string_view heading_prefix) {
  // The compare table: one column per run (side by side, as in the text report), one row
  // per figure, each with its ratio to glibc.
  std::vector<std::string> header = {""};
  for (const Report& r : c.runs) header.push_back(RunName(r));
  std::vector<bool> numeric(header.size(), true);
  numeric[0] = false;
  HtmlTable table(header, numeric);
  std::vector<HtmlCell> threads = {"threads"};
  for (const CompareRow& row : c.rows) threads.push_back(FormatCount(row.threads));
  table.AddRow(std::move(threads));
  for (size_t k = 0; k < kCompareFigures.size(); ++k) {
    const CompareFigure& f = kCompareFigures[k];
    std::vector<HtmlCell> cells = {f.label};
    for (size_t i = 0; i < c.rows.size(); ++i) {
      const CompareRow& row = c.rows[i];
      std::string text = FormatFigure(f.kind, f.value(row));
      std::optional<double> ratio =
          k < row.ratio_to_glibc.size() ? row.ratio_to_glibc[k] : std::nullopt;
      if (ratio && c.glibc_row != i) text += "  " + FormatRatio(ratio);
      cells.push_back(text);
    }
    table.AddRow(std::move(cells));
  }
  Element& section = page.AddSection(fmt::format("{}fragmentation", id_prefix),
                                     fmt::format("{}Fragmentation", heading_prefix));
  std::string note =
      "The four measures of Johnstone & Wilson (ISMM 1998), each footprint / live − 1, for "
      "every run side by side.";
  if (c.glibc_row)
    note += " In the table, ×r is the ratio to glibc (of footprint/live for the measures).";
  AddFigure(section, "compare-fragmentation", "The four fragmentation measures", note,
            FragmentationMultiples(c), table.Render());
}

// compare --gogc with several values: peak footprint against GC cycles, one line per
// collecting allocator (go in GC mode, go-runtime) through its GOGC values, each point
// labelled. Nothing when no allocator ran with two values.
void AddGogcSweep(HtmlPage& page, const CompareReport& c) {
  std::map<std::string, std::vector<const Report*>> by_allocator;
  for (const Report& r : c.runs) {
    if (r.run.gc) by_allocator[r.run.allocator].push_back(&r);
  }
  svg::XYChartSpec spec = BytesOverCountChart(
      "Peak footprint against GC cycles for each GOGC value", "GC cycles", "peak footprint");
  HtmlTable table({"allocator", "collector", "cycles", "peak footprint"},
                  {false, false, true, true});
  size_t color = 0;
  for (auto& [allocator, runs] : by_allocator) {
    if (runs.size() < 2) continue;
    std::sort(runs.begin(), runs.end(), [](const Report* a, const Report* b) {
      return a->run.gc->cycles < b->run.gc->cycles;
    });
    svg::XYSeries line{allocator, RunColor(color++), {}, {}};
    for (const Report* r : runs) {
      const double x = double(r->run.gc->cycles), y = double(r->fragmentation.peak_footprint_bytes);
      line.x.push_back(x);
      line.y.push_back(y);
      spec.markers.push_back({x, y, allocator + " " + GcLabel(*r->run.gc), line.color});
      table.AddRow({allocator, GcLabel(*r->run.gc), FormatCount(r->run.gc->cycles),
                    FormatBytes(r->fragmentation.peak_footprint_bytes)});
    }
    spec.lines.push_back(std::move(line));
  }
  if (spec.lines.empty()) return;
  Element& section = page.AddSection("gogc-sweep", "GOGC sweep");
  AddFigure(section, "compare-gogc-sweep", "Peak footprint against GC cycles",
            "Each point is one run with its GOGC (and memory limit): a lower GOGC collects more "
            "often and holds less memory. go is the heap under GC mode's model "
            "(docs/allocator.md), go-runtime real Go.",
            svg::DrawXYChart(spec), table.RenderFolded("Numbers", true));
}

}  // namespace

void AddCompareSections(HtmlPage& page, const CompareReport& c, std::string_view id_prefix,
                        std::string_view heading_prefix) {
  AddFootprints(page, c, id_prefix, heading_prefix);
  AddFragmentation(page, c, id_prefix, heading_prefix);
}

std::string RenderCompareHtml(const CompareReport& c) {
  std::string runs;
  for (const Report& r : c.runs) runs += (runs.empty() ? "" : ", ") + RunName(r);
  HtmlPage page(fmt::format("goalloc-replay: {} compared", c.trace.path),
                fmt::format("{} · {} events · {} · {} {}", c.trace.path,
                            FormatCount(c.trace.events), runs, c.tool.name, c.tool.version));
  page.AddFailedChecks(c.failed_checks);
  AddCompareSections(page, c, "", "");
  AddHeapInuse(page, c);
  AddGogcSweep(page, c);
  return page.Render();
}

}  // namespace goalloc::report
