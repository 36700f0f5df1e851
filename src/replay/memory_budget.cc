// The pre-flight memory check (see memory_budget.h).
#include "src/replay/memory_budget.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "src/alloc/size_class_table.h"
#include "src/replay/allocators.h"
#include "src/replay/prepared_trace.h"

namespace goalloc::replay {
namespace {

constexpr uint64_t kGoPage = 8192, kOsPage = 4096, kMmapThreshold = 128 << 10;
// v1 reports "no limit" as the largest page-aligned signed 64-bit value.
constexpr uint64_t kNoCgroupLimit = uint64_t{1} << 62;

uint64_t RoundUp(uint64_t n, uint64_t to) { return (n + to - 1) / to * to; }

// The bytes the allocator holds for a request of `size` bytes.
uint64_t GoRounded(const alloc::SizeClassTable& classes, uint64_t size) {
  if (size <= alloc::kMaxSmallAlloc) return classes.class_size(classes.SizeToClass(size));
  return RoundUp(size, kGoPage);
}
uint64_t SystemRounded(uint64_t size) {
  return size < kMmapThreshold ? RoundUp(size + 8, 16) : RoundUp(size, kOsPage) + kOsPage;
}

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "1118320 bytes (1.1 MiB)".
std::string Bytes(uint64_t n) {
  const char* unit = "KiB";
  double v = double(n) / 1024;
  for (const char* bigger : {"MiB", "GiB", "TiB"}) {
    if (v < 1024) break;
    v /= 1024;
    unit = bigger;
  }
  return fmt::format("{} bytes ({:.1f} {})", n, v, unit);
}

// The tightest cgroup limit over `dir` and its ancestors up to `root`, with the file that
// sets it.
void LowerByCgroup(const std::string& root, std::string path, const char* limit_file,
                   const char* usage_file, MemoryAvailable& a) {
  for (;;) {
    const std::string dir = root + (path == "/" ? "" : path);
    const auto limit = ReadText(dir + "/" + limit_file);
    const auto usage = ReadText(dir + "/" + usage_file);
    if (limit && usage) {
      if (const auto room = CgroupRoom(*limit, *usage); room && *room < a.bytes) {
        a.bytes = *room;
        a.source = fmt::format("the cgroup limit {}/{}", dir, limit_file);
      }
    }
    if (path.empty() || path == "/") return;
    const size_t slash = path.rfind('/');
    path = slash == 0 ? "/" : path.substr(0, slash);
  }
}

}  // namespace

MemoryNeed ReplayMemoryNeed(const PreparedTrace& trace, const Allocator& allocator,
                            const alloc::GcConfig* gc) {
  const bool go = allocator.name() == "go";
  const bool in_process = allocator.where() == Where::kInProcess;
  const alloc::SizeClassTable& go_classes = alloc::SizeClassTable::Go();
  const auto rounded = [&](uint64_t size) {
    return go ? GoRounded(go_classes, size) : SystemRounded(size);
  };
  const auto events = trace.events();
  const uint64_t* begin_size = trace.begin_sizes().data();
  const uint64_t* end_size = trace.end_sizes().data();
  // Sums of up to 2^32 objects of up to 2^47 bytes: 128 bits cannot overflow.
  unsigned __int128 live = 0, peak = 0, total = 0;
  uint64_t peak_index = 0;
  for (uint64_t i = 0; i < events.size(); ++i) {
    const trace::Op op = events[i].op;
    const uint64_t ended = EndsObject(op) ? rounded(*end_size++) : 0;
    const uint64_t begun = BeginsObject(op) ? rounded(*begin_size++) : 0;
    if (live + begun > peak) {  // a realloc's old object is still there while it copies
      peak = live + begun;
      peak_index = i;
    }
    live = live + begun - ended;
    total += begun;
  }
  if (go && gc != nullptr && gc->enabled) {  // freed objects stay until a sweep
    unsigned __int128 held = total;
    if (gc->gogc) {
      const unsigned __int128 growth = 100 + *gc->gogc;  // percent
      held = peak * growth * growth / 10000 + (unsigned __int128)(4 << 20) * growth / 100;
    }
    if (gc->memory_limit && *gc->memory_limit > peak) {
      held = std::min<unsigned __int128>(held, *gc->memory_limit);
    }
    peak = std::min(std::max(held, peak), total);
  }
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  MemoryNeed need;
  need.objects = uint64_t(std::min<unsigned __int128>(peak, kMax));
  need.peak_event = events.empty() ? 0 : trace.OriginalIndex(peak_index);
  uint64_t own = in_process ? (go ? kGoMinimum : kInProcessMinimum) : kChildMinimum;
  own += trace.slots() * sizeof(void*);  // the pointer table
  if (!in_process) {                     // the child's copy of the decoded trace
    own += events.size_bytes() + trace.tids().size_bytes() + trace.begin_sizes().size_bytes() +
           trace.end_sizes().size_bytes() + trace.realloc_slots().size_bytes();
  }
  need.bytes = need.objects > kMax - own ? kMax : need.objects + own;
  return need;
}

std::optional<uint64_t> ParseMemAvailable(const std::string& meminfo) {
  std::istringstream in(meminfo);
  for (std::string line; std::getline(in, line);) {
    unsigned long long kib = 0;
    if (std::sscanf(line.c_str(), "MemAvailable: %llu kB", &kib) == 1) return kib * 1024;
  }
  return std::nullopt;
}

std::optional<uint64_t> CgroupRoom(const std::string& limit, const std::string& usage) {
  unsigned long long max = 0, used = 0;
  if (std::sscanf(limit.c_str(), "%llu", &max) != 1 || max >= kNoCgroupLimit) return std::nullopt;
  if (std::sscanf(usage.c_str(), "%llu", &used) != 1) return std::nullopt;
  return max > used ? max - used : 0;
}

std::optional<MemoryAvailable> ReadAvailableMemory() {
  const auto meminfo = ReadText("/proc/meminfo");
  if (!meminfo) return std::nullopt;
  const auto available = ParseMemAvailable(*meminfo);
  if (!available) return std::nullopt;
  MemoryAvailable a{*available, "MemAvailable in /proc/meminfo"};
  std::istringstream cgroups(ReadText("/proc/self/cgroup").value_or(""));
  for (std::string line; std::getline(cgroups, line);) {
    // "0::/path" (v2) or "N:controller,...:/path" (v1).
    const size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      LowerByCgroup("/sys/fs/cgroup", path, "memory.max", "memory.current", a);
    } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
      LowerByCgroup("/sys/fs/cgroup/memory", path, "memory.limit_in_bytes", "memory.usage_in_bytes",
                    a);
    }
  }
  return a;
}

std::string CheckMemoryBudget(const PreparedTrace& trace, const Allocator& allocator,
                              std::optional<uint64_t> max_memory, const alloc::GcConfig* gc) {
  if (max_memory == 0) return "";
  const MemoryNeed need = ReplayMemoryNeed(trace, allocator, gc);
  uint64_t bound;
  std::string source;
  if (max_memory) {
    bound = *max_memory;
    source = "--max-memory";
  } else {
    const auto available = ReadAvailableMemory();
    if (!available) return "";  // not Linux as we know it: nothing to compare with
    bound = available->bytes;
    source = available->source;
  }
  if (need.bytes <= bound) return "";
  const std::string what =
      gc != nullptr && gc->enabled
          ? fmt::format(
                "in GC mode freed objects stay until swept: about {} of objects and "
                "garbage; the live objects peak at event {}",
                Bytes(need.objects), need.peak_event)
          : fmt::format("its live objects peak at event {} with {}", need.peak_event,
                        Bytes(need.objects));
  return fmt::format(
      "{}: a replay on {} needs about {} of memory ({}), more than the {} allowed by {}; pass "
      "--max-memory BYTES to allow more, or --max-memory 0 to skip this check (dangerous: the "
      "machine may run out of memory)",
      trace.summary().path, allocator.name(), Bytes(need.bytes), what, Bytes(bound), source);
}

}  // namespace goalloc::replay
