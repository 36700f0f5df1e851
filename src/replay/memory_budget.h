// The pre-flight memory check: before a replay, what it will touch against what the machine
// can give, so that a small trace that allocates terabytes is refused with a clear error
// instead of driving the machine into the OOM killer.
//
// What a replay touches: the trace's live objects at their peak, each rounded as the
// allocator rounds it (go: its size class, or whole 8 KiB pages for large objects; the
// system allocators: 16-byte granules, or 4 KiB pages from 128 KiB on), where a realloc's
// old and new objects both count (they coexist while the contents are copied); plus the
// allocator's own minimum (kAllocatorMinimum), the replay's pointer table, and for a
// preloaded allocator the child process's copy of the decoded trace. Every byte of a live
// object is written (touch_pattern.h's Touch), so the pages are really needed. In GC mode freed
// objects stay until swept: with GOGC off (and no limit) every object the trace allocates,
// otherwise about what Go's pacer lets the heap reach, (1 + GOGC/100)² × the live peak +
// (1 + GOGC/100) × 4 MiB (a goal of (1 + GOGC/100) × marked bytes, where marked bytes
// include the floating garbage of one runway), or the memory limit if higher than the live
// peak and lower; never more than every object allocated.
//
// What the machine can give: MemAvailable from /proc/meminfo, lowered by the room left
// under the memory limit of this process's cgroup and its ancestors (v2 memory.max −
// memory.current; v1 memory.limit_in_bytes − memory.usage_in_bytes) where one is set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "src/alloc/heap.h"
#include "src/replay/allocators.h"

namespace goalloc::replay {

class PreparedTrace;

inline constexpr uint64_t kGoMinimum = 16 << 20;        // arena index, metadata, a chunk
inline constexpr uint64_t kInProcessMinimum = 4 << 20;  // glibc's arenas, noop
inline constexpr uint64_t kChildMinimum = 64 << 20;     // a preloaded allocator's process

struct MemoryNeed {
  uint64_t bytes = 0;       // the total the replay will touch
  uint64_t objects = 0;     // of that, the rounded live objects at their peak
  uint64_t peak_event = 0;  // the trace's own index of the event where they peak
};
// `gc`: the go allocator's GC mode (null or disabled: explicit free).
MemoryNeed ReplayMemoryNeed(const PreparedTrace& trace, const Allocator& allocator,
                            const alloc::GcConfig* gc = nullptr);

struct MemoryAvailable {
  uint64_t bytes = 0;
  std::string source;  // "MemAvailable", or the cgroup file that limits it
};
// Nullopt when /proc/meminfo cannot be read.
std::optional<MemoryAvailable> ReadAvailableMemory();

// MemAvailable of a /proc/meminfo text, in bytes.
std::optional<uint64_t> ParseMemAvailable(const std::string& meminfo);
// The room under a cgroup limit: `limit` is memory.max ("max": none) or
// memory.limit_in_bytes (v1 writes a huge number for none), `usage` its current use.
std::optional<uint64_t> CgroupRoom(const std::string& limit, const std::string& usage);

// The check itself. `max_memory`: nullopt, the memory available; 0, no check (dangerous);
// otherwise the bound in bytes. Returns "" when the replay fits, else the error message
// (naming the trace, the need, the bound and the event of the peak).
std::string CheckMemoryBudget(const PreparedTrace& trace, const Allocator& allocator,
                              std::optional<uint64_t> max_memory,
                              const alloc::GcConfig* gc = nullptr);

}  // namespace goalloc::replay
