// The text rendering of a report (see text_report.h).
#include "src/report/text_report.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "src/report/gc_report.h"
#include "src/report/heap_figures.h"
#include "src/report/text_table.h"
#include "src/report/units.h"
#include "src/trace/event.h"
#include "src/trace/live_objects.h"

namespace goalloc::report {
namespace {

using Align = TextTable::Align;

// Lines of text (titles, key-value lists, notes) wider than `width`, broken at spaces; each
// continuation is indented to where the line's text after its label begins (after the
// first run of two or more spaces). Tables are already split to fit by TextTable.
std::string WrapLongLines(const std::string& text, size_t width) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (DisplayWidth(line) <= width) {
      out += line + '\n';
    } else {
      size_t label = line.find_first_not_of(' ');
      size_t gap = line.find("  ", label);
      size_t value =
          gap == std::string::npos ? std::string::npos : line.find_first_not_of(' ', gap);
      out += WrapLine(line, width,
                      value == std::string::npos ? label + 2 : DisplayWidth(line.substr(0, value)));
    }
    start = end + 1;
  }
  return out;
}

std::string Summary(const Report& r) {
  const Fragmentation& f = r.fragmentation;
  auto label = []<class M>(M Fragmentation::*figure) {
    return std::string(FragmentationFigure(figure).label);
  };
  return RenderKeyValues({
      {label(&Fragmentation::max_live_bytes),
       fmt::format("{} at event {}", FormatBytesAndExact(f.max_live_bytes),
                   FormatCount(r.trace.peak_live_event))},
      {label(&Fragmentation::peak_footprint_bytes),
       fmt::format("{} at event {}", FormatBytesAndExact(f.peak_footprint_bytes),
                   FormatCount(f.peak_footprint_event))},
      {label(&Fragmentation::frag_peak_to_peak),
       fmt::format("{} (peak footprint / peak live − 1)", FormatPercent(f.frag_peak_to_peak))},
  });
}

std::string TraceSection(const replay::TraceSummary& t) {
  std::string ops;
  for (int op = 0; op < trace::kNumOps; ++op) {
    if (op > 0) ops += " · ";
    ops += fmt::format("{} {}", trace::OpName(trace::Op(op)), FormatCount(t.ops[size_t(op)]));
  }
  std::string skipped = trace::SummarizeInconsistencies(t.inconsistent, FormatCount);
  return fmt::format("Trace  {} ({})\n", t.path, t.encoding) +
         RenderKeyValues({{"events", fmt::format("{}: {}", FormatCount(t.events), ops)},
                          {"threads", FormatCount(t.threads)},
                          {"inconsistent", skipped},
                          {"time", t.has_time ? "events carry t" : "events carry no t"}});
}

std::string ReplaySection(const replay::ReplayResult& run) {
  KeyValues kv = {
      {"decode", FormatSeconds(run.decode_seconds)},
      {"replay", fmt::format("{} wall, {} CPU, {} events replayed, {}",
                             FormatSeconds(run.replay_seconds), FormatSeconds(run.cpu_seconds),
                             FormatCount(run.events_replayed), FormatRate(run.events_per_second))},
      {"RSS",
       fmt::format("peak {}, at end {} (above a baseline of {})", FormatBytes(run.peak_rss_bytes),
                   FormatBytes(run.final_rss_bytes), FormatBytes(run.baseline_rss_bytes))},
  };
  if (!run.size_classes.empty()) kv.emplace_back("classes", run.size_classes);
  if (run.verified) {
    kv.emplace_back(
        "verify", run.verify_error.empty() ? "every check passed" : "FAILED: " + run.verify_error);
  }
  return fmt::format("\nReplay  {} · {} mode · {} thread{}\n", run.allocator, run.mode, run.threads,
                     run.threads == 1 ? "" : "s") +
         RenderKeyValues(kv);
}

std::string LiveSection(const Report& r) {
  const replay::TraceSummary& t = r.trace;
  const SnapshotReport& p = r.at_peak_live;
  std::string snapshot = p.exact ? fmt::format("taken at exactly event {}", FormatCount(p.event))
                                 : fmt::format("the nearest sample point, event {} ({} live there)",
                                               FormatCount(p.event), FormatBytes(p.live));
  return "\nLive bytes (requested sizes of live objects)\n" +
         RenderKeyValues(
             {{"peak",
               fmt::format("{}, {} objects, at event {}", FormatBytesAndExact(t.peak_live_bytes),
                           FormatCount(t.peak_live_objects), FormatCount(t.peak_live_event))},
              {"at end", fmt::format("{}, {} objects", FormatBytesAndExact(t.final_live_bytes),
                                     FormatCount(t.final_live_objects))},
              {"peak snapshot", snapshot}});
}

// The go backend in GC mode: garbage is a cause of its own.
bool GcModel(const Report& r) { return r.run.gc && r.run.gc->model; }

std::string GoHeapSection(const Report& r, size_t width) {
  const ByteAccounting& p = *r.at_peak_live.accounting;
  const ByteAccounting& e = *r.at_end.accounting;
  TextTable table({{"bytes", Align::kLeft}, {"at peak live"}, {""}, {"at end"}, {""}});
  auto row = [&](uint64_t ByteAccounting::*field, const std::string& prefix = "") {
    table.AddRow({prefix + std::string(AccountingFigure(field).label), FormatBytes(p.*field),
                  FormatCount(p.*field), FormatBytes(e.*field), FormatCount(e.*field)});
  };
  for (uint64_t ByteAccounting::*part : kHeldParts) {
    if (part == &ByteAccounting::garbage && !GcModel(r)) continue;
    row(part, part == kHeldParts.front() ? "" : "+ ");
  }
  table.AddRule();
  table.AddRow({"= sys − released", FormatBytes(p.held()), FormatCount(p.held()),
                FormatBytes(e.held()), FormatCount(e.held())});
  row(&ByteAccounting::sys);
  row(&ByteAccounting::released);
  row(&ByteAccounting::metadata);
  table.AddRow({"footprint", FormatBytes(p.footprint()), FormatCount(p.footprint()),
                FormatBytes(e.footprint()), FormatCount(e.footprint())});
  row(&ByteAccounting::inuse);
  table.AddRow({std::string(AccountingFigure(&ByteAccounting::spans_in_use).label), "",
                FormatCount(p.spans_in_use), "", FormatCount(e.spans_in_use)});

  auto verdict = [](const ByteAccounting& a) {
    return a.adds_up() ? std::string("adds up exactly")
                       : "DOES NOT ADD UP: " + AccountingMismatch(a);
  };
  return fmt::format(
             "\nHeap  byte accounting: sys − released = {}; footprint = sys − released + "
             "metadata\n",
             HeldPartsSum(GcModel(r))) +
         table.Render(2, width) +
         fmt::format("  at peak live: {}; at end: {}\n", verdict(p), verdict(e));
}

std::string SystemHeapSection(const Report& r, size_t width) {
  const SnapshotReport& p = r.at_peak_live;
  const SnapshotReport& e = r.at_end;
  TextTable table({{"", Align::kLeft}, {"at peak live"}, {"at end"}});
  table.AddRow({"footprint (RSS − baseline)", FormatBytes(p.footprint), FormatBytes(e.footprint)});
  const std::string& source = r.run.allocator_stats_source;
  if (p.system && e.system && p.system->allocator && e.system->allocator) {
    auto bytes = [](std::optional<uint64_t> b) { return b ? FormatBytes(*b) : "—"; };
    table.AddRow(
        {"allocator footprint", bytes(p.allocator_footprint), bytes(e.allocator_footprint)});
    for (auto [name, field] : {std::pair{"mapped", &replay::AllocatorStats::mapped},
                               std::pair{"resident", &replay::AllocatorStats::resident},
                               std::pair{"allocated", &replay::AllocatorStats::allocated}}) {
      table.AddRow({fmt::format("{} {}", source, name), bytes((*p.system->allocator).*field),
                    bytes((*e.system->allocator).*field)});
    }
  }
  if (p.system && e.system && p.system->has_mallinfo && e.system->has_mallinfo) {
    auto row = [&](const std::string& name, uint64_t replay::SystemHeap::*field) {
      table.AddRow({name, FormatBytes(*p.system.*field), FormatBytes(*e.system.*field)});
    };
    row("mallinfo2 arena", &replay::SystemHeap::arena);
    row("mallinfo2 hblkhd", &replay::SystemHeap::hblkhd);
    row("mallinfo2 uordblks", &replay::SystemHeap::uordblks);
    row("mallinfo2 fordblks", &replay::SystemHeap::fordblks);
    row("mallinfo2 keepcost", &replay::SystemHeap::keepcost);
    table.AddRow({"arena + hblkhd", FormatBytes(p.system->arena + p.system->hblkhd),
                  FormatBytes(e.system->arena + e.system->hblkhd)});
  }
  return fmt::format("\nHeap  {}'s own figures\n", r.run.allocator) + table.Render(2, width) +
         fmt::format(
             "  fragmentation below uses the RSS footprint; the allocator's own figures: {} "
             "(whole heap; its footprint is resident, else mapped, less the bytes allocated at the "
             "baseline)\n",
             source.empty() ? "none offered" : source);
}

std::string FragmentationSection(const Report& r, size_t width) {
  const Fragmentation& f = r.fragmentation;
  TextTable table(
      {{"measure", Align::kLeft}, {"value"}, {"footprint"}, {"live"}, {"where", Align::kLeft}});
  auto bytes = [](std::optional<uint64_t> b) { return b ? FormatBytes(*b) : std::string(); };
  for (const FragmentationRow& row : FragmentationRows(f)) {
    table.AddRow(
        {row.measure, FormatPercent(row.value), bytes(row.footprint), bytes(row.live), row.where});
  }
  std::string out =
      "\nFragmentation  footprint / live − 1 (Johnstone & Wilson)\n" + table.Render(2, width);
  if (r.at_peak_live.accounting) {
    const ByteAccounting& a = *r.at_peak_live.accounting;
    TextTable causes({{"cause", Align::kLeft}, {"bytes"}, {""}, {"of live"}});
    auto row = [&](const std::string& name, uint64_t bytes) {
      causes.AddRow(
          {name, FormatBytes(bytes), FormatCount(bytes),
           FormatPercent(a.requested ? std::optional<double>(double(bytes) / double(a.requested))
                                     : std::nullopt)});
    };
    for (uint64_t ByteAccounting::*cause : kOverheadCauses) {
      if (cause == &ByteAccounting::garbage && !GcModel(r)) continue;
      row(std::string(AccountingFigure(cause).label), a.*cause);
    }
    causes.AddRule();
    row("footprint − live", a.overhead());
    out += "\n  Footprint beyond live bytes at peak live, by cause\n" + causes.Render(2, width);
  }
  return out;
}

// The span-class figures the text table leaves to the JSON report: the class's bytes by
// cause (the heap's are in the byte-accounting tables), and garbage bytes.
constexpr std::array<std::string_view, 6> kJsonOnlyClassFigures = {
    "garbage", "requested", "rounding", "tiny_waste", "free_slots", "tail_waste"};

// The histogram's bins as columns.
constexpr std::array<const char*, 5> kFillColumns = {"spans <25%", "<50%", "<75%", "<100%", "100%"};

// The span classes, one row each, one column per figure of kSpanClassFigures (the histogram
// a column per bin) but those above. `garbage`: GC mode, where objects in use include
// garbage, shown apart (explicit-free mode has none).
std::string SizeClassTable(const std::vector<alloc::SpanClassStats>& classes, bool garbage,
                           size_t width) {
  if (classes.empty()) return "  (no span class in use)\n";
  auto shown = [&](const Figure<alloc::SpanClassStats>& f) {
    return std::find(kJsonOnlyClassFigures.begin(), kJsonOnlyClassFigures.end(), f.key) ==
               kJsonOnlyClassFigures.end() &&
           (garbage || f.key != "garbage_objects");
  };
  std::vector<TextTable::Column> columns;
  for (const Figure<alloc::SpanClassStats>& f : kSpanClassFigures) {
    if (!shown(f)) continue;
    if (std::holds_alternative<std::array<uint64_t, 5> alloc::SpanClassStats::*>(f.member)) {
      for (const char* bin : kFillColumns) columns.push_back({bin});
    } else {
      columns.push_back(
          {std::string(f.label), std::holds_alternative<bool alloc::SpanClassStats::*>(f.member)
                                     ? Align::kLeft
                                     : Align::kRight});
    }
  }
  TextTable table(std::move(columns), 2);
  for (const alloc::SpanClassStats& c : classes) {
    std::vector<std::string> row;
    for (const Figure<alloc::SpanClassStats>& f : kSpanClassFigures) {
      if (!shown(f)) continue;
      std::visit(
          [&](auto member) {
            const auto& v = std::invoke(member, c);
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, bool>) {
              row.push_back(v ? "noscan" : "scan");  // the one flag: noscan
            } else if constexpr (std::is_same_v<V, double> ||
                                 std::is_same_v<V, std::optional<double>>) {
              row.push_back(FormatPercent(v));  // fractions: occupancy
            } else if constexpr (std::is_same_v<V, std::array<uint64_t, 5>>) {
              for (uint64_t n : v) row.push_back(FormatCount(n));
            } else if constexpr (std::is_same_v<V, std::string>) {
              row.push_back(v);
            } else {
              row.push_back(FormatCount(uint64_t(v)));
            }
          },
          f.member);
    }
    table.AddRow(std::move(row));
  }
  return table.Render(2, width);
}

std::string GoDetailSections(const Report& r, size_t width) {
  const bool gc = GcModel(r);
  std::string out =
      fmt::format(
          "\nSize classes at peak live  (span classes with activity; occupancy = objects "
          "in use / slots{})\n",
          gc ? "; garbage: of the objects in use, those freed in the trace and not yet "
               "swept (tiny: sub-objects)"
             : "") +
      SizeClassTable(r.at_peak_live.size_classes, gc, width) + "\nSize classes at end\n" +
      SizeClassTable(r.at_end.size_classes, gc, width);
  if (r.at_end.go) {
    const alloc::LargeStats& l = r.at_end.go->large;
    const alloc::TinyStats& t = r.at_end.go->tiny;
    out += "\nLarge objects (> 32 KiB, whole pages) and tiny blocks, at end\n" +
           RenderKeyValues(
               {{"large",
                 fmt::format(
                     "{} allocations, {} frees; live {} objects, {} in {} pages, "
                     "rounding {}{}",
                     FormatCount(l.allocations), FormatCount(l.frees), FormatCount(l.live_objects),
                     FormatBytes(l.live_bytes), FormatCount(l.pages), FormatBytes(l.rounding),
                     gc ? fmt::format("; garbage {} objects, {}", FormatCount(l.garbage_objects),
                                      FormatBytes(l.garbage))
                        : "")},
                {"tiny", fmt::format("{} allocations, {} frees; {} live sub-objects in {} "
                                     "16-byte blocks",
                                     FormatCount(t.allocs), FormatCount(t.frees),
                                     FormatCount(t.live_objects), FormatCount(t.live_blocks))}});
  }

  out += "\nLocks  (sorted by total wait)\n";
  TextTable locks({{"lock", Align::kLeft},
                   {"acquisitions"},
                   {"contended"},
                   {"rate"},
                   {"total wait"},
                   {"max wait"}});
  for (const alloc::LockStats& l : r.locks) {
    locks.AddRow({l.name, FormatCount(l.acquisitions), FormatCount(l.contended),
                  FormatPercent(ContentionRate(l.contended, l.acquisitions)),
                  FormatNanoseconds(l.wait_ns_total), FormatNanoseconds(l.wait_ns_max)});
  }
  const LockTotals& t = r.lock_totals;
  locks.AddRule();
  locks.AddRow({"total", FormatCount(t.acquisitions), FormatCount(t.contended),
                FormatPercent(ContentionRate(t.contended, t.acquisitions)),
                FormatNanoseconds(t.wait_ns_total), FormatNanoseconds(t.wait_ns_max)});
  out += locks.Render(2, width);
  if (r.contention_zero_by_construction) {
    out += "  sim mode runs every event on one OS thread: contention is zero by construction\n";
  }
  return out;
}

std::string TimelineSection(const Report& r, size_t width) {
  const auto& samples = r.run.timeline;
  if (samples.empty()) return "";
  const bool go = samples.front().heap.has_value();
  const bool runtime = samples.front().runtime.has_value();
  std::vector<TextTable::Column> columns = {{"event"}, {"t"}, {"live"}, {"footprint"}};
  if (go) columns.insert(columns.end(), {{"inuse"}, {"idle"}, {"released"}, {"spans"}});
  if (runtime) columns.push_back({"HeapInuse"});
  TextTable table(columns);
  const size_t rows = std::min(samples.size(), kTextTimelineRows);
  for (size_t i = 0; i < rows; ++i) {
    // Evenly spaced, first and last included.
    const replay::Sample& s = samples[rows == 1 ? 0 : i * (samples.size() - 1) / (rows - 1)];
    std::vector<std::string> row = {FormatCount(s.event),
                                    s.t == trace::kNoTime ? "—" : FormatNanoseconds(s.t),
                                    FormatBytes(s.live), FormatBytes(s.footprint)};
    if (go && s.heap) {
      row.insert(row.end(), {FormatBytes(s.heap->inuse), FormatBytes(s.heap->idle),
                             FormatBytes(s.heap->released), FormatCount(s.heap->spans_in_use)});
    }
    if (runtime && s.runtime) row.push_back(FormatBytes(s.runtime->heap_inuse));
    table.AddRow(std::move(row));
  }
  return fmt::format("\nTimeline  ({} of {} samples; all of them in --json)\n", rows,
                     FormatCount(samples.size())) +
         table.Render(2, width);
}

std::string ChecksSection(const std::vector<std::string>& failed, bool go) {
  if (failed.empty()) {
    return fmt::format("\nChecks  passed: {}live bytes agree with the trace\n",
                       go ? "the byte accounting adds up at peak live and at end; " : "");
  }
  std::string out = "\nChecks  FAILED\n";
  for (const std::string& why : failed) out += "  " + why + "\n";
  return out;
}

}  // namespace

std::string RenderText(const Report& r, size_t width) {
  std::string out =
      Summary(r) + "\n" + TraceSection(r.trace) + ReplaySection(r.run) + LiveSection(r);
  if (r.at_peak_live.accounting && r.at_end.accounting) {
    out += GoHeapSection(r, width);
  } else {
    out += r.at_peak_live.runtime && r.at_end.runtime ? RuntimeHeapSection(r, width)
                                                      : SystemHeapSection(r, width);
  }
  if (r.run.gc) out += GcSection(*r.run.gc, width);
  out += FragmentationSection(r, width);
  if (r.is_go) out += GoDetailSections(r, width);
  out += TimelineSection(r, width);
  out += ChecksSection(r.failed_checks, r.at_end.accounting.has_value());
  return WrapLongLines(out, width);
}

std::string RenderCompareText(const CompareReport& c, size_t width) {
  std::vector<TextTable::Column> columns = {{"", Align::kLeft}};
  for (const CompareRow& row : c.rows) {
    columns.push_back(
        {fmt::format("{} {}{}", row.allocator, row.mode, row.gc.empty() ? "" : " " + row.gc)});
  }
  TextTable table(columns);
  for (size_t f = 0; f < kCompareFigures.size(); ++f) {
    const CompareFigure& figure = kCompareFigures[f];
    std::vector<std::string> cells = {figure.label};
    for (size_t i = 0; i < c.rows.size(); ++i) {
      std::optional<double> v = figure.value(c.rows[i]);
      std::string cell;
      switch (figure.kind) {
        case FigureKind::kSeconds:
          cell = FormatSeconds(*v);
          break;
        case FigureKind::kRate:
          cell = FormatRate(*v);
          break;
        case FigureKind::kBytes:
          cell = v ? FormatBytes(uint64_t(*v)) : "—";
          break;
        case FigureKind::kFraction:
          cell = FormatPercent(v);
          break;
      }
      if (c.glibc_row && i != *c.glibc_row && c.rows[i].ratio_to_glibc[f]) {
        cell += " " + FormatRatio(c.rows[i].ratio_to_glibc[f]);
      }
      cells.push_back(std::move(cell));
    }
    table.AddRow(std::move(cells));
  }
  table.AddRule();
  std::vector<std::string> live_end = {"live at end"}, live_peak = {"live at peak snapshot"};
  for (const CompareRow& row : c.rows) {
    live_end.push_back(FormatBytes(row.live_at_end));
    live_peak.push_back(FormatBytes(row.live_at_peak_live));
  }
  table.AddRow(std::move(live_end));
  table.AddRow(std::move(live_peak));

  std::string out =
      fmt::format("Compare  {} ({}): {} events, {} thread{}, peak live {}\n", c.trace.path,
                  c.trace.encoding, FormatCount(c.trace.events), c.trace.threads,
                  c.trace.threads == 1 ? "" : "s", FormatBytesAndExact(c.trace.peak_live_bytes));
  out += table.Render(2, width);
  out += c.glibc_row ? "  ×: ratio to glibc (for frag_*: (1 + frag) / (1 + glibc's), the ratio of "
                       "footprint/live)\n"
                     : "  (glibc not compared: no ratios)\n";
  const bool any_go = std::any_of(c.runs.begin(), c.runs.end(),
                                  [](const Report& r) { return r.at_end.accounting.has_value(); });
  out += ChecksSection(c.failed_checks, any_go);
  return WrapLongLines(out, width);
}

}  // namespace goalloc::report
