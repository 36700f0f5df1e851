// The text rendering of a corpus comparison (see corpus_text.h).
#include "src/report/corpus_text.h"

#include <fmt/core.h>

#include <algorithm>

#include "src/report/text_report.h"
#include "src/report/text_table.h"
#include "src/report/units.h"

namespace goalloc::report {
namespace {

using Align = TextTable::Align;

std::string SummaryTable(const CorpusReport& corpus, size_t width) {
  std::vector<TraceSummaryRow> rows = SummaryOf(corpus);
  const std::vector<std::string> names = ColumnNames(rows);
  std::vector<TextTable::Column> columns = {{"trace", Align::kLeft}, {"events"}, {"peak live"}};
  for (const std::string& name : names) {
    columns.push_back({name + " footprint"});
    columns.push_back({"frag_peak_to_peak"});
  }
  TextTable table(columns);
  for (const TraceSummaryRow& row : rows) {
    std::vector<std::string> cells = {row.trace, FormatCount(row.events),
                                      FormatBytes(row.peak_live_bytes)};
    for (const std::string& name : names) {
      const ColumnSummary* c = FindColumn(row, name);
      if (c == nullptr) {
        cells.insert(cells.end(), {"", ""});
        continue;
      }
      const bool ratio = c->allocator != "glibc";
      std::string footprint = FormatBytes(c->peak_footprint_bytes);
      std::string frag = FormatPercent(c->frag_peak_to_peak);
      if (ratio && c->peak_footprint_ratio) footprint += " " + FormatRatio(c->peak_footprint_ratio);
      if (ratio && c->frag_peak_to_peak_ratio)
        frag += " " + FormatRatio(c->frag_peak_to_peak_ratio);
      cells.push_back(footprint);
      cells.push_back(frag);
    }
    table.AddRow(std::move(cells));
  }
  return table.Render(2, width);
}

std::string GateText(const GateOutcome& g) {
  const Thresholds& t = g.thresholds;
  std::string limits = fmt::format("footprint +{:g} %, frag +{:g} pp, slots +{:g} %",
                                   100 * t.footprint, 100 * t.frag, 100 * t.slots);
  if (g.timing) limits += fmt::format(", timing +{:g} %", 100 * t.timing);
  std::string out = fmt::format("\nGate  against {} ({})", g.baseline, limits);
  if (g.regressions.empty()) return out + ": no regression\n";
  out += fmt::format(": {} REGRESSION{}\n", g.regressions.size(),
                     g.regressions.size() == 1 ? "" : "S");
  for (const Regression& r : g.regressions) out += "  " + r.Line() + "\n";
  return out;
}

}  // namespace

std::string RenderCorpusText(const CorpusReport& corpus, const GateOutcome* gate, size_t width) {
  std::string out =
      fmt::format("Corpus  {} traces\n", corpus.traces.size() + corpus.failed_traces.size());
  out += SummaryTable(corpus, width);
  out += "  ×: ratio to glibc's on the same trace (for frag_*: of footprint/live)\n";
  for (const FailedTrace& f : corpus.failed_traces) {
    out += fmt::format("  {}: not replayed: {}\n", f.path, f.error);
  }
  if (corpus.failed_checks.empty()) {
    out += "\nChecks  passed on every trace\n";
  } else {
    out += "\nChecks  FAILED\n";
    for (const std::string& why : corpus.failed_checks) out += "  " + why + "\n";
  }
  if (gate) out += GateText(*gate);
  for (const CorpusTrace& t : corpus.traces) {
    out += "\n" + RenderCompareText(t.compare, width);
  }
  return out;
}

}  // namespace goalloc::report
