// The Markdown summary and the JUnit file of a corpus comparison (see ci_outputs.h).
#include "src/report/ci_outputs.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>

#include "src/report/svg/xml.h"
#include "src/report/units.h"

namespace goalloc::report {
namespace {

// Text in a Markdown table cell: a '|' would end the cell, a newline the row.
std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string Row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += " " + c + " |";
  return out + "\n";
}

std::string Header(const std::vector<std::string>& titles, size_t left_columns) {
  std::string rule = "|";
  for (size_t i = 0; i < titles.size(); ++i) rule += i < left_columns ? " --- |" : " ---: |";
  return Row(titles) + rule + "\n";
}

// XML 1.0 allows no control characters but tab, newline and carriage return.
std::string XmlSafe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') c = '?';
  }
  return out;
}

}  // namespace

std::string RenderMarkdownSummary(const CorpusReport& corpus, const std::vector<GateCase>& cases,
                                  const std::vector<Regression>& regressions,
                                  const std::string& baseline) {
  std::set<std::string> failing;
  size_t failed_cases = 0;
  for (const GateCase& c : cases) {
    if (c.failures.empty()) continue;
    failing.insert(c.trace);
    ++failed_cases;
  }
  const size_t traces = corpus.traces.size() + corpus.failed_traces.size();
  std::string out;
  if (failing.empty()) {
    out += fmt::format("## goalloc-replay compare: ✓ {} traces passed", traces);
    out += baseline.empty() ? "\n\n" : fmt::format(", no regression against `{}`\n\n", baseline);
  } else {
    out += fmt::format(
        "## goalloc-replay compare: ✗ {} of {} traces failed ({} regressions, {} "
        "failing trace × column)\n\n",
        failing.size(), traces, regressions.size(), failed_cases);
  }
  if (!regressions.empty()) {
    out += fmt::format("### Regressions against `{}`\n\n", baseline);
    out += Header({"trace", "column", "figure", "baseline", "now", "threshold"}, 3);
    for (const Regression& r : regressions) {
      out += Row({Cell(r.trace), Cell(r.column), Cell(r.figure), Cell(r.baseline), Cell(r.now),
                  Cell(r.threshold)});
    }
    out += "\n";
  }
  if (!corpus.failed_checks.empty()) {
    out += "### Failed checks\n\n";
    for (const std::string& why : corpus.failed_checks) out += "- " + Cell(why) + "\n";
    out += "\n";
  }

  // One row per trace, failing ones first; one cell per column (in the order first seen):
  // peak footprint, frag_peak_to_peak and the footprint's ratio to glibc; with a collector,
  // its peak heap and cycles.
  std::vector<TraceSummaryRow> rows = SummaryOf(corpus);
  const bool gc = AnyColumn(rows, [](const ColumnSummary& c) { return c.gc.has_value(); });
  out += fmt::format(
      "### Traces\n\nPer column: peak footprint, `frag_peak_to_peak`, ×ratio of the footprint "
      "to glibc's{}.\n\n",
      gc ? "; with a collector, its peak heap (`gc.peak_heap_inuse`) and `gc.cycles`" : "");
  const std::vector<std::string> names = ColumnNames(rows);
  std::vector<std::string> titles = {"", "trace", "events", "peak live"};
  titles.insert(titles.end(), names.begin(), names.end());
  out += Header(titles, 2);
  std::stable_partition(rows.begin(), rows.end(),
                        [&](const TraceSummaryRow& r) { return failing.count(r.trace) > 0; });
  for (const FailedTrace& f : corpus.failed_traces) {
    std::vector<std::string> cells(titles.size());
    cells[0] = "✗";
    cells[1] = Cell(f.path);
    cells.back() = "not replayed: " + Cell(f.error);
    out += Row(cells);
  }
  for (const TraceSummaryRow& row : rows) {
    std::vector<std::string> cells = {failing.count(row.trace) ? "✗" : "✓", Cell(row.trace),
                                      FormatCount(row.events), FormatBytes(row.peak_live_bytes)};
    for (const std::string& name : names) {
      const ColumnSummary* c = FindColumn(row, name);
      if (c == nullptr) {
        cells.push_back("");
        continue;
      }
      std::string cell =
          FormatBytes(c->peak_footprint_bytes) + " · " + FormatPercent(c->frag_peak_to_peak);
      if (c->allocator != "glibc" && c->peak_footprint_ratio) {
        cell += " · " + FormatRatio(c->peak_footprint_ratio);
      }
      if (c->gc) {
        cell += fmt::format(" · heap {} · {} cycles", FormatBytes(c->gc->peak_heap_inuse),
                            FormatCount(c->gc->cycles));
      }
      cells.push_back(cell);
    }
    out += Row(cells);
  }
  return out;
}

std::string RenderJUnit(const std::vector<GateCase>& cases) {
  // One <testsuite> per trace, in the order of the cases.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const GateCase*>> by_trace;
  for (const GateCase& c : cases) {
    if (!by_trace.count(c.trace)) order.push_back(c.trace);
    by_trace[c.trace].push_back(&c);
  }
  size_t failures = 0;
  for (const GateCase& c : cases) failures += c.failures.empty() ? 0 : 1;
  svg::Element suites("testsuites");
  suites.Set("name", "goalloc-replay compare")
      .Set("tests", std::to_string(cases.size()))
      .Set("failures", std::to_string(failures));
  for (const std::string& trace : order) {
    const std::vector<const GateCase*>& of_trace = by_trace[trace];
    size_t failed = 0;
    double seconds = 0;
    for (const GateCase* c : of_trace) {
      failed += c->failures.empty() ? 0 : 1;
      seconds += c->seconds;
    }
    svg::Element& suite = suites.Add("testsuite");
    suite.Set("name", XmlSafe(trace))
        .Set("tests", std::to_string(of_trace.size()))
        .Set("failures", std::to_string(failed))
        .Set("errors", "0")
        .Set("time", fmt::format("{:.6f}", seconds));
    for (const GateCase* c : of_trace) {
      svg::Element& test = suite.Add("testcase");
      test.Set("classname", XmlSafe(trace))
          .Set("name", XmlSafe(c->column.empty() ? "replay" : c->column))
          .Set("time", fmt::format("{:.6f}", c->seconds));
      if (c->failures.empty()) continue;
      std::string all;
      for (const std::string& f : c->failures) all += f + "\n";
      test.Add("failure")
          .Set("message", XmlSafe(c->failures.front()))
          .Set("type", "regression")
          .AddText(XmlSafe(all));
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + suites.Render() + "\n";
}

}  // namespace goalloc::report
