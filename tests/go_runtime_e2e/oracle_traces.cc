// The oracle tests' forms of the sample traces (see oracle_traces.h).
#include "tests/go_runtime_e2e/oracle_traces.h"

#include <algorithm>
#include <filesystem>
#include <unordered_set>

#include "src/trace/trace_reader.h"
#include "src/trace/trace_writer.h"
#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

// Sizes whose objects the two sides place differently (see oracle_traces.h).
bool LeftOut(uint64_t size) { return size == 0 || (size > 32760 && size <= 32768); }

template <class F>
void ForEachEvent(const std::string& path, F f) {
  auto reader = trace::OpenTrace(path);
  std::vector<trace::Event> batch(4096);
  for (size_t n; (n = reader->ReadBatch(batch)) != 0;) {
    for (size_t i = 0; i < n; ++i) f(batch[i]);
  }
}

// Rewrites `path` event by event into a binary trace named after it with `suffix`: `keep`
// gets each event whose ids are consistent so far and the set of live kept ids.
template <class Keep>
std::string Rewrite(const std::string& path, const std::string& suffix, Keep keep) {
  const std::string out = TempPath(std::filesystem::path(path).filename().string() + suffix);
  auto writer = trace::CreateTraceWriter(out);
  std::unordered_set<uint64_t> live;
  ForEachEvent(path, [&](const trace::Event& e) { keep(e, live, *writer); });
  writer->Finish();
  return out;
}

}  // namespace

std::vector<std::string> AllTraces() {
  std::vector<std::string> out;
  for (const char* dir : {"traces", "traces/real"}) {
    for (const auto& e : std::filesystem::directory_iterator(Runfile(dir))) {
      if (e.is_regular_file() && e.path().extension() != ".md") out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string AllocOnly(const std::string& path) {
  uint64_t next_id = 1;
  std::unordered_set<uint64_t> seen;  // the trace's own ids, to skip inconsistent events
  return Rewrite(path, ".ao.gat", [&](const trace::Event& e, auto&, trace::TraceWriter& w) {
    const bool ends = e.op == trace::Op::kFree || e.op == trace::Op::kRealloc;
    if (ends && seen.erase(e.id) == 0) return;
    if (e.op == trace::Op::kFree) return;
    const uint64_t begins = e.op == trace::Op::kRealloc ? e.new_id : e.id;
    if (!seen.insert(begins).second || LeftOut(e.size)) return;
    trace::Event m;
    m.tid = e.tid;
    m.id = next_id++;
    m.size = e.size;
    m.t = e.t;
    w.Write(m);
  });
}

std::string GoComparable(const std::string& path) {
  return Rewrite(
      path, ".gc.gat",
      [](const trace::Event& e, std::unordered_set<uint64_t>& live, trace::TraceWriter& w) {
        trace::Event m;
        m.tid = e.tid;
        m.t = e.t;
        m.size = e.size;
        if (e.op == trace::Op::kFree) {
          if (live.erase(e.id) == 0) return;
          m.op = trace::Op::kFree;
          m.id = e.id;
          m.size = 0;
          w.Write(m);
          return;
        }
        const bool old_kept = e.op == trace::Op::kRealloc && live.erase(e.id) != 0;
        const uint64_t begins = e.op == trace::Op::kRealloc ? e.new_id : e.id;
        const bool new_kept = !LeftOut(e.size) && !live.count(begins);
        if (new_kept) live.insert(begins);
        if (old_kept && new_kept) {
          m.op = trace::Op::kRealloc;
          m.id = e.id;
          m.new_id = begins;
        } else if (old_kept) {
          m.op = trace::Op::kFree;
          m.id = e.id;
          m.size = 0;
        } else if (new_kept) {
          m.op = trace::Op::kMalloc;
          m.id = begins;
        } else {
          return;
        }
        w.Write(m);
      });
}

std::string WithResidentHeap(const std::string& path, uint64_t bytes) {
  uint64_t max_id = 0;
  ForEachEvent(path, [&](const trace::Event& e) { max_id = std::max({max_id, e.id, e.new_id}); });
  bool first = true;
  return Rewrite(path, ".resident.gat", [&](const trace::Event& e, auto&, trace::TraceWriter& w) {
    if (first) {
      trace::Event resident;
      resident.id = max_id + 1;
      resident.size = bytes;
      resident.t = e.t;
      w.Write(resident);
      first = false;
    }
    w.Write(e);
  });
}

uint64_t ResidentPages(uint64_t bytes) {
  constexpr uint64_t kPageSize = 8192;  // Go's heap page (and the model's)
  return (bytes + kPageSize - 1) / kPageSize * kPageSize;
}

}  // namespace goalloc::report_e2e
