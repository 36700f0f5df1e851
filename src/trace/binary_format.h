// Constants of the binary encoding (.gat), shared by its reader and writer; the layout is
// documented in docs/trace-format.md, "Binary encoding".
#pragma once

#include <cstdint>
#include <string_view>

namespace goalloc::trace::binary {

// PNG-style: a non-ASCII first byte, then the name, then bytes that text-mode transfers mangle.
inline constexpr std::string_view kMagic{"\x89GAT\r\n\x1a\n", 8};
inline constexpr uint64_t kVersion = 1;
inline constexpr uint64_t kMaxMetaBytes = 1 << 20;

// Record header byte.
inline constexpr uint8_t kOpMask = 0x07;     // Op value 0..4, or kEndRecord
inline constexpr uint8_t kEndRecord = 0x07;  // end of trace, followed by the event count
inline constexpr uint8_t kScanBit = 0x08;    // event.scan
inline constexpr uint8_t kTidBit = 0x10;     // a varint tid follows; else the previous event's
inline constexpr uint8_t kTimeBit = 0x20;    // a zigzag varint delta of t follows; else no t
inline constexpr uint8_t kReservedBits = 0xc0;

// Longest record: header, tid (5), t (10), id (10), new_id (10), size (7), align (1).
inline constexpr size_t kMaxRecordBytes = 44;

inline constexpr uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline constexpr int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

}  // namespace goalloc::trace::binary
