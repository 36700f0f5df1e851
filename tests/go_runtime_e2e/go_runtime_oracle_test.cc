// The go-runtime backend as the model's oracle, run through the built binary on every trace
// in traces/ and traces/real/:
//  - alloc-only (GOGC=off, sealed, one P): the go backend's HeapInuse, HeapAlloc and objects
//    per size class at the end equal real Go 1.19's exactly, and its spans per size class
//    equal the spans the runtime's object counts fill (HeapInuse being equal). The trace is
//    first made alloc-only and noscan (frees dropped, every begin a malloc of a fresh id,
//    size 0 and alignment dropped), and sizes 32761..32768 are left out: Go 1.19, which the
//    backend runs, differs from the model's Go 1.22 rules for scan objects (no 8-byte header
//    over 512 B, 1024 not 1008 slots in small scan spans) and in its small-object limit.
//  - HeapAlloc after the final GC equals the class-size sum of the live objects (sim mode,
//    default GOGC): the backend's own check, which exits 1 when it fails.
//  - a missing Go program is a clear error with exit status 2; bad input and bad options
//    exit 2 as with the other backends.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <vector>

#include "tests/go_runtime_e2e/oracle_traces.h"
#include "tests/report_e2e/e2e_util.h"

namespace goalloc::report_e2e {
namespace {

using nlohmann::json;

uint64_t ModelHeapAlloc(const json& report) {
  uint64_t bytes = report["large"]["pages"].get<uint64_t>() * 8192;
  for (const json& c : report["size_classes"]["at_end"]) {
    bytes += c["object_size"].get<uint64_t>() * c["objects_in_use"].get<uint64_t>();
  }
  return bytes;
}

TEST(GoRuntimeOracle, AllocOnlyHeapEqualsTheModelExactly) {
  for (const std::string& path : AllTraces()) {
    SCOPED_TRACE(path);
    const std::string ao = AllocOnly(path);
    const json model =
        ReportOf({"replay", ao, "--mode", "sim", "--threads", "1", "--timeline", "1"});
    const json real = ReportOf({"replay", ao, "--allocator", "go-runtime", "--mode", "sim",
                                "--seal", "--gogc", "off", "--timeline", "1"});
    const json& runtime = real["heap"]["at_end"]["runtime"];
    EXPECT_EQ(model["heap"]["at_end"]["inuse"], runtime["heap_inuse"]);
    EXPECT_EQ(ModelHeapAlloc(model), runtime["heap_alloc"].get<uint64_t>());
    std::map<uint64_t, uint64_t> real_objects;  // object size (0: large) → objects
    for (const json& c : runtime["size_classes"]) real_objects[c["object_size"]] = c["objects"];
    const uint64_t real_large = real_objects[0];
    real_objects.erase(0);
    std::map<uint64_t, uint64_t> model_objects, model_spans;
    for (const json& c : model["size_classes"]["at_end"]) {
      EXPECT_TRUE(c["noscan"].get<bool>());
      const uint64_t size = c["object_size"], objects = c["objects_in_use"];
      model_objects[size] += objects;
      model_spans[size] += c["spans_mcache"].get<uint64_t>() + c["spans_partial"].get<uint64_t>() +
                           c["spans_full"].get<uint64_t>();
      const uint64_t slots = c["span_slots"];
      EXPECT_EQ(model_spans[size], (real_objects[size] + slots - 1) / slots) << size << " B";
    }
    EXPECT_EQ(model_objects, real_objects);
    EXPECT_EQ(model["large"]["live_objects"].get<uint64_t>(), real_large);
  }
}

TEST(GoRuntimeOracle, FinalGcLeavesThePredictedHeap) {
  for (const std::string& path : AllTraces()) {
    SCOPED_TRACE(path);
    const json report =
        ReportOf({"replay", path, "--allocator", "go-runtime", "--mode", "sim", "--timeline", "5"});
    const json& gc = report["gc"];
    EXPECT_TRUE(gc["final_gc_checked"].get<bool>());
    EXPECT_EQ(gc["heap_alloc_after_final_gc"], gc["predicted_heap_alloc_after_final_gc"]);
    EXPECT_TRUE(report["checks"]["passed"].get<bool>()) << report["checks"].dump();
  }
}

TEST(GoRuntimeErrors, MissingProgramIsAUsageError) {
  ASSERT_EQ(::setenv("GOALLOC_GO_RUNTIME", "/nonexistent/goalloc-go-runtime", 1), 0);
  const ToolRun r = RunTool({"replay", Runfile("traces/small.json"), "--allocator", "go-runtime"});
  ::unsetenv("GOALLOC_GO_RUNTIME");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/goalloc-go-runtime"), std::string::npos) << r.err;
}

TEST(GoRuntimeErrors, BadInputAndOptionsExitTwo) {
  const std::string small = Runfile("traces/small.json");
  const std::string broken = TempPath("broken.json");
  {
    std::FILE* f = std::fopen(broken.c_str(), "w");
    std::fputs("{\"format\":\"goalloc-trace\",\"version\":1,\"events\":[{\"op\":\"malloc\"", f);
    std::fclose(f);
  }
  const std::vector<std::vector<std::string>> cases = {
      {"replay", broken, "--allocator", "go-runtime"},
      {"replay", Runfile("traces/inconsistent.json"), "--allocator", "go-runtime", "--strict"},
      {"replay", small, "--allocator", "go-runtime", "--gogc", "lots"},
      {"replay", small, "--allocator", "go-runtime", "--gogc", "-5"},
      {"replay", small, "--allocator", "go-runtime", "--memory-limit", "0"},
      {"replay", small, "--allocator", "go-runtime", "--repeat", "0"},
      {"replay", small, "--allocator", "go-runtime", "--verify"},
      {"replay", small, "--seal"},
      {"compare", small, "--allocators", "glibc", "--gogc", "50"},
  };
  for (const auto& args : cases) {
    const ToolRun r = RunTool(args);
    EXPECT_EQ(r.status, 2) << args[1] << " " << args.back() << ": " << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  }
}

}  // namespace
}  // namespace goalloc::report_e2e
