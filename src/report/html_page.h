// The frame of an HTML report page: one self-contained document (inline CSS, inline SVG, no
// scripts, no fonts or anything else fetched from the network) laid out for a 1280 px wide
// window, with a header, summary cards, and sections holding figures — a chart, a caption
// and the table of the numbers behind it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/report/svg/xml.h"
#include "src/report/svg/xy_chart.h"
#include "src/report/units.h"

namespace goalloc::report {

class HtmlPage {
 public:
  // `title` is the document title and the page heading; `subtitle` the line under it.
  HtmlPage(std::string_view title, std::string_view subtitle);
  HtmlPage(const HtmlPage&) = delete;  // holds pointers into its own tree
  HtmlPage& operator=(const HtmlPage&) = delete;

  // A red box listing the checks that failed; nothing when none did.
  void AddFailedChecks(const std::vector<std::string>& failed);
  // The row of headline figures at the top.
  void AddCard(std::string_view label, std::string_view value, std::string_view detail);
  // A section with a heading (and an anchor `id`), for figures, tables and notes.
  svg::Element& AddSection(std::string_view id, std::string_view heading);

  std::string Render() const;

 private:
  svg::Element html_{"html"};
  svg::Element* main_ = nullptr;
  svg::Element* cards_ = nullptr;
};

// A figure in `section`: a subheading, a note, the chart (an <svg>, named by `chart_id` in
// a data-chart attribute for tests and stylesheets), then the table of its numbers.
void AddFigure(svg::Element& section, std::string_view chart_id, std::string_view heading,
               std::string_view note, svg::Element chart, svg::Element table);

// The report's units (units.h) as chart formats, so that hover text and value labels read
// exactly as the tables do.
ValueFormat BytesFormat();
ValueFormat CountFormat();
ValueFormat PercentFormat();
ValueFormat NanosecondsFormat();

// An XY chart of bytes (y) over a count (x: events, GC cycles), in those formats.
svg::XYChartSpec BytesOverCountChart(std::string description, std::string x_title,
                                     std::string y_title);

// A paragraph of explanatory text.
void AddNote(svg::Element& parent, std::string_view text);

}  // namespace goalloc::report
