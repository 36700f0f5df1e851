// The system allocators: whatever malloc family this process has. In the parent that is
// glibc; in a replay child started with LD_PRELOAD it is jemalloc, tcmalloc or mimalloc.
// Footprint is resident memory minus the baseline taken before the replay; the snapshots add
// the allocator's own figures (allocator_stats.h) and, for glibc, its whole mallinfo2. The
// timeline samples do not: jemalloc's refresh of its statistics ("epoch") took about 30 us,
// which at 1,000 samples made git-grep's parallel replay take 60 ms instead of 29–43 ms.
// aligned_alloc goes through posix_memalign, which (unlike C11 aligned_alloc) accepts any size, as
// the trace's aligned_alloc covers memalign and posix_memalign too.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "src/replay/allocator_stats.h"
#include "src/replay/backend.h"
#include "src/replay/pointer_table.h"
#include "src/replay/replay_result.h"

namespace goalloc::replay {

class SystemBackend : public BackendHooks {
 public:
  struct Context {};
  static constexpr bool kPerThreadContexts = false;
  static constexpr bool kFootprintPerEvent = false;

  // `allocator`: which library this process's malloc family is; for `glibc` it is glibc's
  // own (mallinfo2 is meaningful, malloc_trim exists).
  explicit SystemBackend(const std::string& allocator)
      : glibc_(allocator == "glibc"), stats_(allocator) {}

  // Hooks (backend.h). The source of the allocator's own figures.
  void Describe(ReplayResult& r, const ReplayOptions&) const {
    r.allocator_stats_source = stats_.source();
  }
  // glibc returns the free memory decoding left in its arenas, so the replay does not start
  // with a pool of free memory the other allocators lack; jemalloc flushes this thread's
  // cache (AllocatorStatsReader::PrepareBaseline).
  void PrepareBaseline() const;
  // Footprints are net of `rss`; the allocator's own figures there.
  void RecordBaseline(uint64_t rss, ReplayResult& r) {
    baseline_ = rss;
    r.allocator_stats_baseline = stats_.Read();
  }
  // The sampled footprint can miss the true peak between samples; VmHWM cannot.
  void AfterReplay(ReplayResult& r, const PreparedTrace&, bool) const {
    r.peak_footprint = std::max(r.peak_footprint, r.peak_rss_bytes);
  }
  void ReleaseObjects(const PointerTable& table) const;

  Context ContextFor(uint32_t) { return {}; }
  void* Malloc(Context, uint64_t size, bool scan);
  void* Calloc(Context, uint64_t size, bool scan);
  void* AlignedAlloc(Context, uint64_t size, uint64_t align, bool scan);
  void* Realloc(Context, void* p, uint64_t old_size, uint64_t size, bool scan);
  void Free(Context, void* p, uint64_t size);

  uint64_t Footprint() const;
  void FillSample(Sample& s) const { s.footprint = Footprint(); }
  void FillSnapshot(Snapshot& s) const;
  std::string Verify() const { return {}; }

 private:
  bool glibc_;
  AllocatorStatsReader stats_;
  uint64_t baseline_ = 0;
};

}  // namespace goalloc::replay
