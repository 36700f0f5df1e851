// Reading a system allocator's own figures (see allocator_stats.h).
#include "src/replay/allocator_stats.h"

#include <dlfcn.h>
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace goalloc::replay {
namespace {

template <class F>
F Lookup(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_DEFAULT, name));
}

// malloc is glibc's own: the symbol resolves into libc.so (not a sanitizer's or a preload's).
bool MallocIsLibc() {
  Dl_info info{};
  void* sym = ::dlsym(RTLD_DEFAULT, "malloc");
  return sym != nullptr && ::dladdr(sym, &info) != 0 && info.dli_fname != nullptr &&
         std::strstr(info.dli_fname, "/libc.so") != nullptr;
}

}  // namespace

AllocatorStatsReader::AllocatorStatsReader(const std::string& allocator) {
  if (allocator == "glibc") {
    glibc_ = MallocIsLibc();
    if (glibc_) source_ = "mallinfo2";
  } else if (allocator == "jemalloc") {
    mallctl_ = Lookup<Mallctl>("mallctl");
    if (mallctl_ != nullptr) source_ = "jemalloc mallctl";
  } else if (allocator == "tcmalloc") {
    numeric_property_ = Lookup<NumericProperty>("MallocExtension_GetNumericProperty");
    if (numeric_property_ != nullptr) source_ = "tcmalloc MallocExtension";
  } else if (allocator == "mimalloc") {
    process_info_ = Lookup<ProcessInfo>("mi_process_info");
    if (process_info_ != nullptr) source_ = "mimalloc mi_process_info";
  }
}

std::optional<AllocatorStats> AllocatorStatsReader::Read() const {
  if (glibc_) return ReadMallinfo();
  if (mallctl_ != nullptr) return ReadJemalloc();
  if (numeric_property_ != nullptr) return ReadTcmalloc();
  if (process_info_ != nullptr) return ReadMimalloc();
  return std::nullopt;
}

void AllocatorStatsReader::PrepareBaseline() const {
  if (mallctl_ != nullptr) mallctl_("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
}

AllocatorStats AllocatorStatsReader::ReadMallinfo() const {
  const struct mallinfo2 mi = ::mallinfo2();
  return {.mapped = mi.arena + mi.hblkhd, .resident = {}, .allocated = mi.uordblks + mi.hblkhd};
}

AllocatorStats AllocatorStatsReader::ReadJemalloc() const {
  // jemalloc caches its statistics; writing "epoch" refreshes them.
  uint64_t epoch = 1;
  size_t len = sizeof epoch;
  mallctl_("epoch", &epoch, &len, &epoch, sizeof epoch);
  auto get = [this](const char* name) -> std::optional<uint64_t> {
    size_t value = 0, size = sizeof value;
    if (mallctl_(name, &value, &size, nullptr, 0) != 0) return std::nullopt;
    return value;
  };
  return {.mapped = get("stats.mapped"),
          .resident = get("stats.resident"),
          .allocated = get("stats.allocated")};
}

AllocatorStats AllocatorStatsReader::ReadTcmalloc() const {
  auto get = [this](const char* name) -> std::optional<uint64_t> {
    size_t value = 0;
    if (numeric_property_(name, &value) == 0) return std::nullopt;
    return value;
  };
  AllocatorStats s{.mapped = get("generic.heap_size"),
                   .resident = {},
                   .allocated = get("generic.current_allocated_bytes")};
  const std::optional<uint64_t> unmapped = get("tcmalloc.pageheap_unmapped_bytes");
  if (s.mapped && unmapped && *unmapped <= *s.mapped) s.resident = *s.mapped - *unmapped;
  return s;
}

AllocatorStats AllocatorStatsReader::ReadMimalloc() const {
  size_t elapsed = 0, user = 0, system = 0, rss = 0, peak_rss = 0, commit = 0, peak_commit = 0,
         faults = 0;
  process_info_(&elapsed, &user, &system, &rss, &peak_rss, &commit, &peak_commit, &faults);
  return {.mapped = commit, .resident = {}, .allocated = {}};
}

}  // namespace goalloc::replay
