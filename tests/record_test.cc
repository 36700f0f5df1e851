// End to end: `goalloc-replay record` on a program with known heap calls yields exactly
// those events, in their order, on the right threads (tests/record_test_program.c); with
// --follow-children a forked child gets its own trace; and the trace of a real
// multi-threaded program has no inconsistent events (`inspect --strict` and
// `replay --strict` accept it).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "src/trace/live_objects.h"
#include "src/trace/trace_reader.h"
#include "src/trace/trace_stats.h"

namespace goalloc {
namespace {

namespace fs = std::filesystem;
using trace::Event;
using trace::Op;

constexpr uint64_t kBeginMarker = 0x5EED01, kEndMarker = 0x5EED02, kChildSize = 0x5EED03;

std::string Runfile(const std::string& path) {
  return std::string(std::getenv("TEST_SRCDIR")) + "/goalloc_replay/" + path;
}

fs::path TempPath(const std::string& name) {
  fs::path dir = fs::path(testing::TempDir()) / "record_test";
  fs::create_directories(dir);
  return dir / name;
}

// Runs a shell command line; returns its exit status.
int Shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Recorder() { return Runfile("src/cli/goalloc-replay"); }
std::string TestProgram() { return Runfile("tests/record_test_program"); }

std::vector<Event> ReadAll(const std::string& path) {
  auto reader = trace::OpenTrace(path);
  std::vector<Event> all, batch(1024);
  while (size_t n = reader->ReadBatch(batch))
    all.insert(all.end(), batch.begin(), batch.begin() + n);
  return all;
}

// The trace's statistics, and its live set with every event applied in order.
struct TraceFigures {
  trace::TraceStats stats;
  trace::LiveObjects live;
};
TraceFigures StatsOf(const std::string& path) {
  TraceFigures f;
  for (const Event& e : ReadAll(path)) f.stats.Add(e, f.live.Apply(e, f.stats.events()));
  return f;
}

// The events between the marker allocations, exclusive (the markers' frees included).
std::vector<Event> Window(const std::vector<Event>& all) {
  size_t begin = all.size(), end = all.size();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].op == Op::kMalloc && all[i].size == kBeginMarker) begin = i;
    if (all[i].op == Op::kMalloc && all[i].size == kEndMarker) end = i;
  }
  EXPECT_LT(begin + 1, end) << "markers not found in order";
  if (begin + 1 >= end) return {};
  return {all.begin() + begin + 2, all.begin() + end};  // +2: skip the marker's free
}

struct Expected {
  std::string op;
  int thread = 0;
  uint64_t id = 0, new_id = 0, size = 0, align = 0;
};

std::vector<Expected> ReadExpected(const fs::path& path) {
  std::ifstream in(path);
  std::vector<Expected> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    Expected e;
    s >> e.op >> e.thread >> std::hex >> e.id >> e.new_id >> std::dec >> e.size >> e.align;
    out.push_back(e);
  }
  return out;
}

TEST(Record, KnownCallsYieldExactlyTheExpectedEvents) {
  fs::path out = TempPath("known.json"), expected_file = TempPath("known.expected");
  // The program's exit status (3) is the record command's.
  ASSERT_EQ(Shell(Recorder() + " record -o " + out.string() + " -- " + TestProgram() + " " +
                  expected_file.string()),
            3);
  std::vector<Expected> want = ReadExpected(expected_file);
  ASSERT_GT(want.size(), 30u);
  std::vector<Event> all = ReadAll(out);
  for (size_t i = 1; i < all.size(); ++i) ASSERT_LE(all[i - 1].t, all[i].t) << "event " << i;
  std::vector<Event> got = Window(all);
  ASSERT_EQ(got.size(), want.size());
  std::map<int, uint32_t> tid_of_thread;  // the program's thread number → recorded tid
  std::map<uint32_t, int> thread_of_tid;
  for (size_t i = 0; i < want.size(); ++i) {
    const Event& g = got[i];
    const Expected& w = want[i];
    SCOPED_TRACE("event " + std::to_string(i) + " of the window: " + w.op);
    EXPECT_EQ(trace::OpName(g.op), w.op);
    EXPECT_EQ(g.id, w.id);
    EXPECT_EQ(g.new_id, w.new_id);
    EXPECT_EQ(g.size, w.size);
    EXPECT_EQ(g.align, w.align);
    EXPECT_NE(g.t, trace::kNoTime);
    auto [t, new_thread] = tid_of_thread.emplace(w.thread, g.tid);
    EXPECT_EQ(t->second, g.tid) << "thread " << w.thread << " recorded under two tids";
    auto [th, new_tid] = thread_of_tid.emplace(g.tid, w.thread);
    EXPECT_EQ(th->second, w.thread) << "tid " << g.tid << " shared by two threads";
  }
  EXPECT_EQ(tid_of_thread.size(), 3u);
  EXPECT_EQ(tid_of_thread[0], 0u) << "the main thread makes the first call";
}

TEST(Record, FollowChildrenWritesOneTracePerProcess) {
  fs::path dir = TempPath("follow");
  fs::create_directories(dir);
  fs::path out = dir / "run.gat.zst";
  ASSERT_EQ(Shell(Recorder() + " record --follow-children -o " + out.string() + " -- " +
                  TestProgram() + " " + (dir / "expected").string() + " fork"),
            3);
  std::vector<fs::path> traces;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() != "expected") traces.push_back(e.path());
  }
  ASSERT_EQ(traces.size(), 2u) << "the program and its child";
  int with_window = 0, child = 0;
  for (const fs::path& p : traces) {
    std::string name = p.filename().string();
    EXPECT_TRUE(name.starts_with("run.") && name.ends_with(".gat.zst")) << name;
    std::vector<Event> all = ReadAll(p.string());
    bool has_child_call = false, has_window = false;
    for (const Event& e : all) {
      has_child_call |= e.op == Op::kMalloc && e.size == kChildSize;
      has_window |= e.op == Op::kMalloc && e.size == kBeginMarker;
    }
    with_window += has_window;
    child += has_child_call;
    if (has_child_call) {  // the child's log restarted at the fork: its calls only
      EXPECT_EQ(all.size(), 2u);
    }
  }
  EXPECT_EQ(with_window, 1);
  EXPECT_EQ(child, 1);
}

TEST(Record, WithoutFollowChildrenOnlyTheCommandIsRecorded) {
  fs::path dir = TempPath("nofollow");
  fs::create_directories(dir);
  fs::path out = dir / "run.json";
  ASSERT_EQ(Shell(Recorder() + " record -o " + out.string() + " -- " + TestProgram() + " " +
                  (dir / "expected").string() + " fork"),
            3);
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.path() != dir / "expected";
  EXPECT_EQ(files, 1u);
  for (const Event& e : ReadAll(out.string())) EXPECT_NE(e.size, kChildSize);
}

// Without --follow-children, the program the command execs into is the one recorded.
TEST(Record, ProgramExecdIntoIsTheOneRecorded) {
  fs::path out = TempPath("exec.json"), expected_file = TempPath("exec.expected");
  ASSERT_EQ(Shell(Recorder() + " record -o " + out.string() + " -- sh -c 'exec " + TestProgram() +
                  " " + expected_file.string() + "'"),
            3);
  EXPECT_EQ(Window(ReadAll(out.string())).size(), ReadExpected(expected_file).size());
}

// The ordering protocol under fire (src/record/ordering.h): four threads realloc, malloc
// and free blocks they pass to each other, glibc's per-thread caches are off so a freed
// address is reused by another thread at once, and a realloc that moved a block lingers
// before returning. Other threads then get the old block while the realloc is still in
// flight; the trace must still show its end before their allocation.
TEST(Record, ConcurrentReallocsAreOrderedWithAddressReuse) {
  fs::path out = TempPath("stress.gat");
  ASSERT_EQ(Shell("LD_PRELOAD=" + Runfile("tests/libslow_realloc.so") +
                  " GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1 " +
                  Recorder() + " record -o " + out.string() + " -- " +
                  Runfile("tests/record_stress_program") + " 5000"),
            0);
  const auto [stats, live] = StatsOf(out.string());
  EXPECT_EQ(live.inconsistent().total(), 0u);
  EXPECT_GT(stats.ops()[int(Op::kRealloc)], 1000u);
  EXPECT_GT(stats.cross_thread_frees(), 100u);
}

// A real multi-threaded program from the system, whose threads free what others allocated
// (git grep: workers fill output buffers that the main thread prints and frees): the
// recorded order must leave no free before its malloc nor a malloc of a live address.
TEST(Record, RealProgramTraceHasNoInconsistentEvents) {
  fs::path tree = TempPath("tree"), out = TempPath("grep.gat");
  fs::create_directories(tree);
  uint64_t x = 12345;  // fixed-seed LCG contents
  for (int file = 0; file < 200; ++file) {
    std::ofstream f(tree / ("f" + std::to_string(file) + ".txt"));
    for (int line = 0; line < 200; ++line) {
      x = x * 6364136223846793005u + 1442695040888963407u;
      f << "line " << line << " value " << (x >> 20) << '\n';
    }
  }
  ASSERT_EQ(Shell("cd " + tree.string() + " && " + Recorder() + " record -o " + out.string() +
                  " -- git grep --no-index --threads=4 -n -e 7 > /dev/null"),
            0);
  ASSERT_EQ(Shell(Recorder() + " inspect --strict " + out.string() + " > /dev/null"), 0);
  ASSERT_EQ(
      Shell(Recorder() + " replay --strict --mode sim --quiet " + out.string() + " > /dev/null"),
      0);
  const auto [stats, live] = StatsOf(out.string());
  EXPECT_EQ(live.inconsistent().total(), 0u);
  EXPECT_GT(stats.threads(), 1u);
  EXPECT_GT(stats.events(), 1000u);
  EXPECT_GT(stats.cross_thread_frees(), 100u);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// What `record` must get right around the command (issue 17 §6): a table of command lines,
// each with the exit status, what stderr says, whether a trace is left, and that no
// scratch directory (.goalloc-record-*) ever is.
TEST(Record, HostileEnvironmentsTable) {
  struct Case {
    std::string name;
    std::string output;   // file name in the case's directory
    std::string command;  // shell text; $REC is the record command line up to and incl. --
    int status;
    std::string stderr_has;
    bool trace_written;
  };
  const std::string churn = TestProgram() + " churn";
  const Case cases[] = {
      // The encoding is decided before the command runs: it never runs.
      {"no_suffix", "noext", "$REC touch ran", 2, "cannot tell the trace encoding", false},
      {"bin_suffix", "trace.bin", "$REC touch ran", 2, "cannot tell the trace encoding", false},
      {"gz_alone", "t.gz", "$REC touch ran", 2, "cannot tell the trace encoding", false},
      // SIGTERM to `record` reaches the command; the trace is written, the scratch removed.
      {"sigterm", "term.gat.zst", "$REC " + churn + " 0 & sleep 1; kill -TERM $!; wait $!",
       128 + 15, "events", true},
      // The raw log cannot grow (the file size limit stands in for a full disk): status 1,
      // the reason, and the events before as a valid trace; the program is not killed.
      {"file_size_limit", "limit.gat", "ulimit -f 2000; $REC " + churn + " 1000000", 1,
       "the raw log could not be written (File too large: the file size limit", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    fs::path dir = TempPath("hostile_" + c.name);
    fs::create_directories(dir);
    fs::path out = dir / c.output, err = dir / "stderr";
    std::string rec = Recorder() + " record -o " + out.string() + " --";
    std::string command = c.command;
    command.replace(command.find("$REC"), 4, rec);
    EXPECT_EQ(Shell("cd " + dir.string() + " && (" + command + ") 2> " + err.string()), c.status);
    EXPECT_NE(ReadFile(err).find(c.stderr_has), std::string::npos) << ReadFile(err);
    EXPECT_FALSE(fs::exists(dir / "ran")) << "the command ran";
    EXPECT_EQ(fs::exists(out), c.trace_written);
    for (const auto& e : fs::directory_iterator(dir)) {
      EXPECT_FALSE(e.path().filename().string().starts_with(".goalloc-record-")) << e.path();
    }
    if (c.trace_written) {
      const auto [stats, live] = StatsOf(out.string());
      EXPECT_GT(stats.events(), 1000u);
      EXPECT_EQ(live.inconsistent().total(), 0u);
    }
  }
}

// Command-line bytes that are not UTF-8 reach the trace's JSON `meta` as \xNN.
TEST(Record, NonUtf8CommandLineIsEscapedInMeta) {
  fs::path out = TempPath("nonutf8.json");
  ASSERT_EQ(Shell(Recorder() + " record -o " + out.string() + " -- printf 'a\xFF' > /dev/null"), 0);
  std::string text = ReadFile(out);
  EXPECT_NE(text.find(R"("program":"printf a\\xFF")"), std::string::npos) << text.substr(0, 300);
  EXPECT_EQ(Shell(Recorder() + " inspect --strict " + out.string() + " > /dev/null"), 0);
}

}  // namespace
}  // namespace goalloc
