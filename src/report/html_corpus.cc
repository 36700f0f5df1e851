// The HTML report of a corpus comparison (see html_corpus.h).
#include "src/report/html_corpus.h"

#include <fmt/core.h>

#include <algorithm>

#include "src/report/html_compare.h"
#include "src/report/html_page.h"
#include "src/report/html_table.h"
#include "src/report/units.h"

namespace goalloc::report {

std::string RenderCorpusHtml(const CorpusReport& corpus) {
  const size_t traces = corpus.traces.size() + corpus.failed_traces.size();
  HtmlPage page(fmt::format("goalloc-replay: {} traces compared", traces),
                fmt::format("{} {}", corpus.tool.name, corpus.tool.version));
  page.AddFailedChecks(corpus.failed_checks);

  std::vector<TraceSummaryRow> rows = SummaryOf(corpus);
  const std::vector<std::string> names = ColumnNames(rows);
  std::vector<std::string> header = {"trace", "events", "peak live"};
  for (const std::string& name : names) {
    header.push_back(name + " footprint");
    header.push_back(name + " frag_peak_to_peak");
  }
  std::vector<bool> numeric(header.size(), true);
  numeric[0] = false;
  HtmlTable table(header, numeric);
  for (const TraceSummaryRow& row : rows) {
    std::vector<HtmlCell> cells = {row.trace, FormatCount(row.events),
                                   FormatBytes(row.peak_live_bytes)};
    for (const std::string& name : names) {
      const ColumnSummary* c = FindColumn(row, name);
      if (c == nullptr) {
        cells.insert(cells.end(), {"", ""});
        continue;
      }
      const bool ratio = c->allocator != "glibc";
      cells.push_back({FormatBytes(c->peak_footprint_bytes) +
                           (ratio ? " " + FormatRatio(c->peak_footprint_ratio) : ""),
                       FormatCount(c->peak_footprint_bytes) + " B"});
      cells.push_back(FormatPercent(c->frag_peak_to_peak) +
                      (ratio ? " " + FormatRatio(c->frag_peak_to_peak_ratio) : ""));
    }
    table.AddRow(std::move(cells));
  }
  for (const FailedTrace& f : corpus.failed_traces) {
    std::vector<HtmlCell> cells(header.size());
    cells[0] = f.path;
    cells[1] = "not replayed: " + f.error;
    table.AddRow(std::move(cells));
  }
  svg::Element& summary = page.AddSection("summary", "Summary");
  AddNote(summary,
          "One row per trace: the peak footprint and frag_peak_to_peak of every column, with "
          "×r the ratio to glibc's on the same trace (for frag_peak_to_peak, of footprint/live).");
  summary.Add(table.Render());

  for (size_t i = 0; i < corpus.traces.size(); ++i) {
    const CompareReport& c = corpus.traces[i].compare;
    AddCompareSections(page, c, fmt::format("trace-{}-", i + 1), c.trace.path + ": ");
  }
  return page.Render();
}

}  // namespace goalloc::report
