// The go-runtime backend (see go_runtime_backend.h).
#include "src/replay/go_runtime_backend.h"

#include <fmt/core.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "src/replay/above_baseline.h"
#include "src/replay/go_runtime_classes.h"
#include "src/replay/go_runtime_events.h"
#include "src/replay/sample_plan.h"
#include "src/trace/fd_io.h"

extern char** environ;

namespace goalloc::replay {
namespace {

constexpr const char* kProgramName = "goalloc-go-runtime";
constexpr int kChildEventsFd = 3;  // the event file, as the child sees it

// An owned memfd.
class MemFd {
 public:
  explicit MemFd(const char* name) : fd_(::memfd_create(name, MFD_CLOEXEC)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), name);
  }
  ~MemFd() { ::close(fd_); }
  MemFd(const MemFd&) = delete;
  MemFd& operator=(const MemFd&) = delete;
  int get() const { return fd_; }
  std::string ReadAll() const { return trace::ReadFromStart(fd_, "go-runtime answer"); }

 private:
  int fd_;
};

// What one child answered, and its peak resident set.
struct ChildAnswer {
  nlohmann::json json;
  uint64_t max_rss_bytes = 0;
};

std::vector<std::string> ChildEnvironment(const ReplayOptions& options, uint32_t gomaxprocs) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view v(*e);
    if (v.starts_with("GOGC=") || v.starts_with("GOMEMLIMIT=") || v.starts_with("GOMAXPROCS=") ||
        v.starts_with("GODEBUG=")) {
      continue;
    }
    env.emplace_back(v);
  }
  env.push_back("GOGC=" + (options.gogc ? std::to_string(*options.gogc) : std::string("off")));
  if (options.memory_limit) env.push_back(fmt::format("GOMEMLIMIT={}", *options.memory_limit));
  env.push_back(fmt::format("GOMAXPROCS={}", gomaxprocs));
  return env;
}

ChildAnswer RunChild(const std::string& program, int events_fd, Mode mode, bool seal,
                     const std::vector<std::string>& env) {
  MemFd out("goalloc-go-runtime-answer"), err("goalloc-go-runtime-stderr");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, events_fd, kChildEventsFd);
  posix_spawn_file_actions_adddup2(&actions, out.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.get(), STDERR_FILENO);
  std::vector<std::string> args = {program, "-events",
                                   fmt::format("/proc/self/fd/{}", kChildEventsFd), "-mode",
                                   std::string(mode.name())};
  if (seal) args.push_back("-seal");
  std::vector<char*> argv, envp;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_copy = env;
  for (std::string& e : env_copy) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int spawn_error =
      ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw ReplayFailed(fmt::format("cannot start {}: {}", program, std::strerror(spawn_error)));
  }
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFSIGNALED(status)
                                ? fmt::format("was killed by signal {}", WTERMSIG(status))
                                : fmt::format("exited with status {}", WEXITSTATUS(status));
    std::string message = err.ReadAll();
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw ReplayFailed(
        fmt::format("{} {}{}{}", program, how, message.empty() ? "" : ": ", message));
  }
  try {
    return {nlohmann::json::parse(out.ReadAll()), uint64_t(usage.ru_maxrss) * 1024};
  } catch (const nlohmann::json::exception& e) {
    throw ReplayFailed(fmt::format("{} answered with malformed JSON: {}", program, e.what()));
  }
}

RuntimeSample SampleNet(const nlohmann::json& s, const nlohmann::json& base) {
  auto net = [&](const char* key) {
    return AboveBaseline(s.at(key).get<uint64_t>(), base.at(key).get<uint64_t>());
  };
  return {net("heap_inuse"), net("heap_objects")};
}

uint64_t FootprintOf(const nlohmann::json& sample) { return sample.at("heap_footprint"); }

RuntimeSnapshot SnapshotNet(const nlohmann::json& s, const nlohmann::json& base) {
  auto net = [&](const char* key) {
    return AboveBaseline(s.at(key).get<uint64_t>(), base.at(key).get<uint64_t>());
  };
  RuntimeSnapshot r;
  r.heap_inuse = net("heap_inuse");
  r.heap_alloc = net("heap_alloc");
  r.heap_sys = net("heap_sys");
  r.heap_released = net("heap_released");
  r.heap_objects = net("heap_objects");
  r.mallocs = net("mallocs");
  r.frees = net("frees");
  r.num_gc = uint32_t(net("num_gc"));
  r.next_gc = s.at("next_gc");
  const nlohmann::json& classes = s.at("classes");
  const nlohmann::json& base_classes = base.at("classes");
  for (size_t i = 0; i < classes.size(); ++i) {
    const RuntimeClassObjects c = {
        classes[i].at("object_size"),
        AboveBaseline(classes[i].at("mallocs"), base_classes.at(i).at("mallocs")),
        AboveBaseline(classes[i].at("frees"), base_classes.at(i).at("frees"))};
    if (c.mallocs != 0 || c.frees != 0) r.classes.push_back(c);
  }
  return r;
}

// HeapSys − HeapReleased, net of the baseline's.
uint64_t SnapshotFootprint(const nlohmann::json& s, const nlohmann::json& base) {
  return AboveBaseline(
      s.at("heap_sys").get<uint64_t>() - s.at("heap_released").get<uint64_t>(),
      base.at("heap_sys").get<uint64_t>() - base.at("heap_released").get<uint64_t>());
}

// One child's answer as a ReplayResult.
ReplayResult ResultOf(const PreparedTrace& trace, const ReplayOptions& options,
                      std::span<const SamplePoint> points, const ChildAnswer& answer) {
  const nlohmann::json& j = answer.json;
  const nlohmann::json& base = j.at("baseline");
  const nlohmann::json& base_sample = j.at("baseline_sample");
  ReplayResult r;
  r.allocator = options.allocator.name();
  r.mode = options.mode.name();
  r.threads = j.at("gomaxprocs");
  r.decode_seconds = trace.decode_seconds();
  r.replay_seconds = j.at("replay_seconds");
  r.cpu_seconds = j.at("cpu_seconds");
  r.events_replayed = trace.events().size();
  r.events_per_second = r.replay_seconds > 0 ? double(r.events_replayed) / r.replay_seconds : 0;
  r.baseline_rss_bytes = j.at("baseline_rss");
  r.final_rss_bytes = AboveBaseline(j.at("end_rss"), r.baseline_rss_bytes);
  r.peak_rss_bytes =
      std::max(AboveBaseline(answer.max_rss_bytes, r.baseline_rss_bytes), r.final_rss_bytes);

  GcFigures gc;
  gc.gogc = options.gogc;
  gc.memory_limit_bytes = options.memory_limit;
  gc.baseline_heap_inuse = base.at("heap_inuse");
  gc.baseline_heap_alloc = base.at("heap_alloc");
  gc.sealed = options.seal;
  gc.sealed_objects = j.at("sealed_objects");
  gc.zero_size_objects = j.at("zero_size_objects");
  gc.aligned_allocs = j.at("aligned_allocs");
  const uint64_t base_cycles = base_sample.at("cycles");
  uint64_t cycles_seen = base_cycles;
  auto observe_peak = [&](uint64_t inuse, uint64_t alloc, uint64_t event) {
    if (inuse > gc.peak_heap_inuse) {
      gc.peak_heap_inuse = inuse;
      gc.peak_heap_inuse_event = event;
    }
    gc.peak_heap_alloc = std::max(gc.peak_heap_alloc, alloc);
  };

  // The child measured once per record with any flag, in record order.
  const nlohmann::json& samples = j.at("samples");
  size_t k = 0;
  for (size_t p = 0; p < points.size(); ++k) {
    const uint64_t index = points[p].index;
    bool timeline = false, peak = false;
    for (; p < points.size() && points[p].index == index; ++p) {
      timeline |= points[p].timeline || points[p].end;
      peak |= points[p].peak_live;
    }
    const nlohmann::json& s = samples.at(k);
    const uint64_t event = trace.OriginalIndex(index);
    Sample sample;
    sample.event = event;
    sample.t = trace.TimeOf(index);
    sample.live = points[p - 1].live;
    sample.footprint = AboveBaseline(FootprintOf(s), FootprintOf(base_sample));
    sample.runtime = SampleNet(s, base_sample);
    observe_peak(sample.runtime->heap_inuse, sample.runtime->heap_objects, event);
    if (r.peak_footprint < sample.footprint || r.timeline.empty()) {
      r.peak_footprint = sample.footprint;
      r.peak_footprint_event = event;
      r.live_at_peak_footprint = sample.live;
    }
    for (const uint64_t cycles = s.at("cycles"); cycles_seen < cycles; ++cycles_seen) {
      gc.cycle_log.push_back({cycles_seen + 1 - base_cycles, event, s.at("heap_goal")});
    }
    if (peak && !j.at("peak_live").is_null()) {
      r.at_peak_live = {event,
                        true,
                        points[p - 1].live,
                        SnapshotFootprint(j.at("peak_live"), base),
                        {},
                        {},
                        SnapshotNet(j.at("peak_live"), base)};
      observe_peak(r.at_peak_live.runtime->heap_inuse, r.at_peak_live.runtime->heap_alloc, event);
    }
    if (timeline) r.timeline.push_back(std::move(sample));
  }
  const nlohmann::json& end = j.at("end");
  const uint64_t last = trace.events().empty() ? 0 : trace.OriginalIndex(trace.events().size() - 1);
  r.at_end = {last,
              true,
              trace.summary().final_live_bytes,
              SnapshotFootprint(end, base),
              {},
              {},
              SnapshotNet(end, base)};
  if (points.empty()) r.at_peak_live = r.at_end;
  // Cycles that completed after the last sample (marking runs beside the replay).
  for (const uint64_t cycles = end.at("num_gc"); cycles_seen < cycles; ++cycles_seen) {
    gc.cycle_log.push_back({cycles_seen + 1 - base_cycles, last, end.at("next_gc")});
  }
  observe_peak(r.at_end.runtime->heap_inuse, r.at_end.runtime->heap_alloc, last);
  gc.cycles = r.at_end.runtime->num_gc;
  const nlohmann::json& final_gc = j.at("after_final_gc");
  gc.heap_alloc_after_final_gc = AboveBaseline(final_gc.at("heap_alloc"), base.at("heap_alloc"));
  gc.heap_inuse_after_final_gc = AboveBaseline(final_gc.at("heap_inuse"), base.at("heap_inuse"));
  gc.predicted_heap_alloc_after_final_gc =
      PredictedLiveHeapAlloc(trace, j.at("live_tiny_blocks").get<uint64_t>());
  gc.final_gc_checked = r.mode == "sim";
  gc.peak_heap_inuse_range = {gc.peak_heap_inuse, gc.peak_heap_inuse, gc.peak_heap_inuse};
  gc.cycles_range = {gc.cycles, gc.cycles, gc.cycles};
  r.gc = std::move(gc);
  return r;
}

GcRange RangeOf(std::vector<uint64_t> values) {
  std::sort(values.begin(), values.end());
  return {values.front(), values[(values.size() - 1) / 2], values.back()};
}

bool Executable(const std::filesystem::path& p) { return ::access(p.c_str(), X_OK) == 0; }

}  // namespace

std::string GoRuntimeProgram() {
  if (const char* env = std::getenv("GOALLOC_GO_RUNTIME"); env != nullptr && *env != '\0') {
    if (Executable(env)) return env;
    throw std::invalid_argument(fmt::format(
        "the go-runtime backend's program {} (from $GOALLOC_GO_RUNTIME) is missing or not "
        "executable",
        env));
  }
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  // bazel-bin/src/cli/goalloc-replay → bazel-bin/src/goruntime/; or the binary's runfiles.
  const std::vector<std::filesystem::path> candidates = {
      self.parent_path().parent_path() / "goruntime" / kProgramName,
      std::filesystem::path(self.string() + ".runfiles") / "goalloc_replay" / "src" / "goruntime" /
          kProgramName};
  for (const std::filesystem::path& p : candidates) {
    if (Executable(p)) return p.string();
  }
  throw std::invalid_argument(
      fmt::format("the go-runtime backend's program is missing (looked for {}): build "
                  "//src/goruntime:{}, which needs Go 1.19 (Debian's golang-1.19-go; scripts/setup "
                  "installs it), or set $GOALLOC_GO_RUNTIME",
                  candidates.front().string(), kProgramName));
}

ReplayResult ReplayInGoRuntime(const PreparedTrace& trace, const ReplayOptions& options) {
  if (options.verify) {
    throw std::invalid_argument("--verify checks the model's heap; go-runtime has none to check");
  }
  if (options.repeat == 0) throw std::invalid_argument("--repeat must be at least 1");
  const std::string program = GoRuntimeProgram();
  const uint32_t threads = !options.mode.parallel() ? 1
                           : options.threads != 0   ? options.threads
                                                  : std::max<uint32_t>(1, trace.summary().threads);
  const HugeVector<SamplePoint> points = PlanSamples(trace, options.timeline_samples);
  MemFd events("goalloc-go-runtime-events");
  WriteGoRuntimeEvents(events.get(), trace, threads, points);
  const std::vector<std::string> env = ChildEnvironment(options, threads);

  std::vector<ReplayResult> runs;
  for (uint32_t i = 0; i < options.repeat; ++i) {
    runs.push_back(ResultOf(trace, options, points,
                            RunChild(program, events.get(), options.mode, options.seal, env)));
  }
  std::vector<uint64_t> peaks, cycles;
  for (const ReplayResult& r : runs) {
    peaks.push_back(r.gc->peak_heap_inuse);
    cycles.push_back(r.gc->cycles);
  }
  const GcRange peak_range = RangeOf(peaks);
  const auto median = std::find_if(runs.begin(), runs.end(), [&](const ReplayResult& r) {
    return r.gc->peak_heap_inuse == peak_range.median;
  });
  ReplayResult result = std::move(*median);
  result.gc->runs = options.repeat;
  result.gc->peak_heap_inuse_range = peak_range;
  result.gc->cycles_range = RangeOf(cycles);
  return result;
}

}  // namespace goalloc::replay
