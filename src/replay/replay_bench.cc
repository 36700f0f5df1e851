// The replay's performance figures, each a ratio measured in this one run (medians of
// --runs runs, all replays of a section interleaved so machine noise hits all alike, each
// replay in a fresh forked process so no allocator starts warm from an earlier run):
//   1. throughput: events/s of go vs glibc in parallel mode on each trace given, real Go's
//      (the go-runtime backend) beside them, and go vs tcmalloc in ns/event, parallel and sim
//      (issue 21's goal: at most 0.8x and 1.0x);
//   2. engine overhead: the noop backend (bump pointer, no free) in ns/event, sim mode (one
//      thread: the engine's own per-event cost) and parallel mode, next to glibc's sim
//      ns/event from the same runs (the floor as a share of a real allocator's time);
//   3. scaling: a thread-local workload on go, 2 threads vs 1 (events/s, and CPU ns/event),
//      next to the host's own: 2 processes of a CPU-bound loop vs 1;
//   4. reporting overhead: go replay time with --timeline 1000 vs 0 (parallel: wall time,
//      the stop-the-world pauses included; sim: CPU time, the snapshots alone);
//   5. GC mode: go with GOGC=100 (docs/allocator.md) vs the explicit-free replay and vs real
//      Go (go-runtime, GOGC=100), all in sim mode, one P.
// Usage: replay_bench [--runs N] [--scaling-events N] [--only 1,2,3,4,5] TRACE...
// scripts/bench-replay runs it on traces/.
#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "src/replay/allocators.h"
#include "src/replay/in_process_replay.h"
#include "src/replay/prepared_trace.h"
#include "src/replay/process_stats.h"
#include "src/replay/replay.h"
#include "src/replay/replay_child.h"
#include "src/replay/synthetic_traces.h"

namespace goalloc::replay {
namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Seconds {
  double wall = 0, cpu = 0;
};

// One replay in a forked child, so that every run starts from the same state: an allocator
// in this process would otherwise start warm from the memory an earlier run left it. (glibc
// here still shares its heap with what decoding left in this process, unlike in `replay`
// and `compare`; the decoded traces themselves are mapped, out of it.) The preloaded
// allocators and go-runtime run where `replay` runs them (Replay; the preloaded ones in a
// child of this binary): in this process their columns would be glibc's, the only malloc
// here.
Seconds ReplayInFreshProcess(const PreparedTrace& trace, const ReplayOptions& options) {
  const bool here =
      options.allocator.where() == Where::kInProcess ||
      (options.allocator.where() == Where::kChild && options.allocator.library().empty());
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    Seconds s;
    try {
      const ReplayResult r = here ? ReplayInProcess(trace, options) : Replay(trace, options);
      s = {r.replay_seconds, r.cpu_seconds};
    } catch (const std::exception& e) {
      fmt::print(stderr, "replay failed: {}\n", e.what());
      ::_exit(1);
    }
    const bool ok = ::write(fds[1], &s, sizeof s) == ssize_t(sizeof s);
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  Seconds s;
  const bool got = ::read(fds[0], &s, sizeof s) == ssize_t(sizeof s);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("a replay in a child process failed");
  }
  return s;
}

using Traces = std::vector<std::shared_ptr<const PreparedTrace>>;

// Takes n measurements `runs` times, measure(0..n-1) in turn each time, so that machine noise
// hits all alike: on a shared host it comes in spells of seconds that make everything run up
// to 1.5x slower, and a median taken within one spell reports the spell. Returns each
// measurement's median wall-clock and CPU seconds.
template <class F>
std::vector<Seconds> Medians(size_t n, int runs, F&& measure) {
  std::vector<std::vector<double>> wall(n), cpu(n);  // [measurement][run]
  for (int i = 0; i < runs; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const Seconds s = measure(j);
      wall[j].push_back(s.wall);
      cpu[j].push_back(s.cpu);
    }
  }
  std::vector<Seconds> out;
  for (size_t j = 0; j < n; ++j) out.push_back({Median(wall[j]), Median(cpu[j])});
  return out;
}

// The medians of every variant on every trace, [trace][variant].
std::vector<std::vector<Seconds>> MedianSeconds(const Traces& traces,
                                                const std::vector<ReplayOptions>& variants,
                                                int runs) {
  const size_t n = variants.size();
  const std::vector<Seconds> medians = Medians(traces.size() * n, runs, [&](size_t j) {
    return ReplayInFreshProcess(*traces[j / n], variants[j % n]);
  });
  std::vector<std::vector<Seconds>> out(traces.size());
  for (size_t j = 0; j < medians.size(); ++j) out[j / n].push_back(medians[j]);
  return out;
}

// Below this many events a replay takes well under a millisecond: its time is thread start
// and first-touch page faults, not the allocator, so its ratios are shown but not judged.
constexpr uint64_t kTimedEvents = 10'000;

const char* ShortMark(const PreparedTrace& t) {
  return t.events().size() < kTimedEvents ? "  (short)" : "";
}

void Throughput(const Traces& traces, int runs) {
  fmt::print(
      "1. throughput (goal: go/glibc >= 1.0 parallel; go/tcmalloc <= 0.8 parallel, <= 1.0 "
      "sim, by wall time per event)\n");
  fmt::print("{:<28}{:>10}{:>8}{:>12}{:>12}{:>10}{:>13}{:>12}{:>10}{:>12}{:>9}{:>9}{:>16}\n",
             "trace", "events", "threads", "go ev/s", "glibc ev/s", "go/glibc", "by CPU time",
             "go ns/ev", "tc ns/ev", "go/tc", "sim go", "sim tc", "sim go/tc");
  int judged = 0, met = 0, met_parallel = 0, met_sim = 0;
  // go-runtime: real Go 1.19 (default GOGC=100) in its own child, beside the others.
  const auto medians = MedianSeconds(traces,
                                     {{.allocator = "go"},
                                      {.allocator = "glibc"},
                                      {.allocator = "go-runtime"},
                                      {.allocator = "tcmalloc"},
                                      {.allocator = "go", .mode = "sim"},
                                      {.allocator = "tcmalloc", .mode = "sim"}},
                                     runs);
  for (size_t i = 0; i < traces.size(); ++i) {
    const PreparedTrace* t = traces[i].get();
    const std::vector<Seconds>& s = medians[i];
    const double n = double(t->events().size());
    const double ratio = s[1].wall / s[0].wall;
    const double vs_tc = s[0].wall / s[3].wall, sim_vs_tc = s[4].wall / s[5].wall;
    fmt::print(
        "{:<28}{:>10}{:>8}{:>12.3e}{:>12.3e}{:>10.2f}{:>13.2f}{:>12.1f}{:>10.1f}{:>12.2f}"
        "{:>9.1f}{:>9.1f}{:>16.2f}{}\n",
        t->summary().path, t->events().size(), t->summary().threads, n / s[0].wall, n / s[1].wall,
        ratio, s[1].cpu / s[0].cpu, s[0].wall / n * 1e9, s[3].wall / n * 1e9, vs_tc,
        s[4].wall / n * 1e9, s[5].wall / n * 1e9, sim_vs_tc, ShortMark(*t));
    if (t->events().size() >= kTimedEvents) {
      ++judged;
      met += ratio >= 1.0;
      met_parallel += vs_tc <= 0.8;
      met_sim += sim_vs_tc <= 1.0;
    }
  }
  fmt::print("go-runtime ev/s (real Go, parallel):");
  for (size_t i = 0; i < traces.size(); ++i) {
    fmt::print(" {:.3e}", double(traces[i]->events().size()) / medians[i][2].wall);
  }
  fmt::print("\ngo/glibc >= 1.0 on {} of {} traces of at least {} events", met, judged,
             kTimedEvents);
  fmt::print(" (short: too few events to time, thread start and page faults dominate)\n");
  fmt::print("go/tcmalloc <= 0.8 parallel on {}, <= 1.0 sim on {}, of {} traces\n", met_parallel,
             met_sim, judged);
}

void EngineOverhead(const Traces& traces, int runs) {
  fmt::print(
      "\n2. engine overhead: noop backend, CPU ns per event (goal: < 5); glibc in sim mode, "
      "same runs, for scale\n");
  fmt::print("{:<28}{:>14}{:>16}{:>16}{:>14}\n", "trace", "sim ns/ev", "parallel ns/ev",
             "glibc sim ns/ev", "sim / glibc");
  const auto medians = MedianSeconds(traces,
                                     {{.allocator = "noop", .mode = "sim", .timeline_samples = 0},
                                      {.allocator = "noop", .timeline_samples = 0},
                                      {.allocator = "glibc", .mode = "sim", .timeline_samples = 0}},
                                     runs);
  for (size_t i = 0; i < traces.size(); ++i) {
    const std::vector<Seconds>& s = medians[i];
    const double ns = 1e9 / double(traces[i]->events().size());
    fmt::print("{:<28}{:>14.2f}{:>16.2f}{:>16.2f}{:>14.2f}{}\n", traces[i]->summary().path,
               s[0].cpu * ns, s[1].cpu * ns, s[2].cpu * ns, s[0].cpu / s[2].cpu,
               ShortMark(*traces[i]));
  }
}

// The wall-clock seconds `copies` processes take to run the same CPU-bound loop (tens of
// milliseconds alone, in registers and L1, nothing shared) at once. The host's own scaling: on a
// shared host two vCPUs are at times backed by less than two cores, and then no 2-thread replay can
// scale by 2 (seen here: two such processes each 1.4-2.1x slower than one alone).
double SpinSeconds(int copies) {
  const double t0 = WallSeconds();
  for (int c = 0; c < copies; ++c) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      std::vector<uint64_t> buf(4096);
      uint64_t a = 1, b = 2;
      for (uint64_t i = 0; i < 40'000'000; ++i) {
        const uint64_t k = i & 4095;
        a += buf[k] ^ i;
        b ^= a + (i >> 3);
        buf[(k * 7) & 4095] = a + b;
      }
      volatile uint64_t sink = a + b;  // the loop's result is used, so the loop stays
      (void)sink;
      ::_exit(0);
    }
  }
  for (int c = 0; c < copies; ++c) ::wait(nullptr);
  return WallSeconds() - t0;
}

void Scaling(const Traces& local, int runs, uint64_t seed) {
  fmt::print("\n3. scaling: thread-local workload on go, parallel mode (goal: >= 1.80x)\n");
  const ReplayOptions options{.allocator = "go", .timeline_samples = 0};
  // The replays on 1 and 2 threads, and the host's own scaling (SpinSeconds) in the same
  // rounds.
  const std::vector<Seconds> m = Medians(4, runs, [&](size_t j) -> Seconds {
    if (j < 2) return ReplayInFreshProcess(*local[j], options);
    return {.wall = SpinSeconds(int(j) - 1)};
  });
  const double n1 = double(local[0]->events().size()), n2 = double(local[1]->events().size());
  const double scaling = (n2 / m[1].wall) / (n1 / m[0].wall), host = 2 * m[2].wall / m[3].wall;
  fmt::print("1 thread {:.3e} ev/s, 2 threads {:.3e} ev/s: {:.2f}x (seed {})\n", n1 / m[0].wall,
             n2 / m[1].wall, scaling, seed);
  // Wall-clock scaling needs two idle cores; CPU time per event shows whether the threads
  // slow each other down (contention, false sharing) independently of machine load.
  fmt::print("CPU ns/event: 1 thread {:.2f}, 2 threads {:.2f}\n", m[0].cpu / n1 * 1e9,
             m[1].cpu / n2 * 1e9);
  fmt::print(
      "the host, same rounds: 2 processes of a CPU-bound loop ran at {:.2f}x the rate of 1 "
      "(2.00x on two dedicated cores); the replay's scaling is {:.2f} of that\n",
      host, scaling / host);
}

void ReportingOverhead(const Traces& traces, int runs) {
  fmt::print(
      "\n4. reporting overhead: go, --timeline 1000 vs 0 (goal: < 10 %); parallel: wall time "
      "(includes the stop-the-world pauses), sim: CPU time (the snapshots' own cost)\n");
  fmt::print("{:<28}{:>12}{:>12}{:>10}{:>12}{:>12}{:>10}\n", "trace", "par t=0 s", "t=1000 s",
             "overhead", "sim t=0 s", "t=1000 s", "overhead");
  const auto medians = MedianSeconds(traces,
                                     {{.allocator = "go", .timeline_samples = 0},
                                      {.allocator = "go", .timeline_samples = 1000},
                                      {.allocator = "go", .mode = "sim", .timeline_samples = 0},
                                      {.allocator = "go", .mode = "sim", .timeline_samples = 1000}},
                                     runs);
  for (size_t i = 0; i < traces.size(); ++i) {
    const std::vector<Seconds>& m = medians[i];
    fmt::print("{:<28}{:>12.4f}{:>12.4f}{:>9.1f}%{:>12.4f}{:>12.4f}{:>9.1f}%\n",
               traces[i]->summary().path, m[0].wall, m[1].wall, (m[1].wall / m[0].wall - 1) * 100,
               m[2].cpu, m[3].cpu, (m[3].cpu / m[2].cpu - 1) * 100);
  }
}

void GcMode(const Traces& traces, int runs) {
  fmt::print(
      "\n5. GC mode: go --gogc 100 vs explicit free and vs real Go (go-runtime, GOGC=100); sim "
      "mode, one P, wall time (goal: gc / explicit <= 1.5, gc / go-runtime < 1)\n");
  fmt::print("{:<28}{:>14}{:>12}{:>16}{:>12}{:>14}\n", "trace", "explicit s", "gc s",
             "go-runtime s", "gc/expl.", "gc/runtime");
  ReplayOptions explicit_free{
      .allocator = "go", .mode = "sim", .threads = 1, .timeline_samples = 0};
  ReplayOptions gc = explicit_free;
  gc.heap.gc.enabled = true;
  ReplayOptions runtime = explicit_free;
  runtime.allocator = "go-runtime";
  const auto medians = MedianSeconds(traces, {explicit_free, gc, runtime}, runs);
  int judged = 0, met_explicit = 0, met_runtime = 0;
  for (size_t i = 0; i < traces.size(); ++i) {
    const std::vector<Seconds>& m = medians[i];
    const double vs_explicit = m[1].wall / m[0].wall, vs_runtime = m[1].wall / m[2].wall;
    fmt::print("{:<28}{:>14.4f}{:>12.4f}{:>16.4f}{:>12.2f}{:>14.2f}{}\n", traces[i]->summary().path,
               m[0].wall, m[1].wall, m[2].wall, vs_explicit, vs_runtime, ShortMark(*traces[i]));
    if (traces[i]->events().size() >= kTimedEvents) {
      ++judged;
      met_explicit += vs_explicit <= 1.5;
      met_runtime += vs_runtime < 1;
    }
  }
  fmt::print(
      "gc/explicit <= 1.5 on {} and gc/go-runtime < 1 on {} of {} traces of at least {} "
      "events\n",
      met_explicit, met_runtime, judged, kTimedEvents);
}

int Main(int argc, char** argv) {
  // The preloaded allocators' replays run in a child of this binary (replay_child.h).
  if (argc == 6 && std::strcmp(argv[1], "replay-child") == 0) {
    return RunReplayChild(std::atoi(argv[3]), std::atoi(argv[5]));
  }
  int runs = 5;
  // Events per thread of the scaling workload: 8 M make a replay of ~0.2 s, long enough that
  // the heap's first faults and thread start-up (which do not scale) stop mattering; at 2 M
  // (50 ms) they cost about 0.1 of the ratio.
  uint64_t scaling_events = 8'000'000;
  std::string only = "12345";  // the sections to run
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
      "median of {} runs each, every run in a fresh forked process; replay time only (decoding "
      "excluded); load average {:.1f} "
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
  if (section('3')) Scaling({local1, local2}, runs, seed);
  if (section('4')) ReportingOverhead(traces, runs);
  if (section('5')) GcMode(traces, runs);
  return 0;
}

}  // namespace
}  // namespace goalloc::replay

int main(int argc, char** argv) { return goalloc::replay::Main(argc, argv); }
