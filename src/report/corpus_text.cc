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

std::string SummaryTable(const std::vector<TraceSummaryRow>& rows, size_t width) {
  const std::vector<std::string> names = ColumnNames(rows);
  std::vector<bool> collects(names.size());  // per name: the collector's figures too
  std::vector<TextTable::Column> columns = {{"trace", Align::kLeft}, {"events"}, {"peak live"}};
  for (size_t i = 0; i < names.size(); ++i) {
    columns.push_back({names[i] + " footprint"});
    columns.push_back({"frag_peak_to_peak"});
    for (const TraceSummaryRow& row : rows) {
      const ColumnSummary* c = FindColumn(row, names[i]);
      collects[i] = collects[i] || (c && c->gc);
    }
    if (collects[i]) columns.insert(columns.end(), {{"gc peak heap"}, {"gc cycles"}});
  }
  TextTable table(columns);
  for (const TraceSummaryRow& row : rows) {
    std::vector<std::string> cells = {row.trace, FormatCount(row.events),
                                      FormatBytes(row.peak_live_bytes)};
    for (size_t i = 0; i < names.size(); ++i) {
      const ColumnSummary* c = FindColumn(row, names[i]);
      if (c == nullptr) {
        cells.insert(cells.end(), collects[i] ? 4 : 2, "");
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
      if (collects[i]) {  // a column of that name always has its collector (Name says which)
        cells.push_back(FormatBytes(c->gc->peak_heap_inuse));
        cells.push_back(FormatCount(c->gc->cycles));
      }
    }
    table.AddRow(std::move(cells));
  }
  return table.Render(2, width);
}

// `gc`: a compared column collects, so the collector's thresholds apply too.
std::string GateText(const GateOutcome& g, bool gc) {
  const Thresholds& t = g.thresholds;
  std::string limits = fmt::format("footprint +{:g} %, frag +{:g} pp, slots +{:g} %",
                                   100 * t.footprint, 100 * t.frag, 100 * t.slots);
  if (gc)
    limits += fmt::format(", gc_peak +{:g} %, cycles +{:g} %", 100 * t.gc_peak, 100 * t.cycles);
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
  const std::vector<TraceSummaryRow> rows = SummaryOf(corpus);
  std::string out =
      fmt::format("Corpus  {} traces\n", corpus.traces.size() + corpus.failed_traces.size());
  out += SummaryTable(rows, width);
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
  if (gate) {
    out += GateText(
        *gate, AnyColumn(rows, [](const ColumnSummary& c) { return c.deterministic && c.gc; }));
  }
  for (const CorpusTrace& t : corpus.traces) {
    out += "\n" + RenderCompareText(t.compare, width);
  }
  return out;
}

}  // namespace goalloc::report
