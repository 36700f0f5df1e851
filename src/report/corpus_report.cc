// The comparison of a corpus (see corpus_report.h and docs/ci.md).
#include "src/report/corpus_report.h"

#include <fmt/core.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "src/report/gc_report.h"

namespace goalloc::report {
namespace {

// The index of `key` in kCompareFigures: the summary's ratios are the compare rows' own.
size_t FigureIndex(std::string_view key) {
  for (size_t i = 0; i < kCompareFigures.size(); ++i) {
    if (key == kCompareFigures[i].key) return i;
  }
  throw std::logic_error(fmt::format("no compare figure {}", key));
}

ColumnSummary ColumnOf(const Report& run, const CompareRow& row) {
  static const size_t kFootprint = FigureIndex("peak_footprint_bytes");
  static const size_t kFrag = FigureIndex("frag_peak_to_peak");
  static const size_t kTime = FigureIndex("replay_seconds");
  ColumnSummary c;
  c.allocator = row.allocator;
  c.mode = row.mode;
  c.threads = row.threads;
  c.deterministic = row.allocator == "go" && row.mode == "sim";
  c.peak_footprint_bytes = row.peak_footprint_bytes;
  c.frag_peak_to_peak = row.frag_peak_to_peak;
  c.frag_at_peak_live = row.frag_at_peak_live;
  c.replay_seconds = row.replay_seconds;
  c.peak_footprint_ratio = row.ratio_to_glibc[kFootprint];
  c.frag_peak_to_peak_ratio = row.ratio_to_glibc[kFrag];
  c.replay_seconds_ratio = row.ratio_to_glibc[kTime];
  for (const alloc::SpanClassStats& s : run.at_peak_live.size_classes) {
    c.slots_at_peak[fmt::format("{}{}", s.size_class, s.noscan ? "n" : "s")] = s.slots;
  }
  if (const std::optional<replay::GcFigures>& gc = run.run.gc) {
    c.gc = GcSummary{gc->gogc, gc->memory_limit_bytes, gc->peak_heap_inuse, gc->cycles};
  }
  c.checks_passed = run.failed_checks.empty();
  return c;
}

template <typename T>
Json Optional(std::optional<T> v) {
  return v ? Json(*v) : Json(nullptr);
}

Json GcSummaryJson(const std::optional<GcSummary>& gc) {
  if (!gc) return nullptr;
  return {{"gogc", Optional(gc->gogc)},
          {"memory_limit_bytes", Optional(gc->memory_limit_bytes)},
          {"peak_heap_inuse", gc->peak_heap_inuse},
          {"cycles", gc->cycles}};
}

// Reads the summary back, naming the field in every error.
class Reader {
 public:
  explicit Reader(std::string what) : what_(std::move(what)) {}

  const Json& Field(const Json& parent, const std::string& path, const char* key,
                    Json::value_t type) const {
    auto it = parent.find(key);
    std::string name = path.empty() ? key : path + "." + key;
    if (it == parent.end()) Fail(name, "is missing");
    bool ok = it->type() == type || (type == Json::value_t::number_float && it->is_number()) ||
              (type == Json::value_t::number_unsigned && it->is_number_integer() &&
               it->get<int64_t>() >= 0);
    if (!ok) Fail(name, fmt::format("should be {}, is {}", TypeName(type), it->dump()));
    return *it;
  }
  std::string String(const Json& parent, const std::string& path, const char* key) const {
    return Field(parent, path, key, Json::value_t::string).get<std::string>();
  }
  uint64_t Unsigned(const Json& parent, const std::string& path, const char* key) const {
    return Field(parent, path, key, Json::value_t::number_unsigned).get<uint64_t>();
  }
  bool Bool(const Json& parent, const std::string& path, const char* key) const {
    return Field(parent, path, key, Json::value_t::boolean).get<bool>();
  }
  double Number(const Json& parent, const std::string& path, const char* key) const {
    return Field(parent, path, key, Json::value_t::number_float).get<double>();
  }
  std::optional<double> NumberOrNull(const Json& parent, const std::string& path,
                                     const char* key) const {
    auto it = parent.find(key);
    if (it != parent.end() && it->is_null()) return std::nullopt;
    return Number(parent, path, key);
  }
  std::optional<uint64_t> UnsignedOrNull(const Json& parent, const std::string& path,
                                         const char* key) const {
    auto it = parent.find(key);
    if (it != parent.end() && it->is_null()) return std::nullopt;
    return Unsigned(parent, path, key);
  }
  [[noreturn]] void Fail(const std::string& field, const std::string& why) const {
    throw std::invalid_argument(fmt::format("{}: {} {}", what_, field, why));
  }

 private:
  static const char* TypeName(Json::value_t t) {
    switch (t) {
      case Json::value_t::string:
        return "a string";
      case Json::value_t::boolean:
        return "a boolean";
      case Json::value_t::number_unsigned:
        return "an integer ≥ 0";
      case Json::value_t::number_float:
        return "a number";
      case Json::value_t::array:
        return "an array";
      default:
        return "an object";
    }
  }
  std::string what_;
};

ColumnSummary ParseColumn(const Reader& in, const Json& j, const std::string& path) {
  ColumnSummary c;
  c.allocator = in.String(j, path, "allocator");
  c.mode = in.String(j, path, "mode");
  c.threads = uint32_t(in.Unsigned(j, path, "threads"));
  c.deterministic = in.Bool(j, path, "deterministic");
  c.peak_footprint_bytes = in.Unsigned(j, path, "peak_footprint_bytes");
  c.frag_peak_to_peak = in.NumberOrNull(j, path, "frag_peak_to_peak");
  c.frag_at_peak_live = in.NumberOrNull(j, path, "frag_at_peak_live");
  c.replay_seconds = in.Number(j, path, "replay_seconds");
  const Json& ratios = in.Field(j, path, "ratio_to_glibc", Json::value_t::object);
  const std::string rpath = path + ".ratio_to_glibc";
  c.peak_footprint_ratio = in.NumberOrNull(ratios, rpath, "peak_footprint_bytes");
  c.frag_peak_to_peak_ratio = in.NumberOrNull(ratios, rpath, "frag_peak_to_peak");
  c.replay_seconds_ratio = in.NumberOrNull(ratios, rpath, "replay_seconds");
  const Json& slots = in.Field(j, path, "slots_at_peak", Json::value_t::object);
  for (const auto& [span_class, value] : slots.items()) {
    c.slots_at_peak[span_class] = in.Unsigned(slots, path + ".slots_at_peak", span_class.c_str());
  }
  // Absent in baselines written before the summary had it: those columns had no collector
  // gated, so a GC run against one is a mismatch, as against any column without one.
  if (auto gc = j.find("gc"); gc != j.end() && !gc->is_null()) {
    const std::string gpath = path + ".gc";
    const Json& g = in.Field(j, path, "gc", Json::value_t::object);
    std::optional<uint64_t> gogc = in.UnsignedOrNull(g, gpath, "gogc");
    if (gogc && *gogc > UINT32_MAX) in.Fail(gpath + ".gogc", "is out of range");
    c.gc = GcSummary{gogc ? std::optional<uint32_t>(uint32_t(*gogc)) : std::nullopt,
                     in.UnsignedOrNull(g, gpath, "memory_limit_bytes"),
                     in.Unsigned(g, gpath, "peak_heap_inuse"), in.Unsigned(g, gpath, "cycles")};
  }
  c.checks_passed = in.Bool(j, path, "checks_passed");
  return c;
}

}  // namespace

CorpusReport BuildCorpus(const ToolInfo& tool, std::vector<CorpusTrace> traces,
                         std::vector<FailedTrace> failed) {
  CorpusReport c;
  c.tool = tool;
  c.traces = std::move(traces);
  c.failed_traces = std::move(failed);
  for (const FailedTrace& f : c.failed_traces) {
    c.failed_checks.push_back(fmt::format("{}: not replayed: {}", f.path, f.error));
  }
  for (const CorpusTrace& t : c.traces) {
    for (const std::string& why : t.compare.failed_checks) {
      c.failed_checks.push_back(fmt::format("{}: {}", t.compare.trace.path, why));
    }
  }
  return c;
}

std::vector<TraceSummaryRow> SummaryOf(const CorpusReport& corpus) {
  std::vector<TraceSummaryRow> rows;
  for (const CorpusTrace& t : corpus.traces) {
    TraceSummaryRow row;
    row.trace = t.compare.trace.path;
    row.content_hash = t.content_hash;
    row.events = t.compare.trace.events;
    row.peak_live_bytes = t.compare.trace.peak_live_bytes;
    for (size_t i = 0; i < t.compare.rows.size(); ++i) {
      row.columns.push_back(ColumnOf(t.compare.runs[i], t.compare.rows[i]));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> ColumnNames(const std::vector<TraceSummaryRow>& rows) {
  std::vector<std::string> names;
  for (const TraceSummaryRow& row : rows) {
    for (const ColumnSummary& c : row.columns) {
      if (std::find(names.begin(), names.end(), c.Name()) == names.end()) names.push_back(c.Name());
    }
  }
  return names;
}

const ColumnSummary* FindColumn(const TraceSummaryRow& row, const std::string& name) {
  for (const ColumnSummary& c : row.columns) {
    if (c.Name() == name) return &c;
  }
  return nullptr;
}

Json SummaryJson(const std::vector<TraceSummaryRow>& rows) {
  Json out = Json::array();
  for (const TraceSummaryRow& row : rows) {
    Json columns = Json::array();
    for (const ColumnSummary& c : row.columns) {
      Json slots = Json::object();
      for (const auto& [span_class, n] : c.slots_at_peak) slots[span_class] = n;
      columns.push_back({{"allocator", c.allocator},
                         {"mode", c.mode},
                         {"threads", c.threads},
                         {"deterministic", c.deterministic},
                         {"peak_footprint_bytes", c.peak_footprint_bytes},
                         {"frag_peak_to_peak", Optional(c.frag_peak_to_peak)},
                         {"frag_at_peak_live", Optional(c.frag_at_peak_live)},
                         {"replay_seconds", c.replay_seconds},
                         {"ratio_to_glibc",
                          {{"peak_footprint_bytes", Optional(c.peak_footprint_ratio)},
                           {"frag_peak_to_peak", Optional(c.frag_peak_to_peak_ratio)},
                           {"replay_seconds", Optional(c.replay_seconds_ratio)}}},
                         {"slots_at_peak", std::move(slots)},
                         {"gc", GcSummaryJson(c.gc)},
                         {"checks_passed", c.checks_passed}});
    }
    out.push_back({{"trace", row.trace},
                   {"content_hash", row.content_hash},
                   {"events", row.events},
                   {"peak_live_bytes", row.peak_live_bytes},
                   {"columns", std::move(columns)}});
  }
  return out;
}

std::vector<TraceSummaryRow> ParseSummary(const Json& corpus, const std::string& what) {
  Reader in(what);
  if (!corpus.is_object()) in.Fail("the file", "is not a JSON object");
  std::string schema = in.String(corpus, "", "schema");
  if (schema != kCorpusSchema) {
    in.Fail("schema", fmt::format("is \"{}\", not \"{}\" (a baseline is the --json or "
                                  "--write-baseline file of compare with several traces)",
                                  schema, kCorpusSchema));
  }
  std::vector<TraceSummaryRow> rows;
  const Json& summary = in.Field(corpus, "", "summary", Json::value_t::array);
  for (size_t i = 0; i < summary.size(); ++i) {
    const std::string path = fmt::format("summary[{}]", i);
    const Json& j = summary[i];
    if (!j.is_object()) in.Fail(path, "is not an object");
    TraceSummaryRow row;
    row.trace = in.String(j, path, "trace");
    row.content_hash = in.String(j, path, "content_hash");
    row.events = in.Unsigned(j, path, "events");
    row.peak_live_bytes = in.Unsigned(j, path, "peak_live_bytes");
    const Json& columns = in.Field(j, path, "columns", Json::value_t::array);
    for (size_t k = 0; k < columns.size(); ++k) {
      const std::string cpath = fmt::format("{}.columns[{}]", path, k);
      if (!columns[k].is_object()) in.Fail(cpath, "is not an object");
      row.columns.push_back(ParseColumn(in, columns[k], cpath));
    }
    for (const TraceSummaryRow& earlier : rows) {
      if (earlier.trace == row.trace) in.Fail(path + ".trace", row.trace + " is listed twice");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Json CorpusJson(const CorpusReport& corpus) {
  Json traces = Json::array();
  for (const CorpusTrace& t : corpus.traces) {
    traces.push_back({{"content_hash", t.content_hash}, {"report", CompareJson(t.compare)}});
  }
  Json failed = Json::array();
  for (const FailedTrace& f : corpus.failed_traces) {
    failed.push_back({{"trace", f.path}, {"error", f.error}});
  }
  return {{"schema", kCorpusSchema},
          {"tool", {{"name", corpus.tool.name}, {"version", corpus.tool.version}}},
          {"summary", SummaryJson(SummaryOf(corpus))},
          {"traces", std::move(traces)},
          {"not_replayed", std::move(failed)},
          {"checks", {{"passed", corpus.failed_checks.empty()}, {"failed", corpus.failed_checks}}}};
}

std::string GcSummary::Label() const {
  replay::GcFigures settings;
  settings.gogc = gogc;
  settings.memory_limit_bytes = memory_limit_bytes;
  return GcLabel(settings);
}

void ContentHash::Update(std::string_view bytes) {
  for (unsigned char b : bytes) {
    hash_ ^= b;
    hash_ *= 0x100000001b3ull;  // FNV-1a's 64-bit prime
  }
}

std::string ContentHash::Text() const { return fmt::format("fnv1a64:{:016x}", hash_); }

}  // namespace goalloc::report
