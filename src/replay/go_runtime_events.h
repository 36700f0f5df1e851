// The go-runtime child's input (docs/go-runtime.md, "Event file"): the decoded trace as a
// flat file of fixed-size little-endian records that the Go program maps read-only, so
// the events never count in Go's heap or pacer. Its own small format, independent of how
// PreparedTrace serializes itself for the preloaded children.
//
//   header, 64 bytes: "GAREVT01", u32 record size (32), u32 replay threads,
//                     u64 records, u64 slots, u64 seal classes, 24 bytes zero
//   records, 32 bytes each, in event order:
//                     u8 op, u8 flags, u16 zero, u32 replay thread, u32 slot,
//                     u32 realloc's new slot, u64 size, u64 realloc's old size
//   seal classes, 8 bytes each: u32 object size, u32 scan
#pragma once

#include <cstdint>
#include <span>

#include "src/replay/prepared_trace.h"
#include "src/replay/sample_plan.h"

namespace goalloc::replay {

inline constexpr char kGoRuntimeEventsMagic[8] = {'G', 'A', 'R', 'E', 'V', 'T', '0', '1'};
inline constexpr uint32_t kGoRuntimeHeaderSize = 64;
inline constexpr uint32_t kGoRuntimeRecordSize = 32;

enum class GoRuntimeOp : uint8_t { kMalloc, kCalloc, kRealloc, kFree, kAlignedAlloc };

// Record flags.
inline constexpr uint8_t kGoRuntimeScan = 1 << 0;
inline constexpr uint8_t kGoRuntimeSample = 1 << 1;    // a timeline sample after this event
inline constexpr uint8_t kGoRuntimePeakLive = 1 << 2;  // the exact peak-live snapshot after it
inline constexpr uint8_t kGoRuntimeCross = 1 << 3;     // ends an object another replay thread
                                                       // began: wait for its publication

// Writes the file to `fd`. Recorded thread t runs on replay thread t mod `threads` (sim: 1).
// `points` are the replay's sample points (sample_plan.h). Throws std::system_error on a
// failed write.
void WriteGoRuntimeEvents(int fd, const PreparedTrace& trace, uint32_t threads,
                          std::span<const SamplePoint> points);

}  // namespace goalloc::replay
