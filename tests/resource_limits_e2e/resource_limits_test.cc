// Hostile sizes and thread counts, end to end through the built goalloc-replay (issue #17
// §1–3): traces that would exhaust the machine's memory are refused after decoding, before
// any allocation (exit 2); requests the Go-style heap can never serve fail cleanly with the
// event named (exit 1, never an abort); thread counts past the machine's limits are capped
// or refused up front. No case here allocates more than a few MiB.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "src/replay/replay.h"
#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

using nlohmann::json;

constexpr uint64_t kLargest = (uint64_t{1} << 47) - 1;  // the trace format's largest size

json Malloc(uint64_t id, uint64_t size, uint32_t tid = 0) {
  return {{"op", "malloc"}, {"tid", tid}, {"id", id}, {"size", size}};
}
json Free(uint64_t id, uint32_t tid = 0) { return {{"op", "free"}, {"tid", tid}, {"id", id}}; }
json Aligned(uint64_t id, uint64_t size, uint64_t align, uint32_t tid) {
  return {{"op", "aligned_alloc"}, {"tid", tid}, {"id", id}, {"size", size}, {"align", align}};
}

// One malloc of 2^46 bytes, then its free.
std::string Huge() {
  return WriteTrace("huge.json", json::array({Malloc(1, 1ull << 46), Free(1)}));
}

// One object grown by realloc doubling to 2^40 bytes.
std::string Doubling() {
  json events = json::array({Malloc(1, 1)});
  for (uint64_t i = 1; i <= 40; ++i) {
    events.push_back(
        {{"op", "realloc"}, {"tid", 0}, {"id", i}, {"new_id", i + 1}, {"size", uint64_t{1} << i}});
  }
  return WriteTrace("doubling.json", events);
}

struct Case {
  std::string name;
  std::vector<std::string> args;
  int status;
  std::vector<std::string> messages;  // each expected in stderr
};

void RunCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const ToolRun r = RunTool(c.args);
    EXPECT_EQ(r.status, c.status) << r.err;
    for (const std::string& m : c.messages) EXPECT_NE(r.err.find(m), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("fatal"), std::string::npos) << r.err;
  }
}

TEST(ResourceLimits, MemoryExhaustionIsRefusedBeforeTheReplay) {
  const std::string huge = Huge(), doubling = Doubling();
  const std::string small = Runfile("traces/small.json");
  std::vector<Case> cases;
  for (const std::string& allocator : replay::InstalledAllocators()) {
    cases.push_back({"2^46 B on " + allocator,
                     {"replay", huge, "--allocator", allocator, "--quiet"},
                     2,
                     {"huge.json: a replay on " + allocator + " needs about",
                      "peak at event 0 with 703687441", "(64.0 TiB))", "pass --max-memory"}});
    cases.push_back({"realloc doubling on " + allocator,
                     {"replay", doubling, "--allocator", allocator, "--quiet"},
                     2,
                     {"peak at event 40 with 16492674", "(1.5 TiB))"}});
  }
  cases.push_back({"compare refuses before any replay",
                   {"compare", huge, "--quiet"},
                   2,
                   {"a replay on go needs about"}});
  cases.push_back({"a bound below a small trace's need",
                   {"replay", small, "--quiet", "--max-memory", "1MiB"},
                   2,
                   {"allowed by --max-memory", "1048576 bytes (1.0 MiB)"}});
  cases.push_back({"a bound above it", {"replay", small, "--quiet", "--max-memory", "1GB"}, 0, {}});
  cases.push_back({"units are checked",
                   {"replay", small, "--quiet", "--max-memory", "lots"},
                   2,
                   {"--max-memory"}});
  RunCases(cases);
}

TEST(ResourceLimits, GoHeapExhaustionIsAnErrorNamingTheEvent) {
  // --max-memory 0 lets these through the pre-flight check to the heap, which must refuse
  // them without touching memory: no reservation or mapping of that size can succeed.
  const std::string largest =
      WriteTrace("largest.json", json::array({Malloc(1, 24), Malloc(2, kLargest), Free(2)}));
  // On the second of two threads: parallel mode names the event from that thread's copy.
  const std::string align63 =
      WriteTrace("align63.json", json::array({Malloc(1, 24), Malloc(2, 24, 1), Malloc(3, 24),
                                              Aligned(4, 8, 1ull << 63, 1), Free(4, 1)}));
  std::vector<Case> cases;
  for (const char* mode : {"sim", "parallel"}) {
    cases.push_back({fmt::format("2^47-1 B ({})", mode),
                     {"replay", largest, "--mode", mode, "--quiet", "--max-memory", "0"},
                     1,
                     {"largest.json: event 1: go heap: cannot reserve",
                      "malloc of 140737488355327 bytes failed"}});
    cases.push_back({fmt::format("alignment 2^63 ({})", mode),
                     {"replay", align63, "--mode", mode, "--quiet", "--max-memory", "0"},
                     1,
                     {"align63.json: event 3: go heap: cannot map", "address space"}});
  }
  cases.push_back({"2^47-1 B on glibc",
                   {"replay", largest, "--allocator", "glibc", "--quiet", "--max-memory", "0"},
                   1,
                   {"largest.json: event 1: glibc: malloc of 140737488355327 bytes failed"}});
  RunCases(cases);
}

TEST(ResourceLimits, ThreadCountsPastTheMachinesLimits) {
  const std::string small = Runfile("traces/small.json");
  // 3,000 recorded threads, one object each: more than parallel mode's cap of 1,024.
  json events = json::array();
  for (uint32_t t = 0; t < 3000; ++t) events.push_back(Malloc(t + 1, 16 + t % 200, t));
  for (uint32_t t = 0; t < 3000; ++t) events.push_back(Free(t + 1, t));
  const std::string many = WriteTrace("many_threads.json", events);
  RunCases({
      {"--threads 40000 in parallel mode",
       {"replay", small, "--threads", "40000", "--quiet"},
       2,
       {"--threads 40000 needs 40000 OS threads in parallel mode", "pass --threads"}},
      {"compare --threads 40000, before its sim runs",
       {"compare", small, "--allocators", "go", "--threads", "40000", "--quiet"},
       2,
       {"pass --threads"}},
      {"--threads 40000 in sim mode",
       {"replay", small, "--threads", "40000", "--mode", "sim", "--quiet"},
       0,
       {}},
      {"3000 recorded threads, default",
       {"replay", many, "--quiet", "--timeline", "10", "--verify"},
       0,
       {"note: the trace has 3000 threads; parallel mode replays them on"}},
  });
  const json report = ReportOf({"replay", many, "--timeline", "10", "--mode", "sim"});
  EXPECT_EQ(report["replay"]["threads"], 3000);  // sim mode: one P per recorded thread
}

}  // namespace
}  // namespace goalloc::report_e2e
