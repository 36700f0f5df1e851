// The HTML report of a comparison (see html_compare.h and docs/html-report.md).
#include "src/report/html_compare.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>
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

void AddFootprints(HtmlPage& page, const CompareReport& c, std::string_view id_prefix,
                   std::string_view heading_prefix) {
  svg::XYChartSpec spec =
      BytesOverCountChart("Footprint over the trace of every allocator compared", "event", "bytes");
  // Every run replays the same events, so one run's live bytes stand for all.
  svg::XYSeries live{"live (every run)", svg::kLiveColor, {}, {}, /*dashed=*/true};
  // The table: one row per sampled event of any run, one footprint column per run.
  std::map<uint64_t, std::vector<std::string>> rows;
  for (size_t i = 0; i < c.runs.size(); ++i) {
    const Report& r = c.runs[i];
    svg::XYSeries footprint{RunName(r), RunColor(i), {}, {}};
    for (const replay::Sample& s : r.run.timeline) {
      footprint.x.push_back(double(s.event));
      footprint.y.push_back(double(s.footprint));
      auto& row = rows[s.event];
      row.resize(c.runs.size() + 1);
      row[0] = FormatBytes(s.live);
      row[i + 1] = FormatBytes(s.footprint);
      if (i == 0) {
        live.x.push_back(double(s.event));
        live.y.push_back(double(s.live));
      }
    }
    spec.lines.push_back(std::move(footprint));
  }
  spec.lines.push_back(std::move(live));

  std::vector<std::string> header = {"event", "live"};
  for (const Report& r : c.runs) header.push_back(RunName(r));
  HtmlTable table(header, std::vector<bool>(header.size(), true));
  for (const auto& [event, cells] : rows) {
    std::vector<HtmlCell> row = {FormatCount(event)};
    row.insert(row.end(), cells.begin(), cells.end());
    table.AddRow(std::move(row));
  }
  Element& section = page.AddSection(fmt::format("{}footprint", id_prefix),
                                     fmt::format("{}Footprint over time", heading_prefix));
  AddFigure(section, "compare-footprint", "Footprint of every allocator",
            "Memory each allocator held from the OS after each sampled event, over the same "
            "live bytes (dashed). The gap between a line and the live bytes is that allocator's "
            "fragmentation.",
            svg::DrawXYChart(spec),
            table.RenderFolded(fmt::format("Numbers: {} events", rows.size()), false));
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
  AddGogcSweep(page, c);
  return page.Render();
}

}  // namespace goalloc::report
