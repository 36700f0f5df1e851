// The replay's performance figures, each a ratio measured in this one run (medians of
// --runs runs, the compared replays interleaved so machine noise hits both alike):
//   1. throughput: events/s of go vs glibc in parallel mode on each trace given;
//   2. engine overhead: the noop backend (bump pointer, no free) in ns/event, sim mode (one
//      thread: the engine's own per-event cost) and parallel mode;
//   3. scaling: a thread-local workload on go, 2 threads vs 1 (events/s, and CPU ns/event);
//   4. reporting overhead: go replay time with --timeline 1000 vs 0 (parallel: wall time,
//      the stop-the-world pauses included; sim: CPU time, the snapshots alone).
// Usage: replay_bench [--runs N] [--scaling-events N] [--only 1,2,3,4] TRACE...
// scripts/bench-replay runs it on traces/.
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "src/replay/prepared_trace.h"
#include "src/replay/replay.h"
#include "src/replay/synthetic_traces.h"

namespace goalloc::replay {
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Runs each variant `runs` times, interleaved; returns the median replay seconds of each,
// wall-clock or (cpu) CPU time.
std::vector<double> MedianSeconds(const PreparedTrace& trace,
                                  const std::vector<ReplayOptions>& variants, int runs,
                                  bool cpu = false) {
  std::vector<std::vector<double>> seconds(variants.size());
  for (int i = 0; i < runs; ++i) {
    for (size_t v = 0; v < variants.size(); ++v) {
      const ReplayResult r = Replay(trace, variants[v]);
      seconds[v].push_back(cpu ? r.cpu_seconds : r.replay_seconds);
    }
  }
  std::vector<double> out;
  for (auto& s : seconds) out.push_back(Median(s));
  return out;
}

using Traces = std::vector<std::shared_ptr<const PreparedTrace>>;

void Throughput(const Traces& traces, int runs) {
  fmt::print("1. throughput, parallel mode (goal: go/glibc >= 1.0)\n");
  fmt::print("{:<28}{:>10}{:>8}{:>14}{:>14}{:>10}{:>16}\n", "trace", "events", "threads", "go ev/s",
             "glibc ev/s", "go/glibc", "by CPU time");
  for (const auto& t : traces) {
    const std::vector<ReplayOptions> variants = {{.allocator = "go"}, {.allocator = "glibc"}};
    const auto s = MedianSeconds(*t, variants, runs);
    const auto c = MedianSeconds(*t, variants, runs, /*cpu=*/true);
    const double n = double(t->events().size());
    fmt::print("{:<28}{:>10}{:>8}{:>14.3e}{:>14.3e}{:>10.2f}{:>16.2f}\n", t->summary().path,
               t->events().size(), t->summary().threads, n / s[0], n / s[1], s[1] / s[0],
               c[1] / c[0]);
  }
}

void EngineOverhead(const Traces& traces, int runs) {
  fmt::print("\n2. engine overhead: noop backend, CPU ns per event (goal: < 5)\n");
  fmt::print("{:<28}{:>14}{:>16}\n", "trace", "sim ns/ev", "parallel ns/ev");
  for (const auto& t : traces) {
    const auto s = MedianSeconds(*t,
                                 {{.allocator = "noop", .mode = "sim", .timeline_samples = 0},
                                  {.allocator = "noop", .timeline_samples = 0}},
                                 runs, /*cpu=*/true);
    const double n = double(t->events().size());
    fmt::print("{:<28}{:>14.2f}{:>16.2f}\n", t->summary().path, s[0] / n * 1e9, s[1] / n * 1e9);
  }
}

void Scaling(const PreparedTrace& local1, const PreparedTrace& local2, int runs, uint64_t seed) {
  fmt::print("\n3. scaling: thread-local workload on go, parallel mode (goal: >= 1.80x)\n");
  std::vector<double> s1, s2, c1, c2;
  for (int i = 0; i < runs; ++i) {
    const ReplayResult one = Replay(local1, {.allocator = "go", .timeline_samples = 0});
    const ReplayResult two = Replay(local2, {.allocator = "go", .timeline_samples = 0});
    s1.push_back(one.replay_seconds);
    s2.push_back(two.replay_seconds);
    c1.push_back(one.cpu_seconds);
    c2.push_back(two.cpu_seconds);
  }
  const double n1 = double(local1.events().size()), n2 = double(local2.events().size());
  fmt::print("1 thread {:.3e} ev/s, 2 threads {:.3e} ev/s: {:.2f}x (seed {})\n", n1 / Median(s1),
             n2 / Median(s2), (n2 / Median(s2)) / (n1 / Median(s1)), seed);
  // Wall-clock scaling needs two idle cores; CPU time per event shows whether the threads
  // slow each other down (contention, false sharing) independently of machine load.
  fmt::print("CPU ns/event: 1 thread {:.2f}, 2 threads {:.2f}\n", Median(c1) / n1 * 1e9,
             Median(c2) / n2 * 1e9);
}

void ReportingOverhead(const Traces& traces, int runs) {
  fmt::print(
      "\n4. reporting overhead: go, --timeline 1000 vs 0 (goal: < 10 %); parallel: wall time "
      "(includes the stop-the-world pauses), sim: CPU time (the snapshots' own cost)\n");
  fmt::print("{:<28}{:>12}{:>12}{:>10}{:>12}{:>12}{:>10}\n", "trace", "par t=0 s", "t=1000 s",
             "overhead", "sim t=0 s", "t=1000 s", "overhead");
  for (const auto& t : traces) {
    const auto p = MedianSeconds(
        *t,
        {{.allocator = "go", .timeline_samples = 0}, {.allocator = "go", .timeline_samples = 1000}},
        runs);
    const auto s = MedianSeconds(*t,
                                 {{.allocator = "go", .mode = "sim", .timeline_samples = 0},
                                  {.allocator = "go", .mode = "sim", .timeline_samples = 1000}},
                                 runs, /*cpu=*/true);
    fmt::print("{:<28}{:>12.4f}{:>12.4f}{:>9.1f}%{:>12.4f}{:>12.4f}{:>9.1f}%\n", t->summary().path,
               p[0], p[1], (p[1] / p[0] - 1) * 100, s[0], s[1], (s[1] / s[0] - 1) * 100);
  }
}

int Main(int argc, char** argv) {
  int runs = 5;
  uint64_t scaling_events = 2'000'000;
  std::string only = "1234";  // the sections to run
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--scaling-events") == 0 && i + 1 < argc) {
      scaling_events = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else {
      paths.emplace_back(argv[i]);
    }
  }
  auto section = [&](char n) { return only.find(n) != std::string::npos; };
  double load[3] = {};
  ::getloadavg(load, 3);
  fmt::print(
      "median of {} runs each; replay time only (decoding excluded); load average {:.1f} "
      "on {} CPUs (wall-clock figures suffer when it exceeds them)\n\n",
      runs, load[0], std::thread::hardware_concurrency());

  Traces traces;
  for (const auto& p : paths) traces.push_back(DecodeTrace(p, {}));
  const uint64_t seed = 1;
  auto local1 = PrepareEvents("thread-local-1", ThreadLocalTrace(1, scaling_events, 256, seed));
  auto local2 = PrepareEvents("thread-local-2", ThreadLocalTrace(2, scaling_events, 256, seed));

  if (section('1')) Throughput(traces, runs);
  if (section('2')) {
    Traces with_local = traces;
    with_local.push_back(local1);
    EngineOverhead(with_local, runs);
  }
  if (section('3')) Scaling(*local1, *local2, runs, seed);
  if (section('4')) ReportingOverhead(traces, runs);
  return 0;
}

}  // namespace
}  // namespace goalloc::replay

int main(int argc, char** argv) { return goalloc::replay::Main(argc, argv); }
