// End-to-end tests of `inspect` and `convert`, running the built goalloc-replay: the table of
// malformed and inconsistent inputs (each with its exit status and message), and conversions
// between every encoding checked through the CLI.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string Runfile(const std::string& path) {
  return std::string(std::getenv("TEST_SRCDIR")) + "/goalloc_replay/" + path;
}
std::string Tmp(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

void Write(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}
std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Result {
  int status;
  std::string out, err;
};

// Runs goalloc-replay with `args` (a shell fragment).
Result RunTool(const std::string& args) {
  std::string err_path = Tmp("stderr.txt");
  std::string cmd = Runfile("src/cli/goalloc-replay") + " " + args + " 2>" + err_path;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, Read(err_path)};
}

const std::string kHead = R"({"format":"goalloc-trace","version":1,"events":[)";
std::string Doc(const std::string& events) { return kHead + events + "]}"; }

struct Case {
  const char* name;
  std::string content;  // written to a file named `name`
  const char* args;     // after the file name
  int status;
  std::string message;  // expected in stderr
};

TEST(TraceCli, MalformedAndInconsistentInputs) {
  const Case cases[] = {
      {"not-a-trace.txt", "hello", "", 2, "event 0 (byte 0): unrecognised trace encoding"},
      {"empty.json", "", "", 2, "event 0: empty file, not a trace"},
      {"truncated.json", Doc(R"({"op":"malloc","id":1,"size":8})").substr(0, 60), "", 2,
       "event 0 (line 1, byte 60): unterminated string"},
      {"format.json", R"({"format":"pprof","version":1,"events":[]})", "", 2,
       "not a goalloc trace: \"format\" is \"pprof\""},
      {"version.json", R"({"format":"goalloc-trace","version":3,"events":[]})", "", 2,
       "unsupported trace version 3"},
      {"no-events.json", R"({"format":"goalloc-trace","version":1})", "", 2, "missing \"events\""},
      {"no-format.json", R"({"version":1,"events":[]})", "", 2, "missing \"format\""},
      {"op.json", Doc(R"({"op":"malloc","id":1,"size":8},{"op":"new","id":2})"), "", 2,
       "event 1 (line 1, byte 86): unknown op \"new\""},
      {"no-id.json", Doc(R"({"op":"free"})"), "", 2,
       "event 0 (line 1, byte 60): free event has no \"id\""},
      {"no-size.json", Doc(R"({"op":"calloc","id":1})"), "", 2, "calloc event has no \"size\""},
      {"no-new-id.json", Doc(R"({"op":"realloc","id":1,"size":2})"), "", 2,
       "realloc event has no \"new_id\""},
      {"no-align.json", Doc(R"({"op":"aligned_alloc","id":1,"size":2})"), "", 2,
       "aligned_alloc event has no \"align\""},
      {"negative.json", Doc(R"({"op":"malloc","id":1,"size":-8})"), "", 2,
       "\"size\" must not be negative"},
      {"huge.json", Doc(R"({"op":"malloc","id":1,"size":281474976710656})"), "", 2,
       "\"size\" 281474976710656 is not below 2^47"},
      {"align.json", Doc(R"({"op":"aligned_alloc","id":1,"size":8,"align":24})"), "", 2,
       "\"align\" 24 is not a power of two"},
      {"type.json", Doc(R"({"op":"malloc","id":"0x10","size":8})"), "", 2,
       "\"id\" must be an unsigned integer, not a string"},
      {"tid.json", Doc(R"({"op":"free","id":1,"tid":5000000000})"), "", 2, "\"tid\" is too large"},
      {"syntax.json", Doc(R"({"op" "free","id":1})"), "", 2,
       "expected ':' after a key, found a string"},
      {"trailing.json", Doc("") + " {}", "", 2, "unexpected data after the trace object"},
      {"lines.json",
       kHead + "\n" + R"({"op":"free","id":1},)" + "\n" + R"({"op":"free","id":true}]})", "", 2,
       "event 1 (line 3, byte 89): \"id\" must be an unsigned integer, not a boolean"},
      {"bad.mtrace", "= Start\n+ 0x10 0x8\n- 0x1g\n= End\n", "", 2,
       "event 1 (line 3, byte 19): address \"0x1g\" is not a hexadecimal address"},
      {"pair.mtrace", "= Start\n< 0x10\n- 0x10\n", "", 2, "'<' line not followed by a '>' line"},
      {"magic.gat", std::string("\x89GAT\r\n\x1a", 7), "", 2,
       "not a goalloc binary trace (bad magic)"},
      {"record.gat", std::string("\x89GAT\r\n\x1a\n\x01\x02{}\x06\x00\x00", 15), "", 2,
       "event 0 (byte 12): invalid op 6"},
      {"no-end.gat", std::string("\x89GAT\r\n\x1a\n\x01\x02{}\x00\x40\x00\x08", 16), "", 2,
       "event 1 (byte 16): truncated trace: no end record"},
      {"strict-free.json", Doc(R"({"op":"malloc","id":1,"size":8},{"op":"free","id":2})"),
       "--strict", 2, "event 1: free of id 2, which is not live (--strict)"},
      {"strict-realloc.json", Doc(R"({"op":"realloc","id":5,"new_id":6,"size":8})"), "--strict", 2,
       "event 0: realloc of id 5, which is not live (--strict)"},
      {"strict-malloc.json",
       Doc(R"({"op":"malloc","id":1,"size":8},{"op":"calloc","id":1,"size":8})"), "--strict", 2,
       "event 1: calloc of id 1, which is already live (--strict)"},
      {"strict-realloc-to.json",
       Doc(R"({"op":"malloc","id":1,"size":8},{"op":"malloc","id":2,"size":8},{"op":"realloc","id":1,"new_id":2,"size":8})"),
       "--strict", 2, "event 2: realloc to new_id 2, which is already live (--strict)"},
      // Control bytes from the input are escaped: no terminal escapes, no message cut short.
      {"escape-op.json", Doc(R"({"op":"\u001b[2J\u0000x","id":1})"), "", 2,
       R"(unknown op "\x1B[2J\x00x")"},
      {"escape.mtrace", "= Start\n\x1b]0;pwned\x07 0x10\n", "", 2, "\\x1B]0;pwned\\x07"},
      {"exponent.json", Doc(R"({"op":"malloc","id":1,"size":1e3})"), "", 2,
       "\"size\" must be an unsigned integer: the exponent form is not accepted"},
      {"fraction.json", Doc(R"({"op":"malloc","id":1,"size":1.5})"), "", 2,
       "\"size\" must be an unsigned integer, not a fraction"},
      {"bom.json", "\xEF\xBB\xBF" + Doc(R"({"op":"malloc","id":1,"size":8})"), "", 0, ""},
      {"bad-bom.json", "\xEF\xBB" + Doc(""), "", 2,
       "event 0 (byte 0): unrecognised trace encoding"},
      {"skipped.json", Doc(R"({"op":"free","id":9},{"op":"malloc","id":1,"size":8})"), "", 0,
       "warning: " + Tmp("skipped.json") + ": event 0: free of id 9, which is not live; skipped"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Write(Tmp(c.name), c.content);
    Result r = RunTool("inspect " + Tmp(c.name) + " " + c.args);
    EXPECT_EQ(r.status, c.status) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    if (c.status == 2) {
      EXPECT_EQ(r.err.rfind("error: " + Tmp(c.name) + ": event ", 0), 0u) << r.err;
    }
  }
}

// The warnings lines of stderr, in order.
std::vector<std::string> Warnings(const std::string& err) {
  std::vector<std::string> out;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("warning: ", 0) == 0) out.push_back(line);
  }
  return out;
}

// inspect and replay word inconsistencies the same way, one by one and in the summary, and
// a realloc to a live new_id names the new_id.
TEST(TraceCli, InspectAndReplayWordInconsistenciesAlike) {
  std::string many = Tmp("many-inconsistent.json");
  std::string events = R"({"op":"malloc","id":1,"size":8})";
  for (int i = 0; i < 7; ++i) events += R"(,{"op":"free","id":)" + std::to_string(100 + i) + "}";
  events += R"(,{"op":"malloc","id":2,"size":8},{"op":"realloc","id":1,"new_id":2,"size":9})";
  Write(many, Doc(events));
  struct Case {
    std::string trace, warning;
  };
  const Case cases[] = {
      {Runfile("traces/inconsistent.json"),
       "event 5: realloc to new_id 2, which is already live; skipped"},
      {many,
       "inconsistent events: 8 skipped: free_unknown 7, realloc_unknown 0, malloc_live_id 1; "
       "first at events 1, 2, 3, 4, 5, 6, 7, 9"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.trace);
    Result inspect = RunTool("inspect " + c.trace);
    Result replay = RunTool("replay --quiet --wide --mode sim " + c.trace);
    ASSERT_EQ(inspect.status, 0) << inspect.err;
    ASSERT_EQ(replay.status, 0) << replay.err;
    EXPECT_EQ(Warnings(inspect.err), Warnings(replay.err));
    EXPECT_NE(inspect.err.find(c.warning), std::string::npos) << inspect.err;
    std::string summary = c.warning.substr(c.warning.find(": ") + 2);
    if (c.trace == many) {  // the same line in both text reports
      EXPECT_NE(inspect.out.find(summary), std::string::npos) << inspect.out;
      EXPECT_NE(replay.out.find("inconsistent  " + summary), std::string::npos) << replay.out;
    }
  }
}

TEST(TraceCli, UnreadableAndCorruptFiles) {
  Result r = RunTool("inspect " + Tmp("missing.json"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing.json: event 0: cannot open: No such file or directory"),
            std::string::npos);
  mkdir(Tmp("dir.json").c_str(), 0755);
  r = RunTool("inspect " + Tmp("dir.json"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("read failed: Is a directory"), std::string::npos) << r.err;

  for (const char* ext : {".json.gz", ".json.zst"}) {
    std::string full = Tmp(std::string("full") + ext), cut = Tmp(std::string("cut") + ext);
    ASSERT_EQ(RunTool("convert " + Runfile("traces/sample.json") + " -o " + full).status, 0);
    std::string data = Read(full);
    Write(cut, data.substr(0, data.size() / 2));
    r = RunTool("inspect " + cut);
    EXPECT_EQ(r.status, 2) << ext;
    EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
    Write(cut, data + "garbage after the compressed stream");
    r = RunTool("inspect " + cut);
    EXPECT_EQ(r.status, 2) << ext;
    EXPECT_NE(r.err.find("corrupt"), std::string::npos) << r.err;
  }
}

TEST(TraceCli, InspectJsonHasTheReportFields) {
  Result r = RunTool("inspect --json " + Runfile("traces/inconsistent.json"));
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  for (const char* key :
       {"events", "threads", "ops", "peak_live_bytes", "peak_live_objects", "final_live_bytes",
        "final_live_objects", "cross_thread_frees", "size_histogram", "inconsistent"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["events"], 9);
  EXPECT_EQ(j["ops"]["free"], 4);
  EXPECT_EQ(j["inconsistent"]["free_unknown"], 2);
  EXPECT_EQ(j["inconsistent"]["realloc_unknown"], 1);
  EXPECT_EQ(j["inconsistent"]["malloc_live_id"], 2);
  EXPECT_EQ(j["inconsistent"]["first_indices"], nlohmann::json::parse("[0,2,3,5,7]"));
  EXPECT_EQ(j["peak_live_bytes"], 40);
  EXPECT_EQ(j["final_live_objects"], 0);
  // Five warnings, one per skipped event.
  size_t warnings = 0;
  for (size_t p = 0; (p = r.err.find("warning:", p)) != std::string::npos; ++p) ++warnings;
  EXPECT_EQ(warnings, 5u) << r.err;
}

TEST(TraceCli, ConvertBetweenEveryEncodingKeepsTheStatistics) {
  std::string original = RunTool("inspect --json " + Runfile("traces/small.json")).out;
  auto want = nlohmann::json::parse(original);
  std::string prev = Runfile("traces/small.json");
  for (const char* name : {"a.gat.zst", "b.json.gz", "c.gat", "d.json"}) {
    Result r = RunTool("convert " + prev + " -o " + Tmp(name));
    ASSERT_EQ(r.status, 0) << r.err;
    prev = Tmp(name);
    auto got = nlohmann::json::parse(RunTool("inspect --json " + prev).out);
    for (const char* key : {"path", "encoding", "compression"}) got.erase(key), want.erase(key);
    EXPECT_EQ(got, want) << name;
  }
  // meta travels verbatim through every encoding that carries it.
  EXPECT_NE(Read(prev).find(R"("meta":{"program": "hand-written", "purpose")"), std::string::npos);

  // Through stdin, and to mtrace with a warning naming what is lost.
  Result r = RunTool("convert - -o " + Tmp("e.mtrace") + " < " + Runfile("traces/small.json"));
  ASSERT_EQ(r.status, 0);
  EXPECT_NE(r.err.find("the mtrace format cannot carry thread ids (8 events not on thread 0), "
                       "scan flags (2 events), timestamps (13 events), calloc (1 events written as "
                       "malloc), alignment (2 aligned_alloc events written as malloc), meta"),
            std::string::npos)
      << r.err;
  auto m = nlohmann::json::parse(RunTool("inspect --json " + Tmp("e.mtrace")).out);
  EXPECT_EQ(m["encoding"], "mtrace");
  EXPECT_EQ(m["events"], 13);
  EXPECT_EQ(m["threads"], 1);
  EXPECT_EQ(m["peak_live_bytes"], want["peak_live_bytes"]);

  r = RunTool("convert " + Runfile("traces/small.json") + " -o " + Tmp("out.txt"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("cannot tell the trace encoding from the name"), std::string::npos);
  r = RunTool("convert " + Runfile("traces/small.json") + " -o " + Tmp("no/such/dir.json"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no directory"), std::string::npos) << r.err;
  r = RunTool("inspect");
  EXPECT_EQ(r.status, 2);
}

}  // namespace
