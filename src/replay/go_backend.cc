// The `go` backend (see go_backend.h).
#include "src/replay/go_backend.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace goalloc::replay {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kClearByResidency = 64 << 10;  // smaller objects: plain memset

// True when the machine has no swap (then only resident pages can hold non-zero data).
bool NoSwap() {
  std::FILE* f = std::fopen("/proc/meminfo", "r");
  if (f == nullptr) return false;
  char line[256];
  bool none = false;
  unsigned long long kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "SwapTotal: %llu kB", &kib) == 1) {
      none = kib == 0;
      break;
    }
  }
  std::fclose(f);
  return none;
}

}  // namespace

void GoBackend::ClearObject(void* p, uint64_t size) {
  static const bool no_swap = NoSwap();
  if (size < kClearByResidency || !no_swap) {
    std::memset(p, 0, size);
    return;
  }
  const uintptr_t start = reinterpret_cast<uintptr_t>(p), end = start + size;
  const uintptr_t first = (start + kPage - 1) & ~(kPage - 1), last = end & ~(kPage - 1);
  std::memset(p, 0, first - start);  // partial pages at both ends
  std::memset(reinterpret_cast<void*>(last), 0, end - last);
  unsigned char resident[1024];
  for (uintptr_t chunk = first; chunk < last; chunk += sizeof resident * kPage) {
    const uint64_t pages = std::min<uint64_t>(sizeof resident, (last - chunk) / kPage);
    if (::mincore(reinterpret_cast<void*>(chunk), pages * kPage, resident) != 0) {
      std::memset(reinterpret_cast<void*>(chunk), 0, pages * kPage);
      continue;
    }
    for (uint64_t i = 0; i < pages; ++i) {
      if (resident[i] & 1) std::memset(reinterpret_cast<void*>(chunk + i * kPage), 0, kPage);
    }
  }
}

GoBackend::GoBackend(const alloc::HeapConfig& config, uint32_t threads)
    : heap_(config), caches_(threads, nullptr) {}

GoBackend::~GoBackend() { ReleaseContexts(); }

void GoBackend::ReleaseContexts() {
  for (alloc::MCache* c : caches_) {
    if (c != nullptr) heap_.ReleaseMCache(c);
  }
  caches_.clear();
}

void GoBackend::FillSample(Sample& s) const {
  const alloc::HeapTotals t = heap_.ReadTotals();
  s.footprint = t.footprint();
  s.heap = t;
}

void GoBackend::FillSnapshot(Snapshot& s) const {
  alloc::HeapStats stats = heap_.ReadStats();
  s.footprint = stats.totals.footprint();
  s.go = std::move(stats);
}

}  // namespace goalloc::replay
