// Constants of the binary encoding (.gat), shared by its reader and writer; the layout is
// documented in docs/trace-format.md, "Binary encoding".
//
// A record is a header byte, a 16-bit tag giving the byte length (0-6 or 8) of each of the
// five variable fields, then those fields, little-endian, in the order tid, t, id, new_id,
// size, then the alignment exponent byte for aligned_alloc. This "group varint" layout costs
// two bytes of tag per record over LEB128 but decodes with one load and mask per field and no
// data-dependent branches, which is what makes the binary reader 20× faster than JSON.
#pragma once

#include <cstdint>
#include <string_view>

namespace goalloc::trace::binary {

// PNG-style: a non-ASCII first byte, then the name, then bytes that text-mode transfers mangle.
inline constexpr std::string_view kMagic{"\x89GAT\r\n\x1a\n", 8};
inline constexpr uint64_t kVersion = 1;
inline constexpr uint64_t kMaxMetaBytes = 1 << 20;

// Header byte.
inline constexpr uint8_t kOpMask = 0x07;     // Op value 0..4, or kEndRecord
inline constexpr uint8_t kEndRecord = 0x07;  // end of trace: 8 bytes of event count follow
inline constexpr uint8_t kScanBit = 0x08;    // event.scan
inline constexpr uint8_t kTimeBit = 0x10;    // the event has t (as a delta, maybe of 0 bytes)
inline constexpr uint8_t kReservedBits = 0xe0;

// Tag: 3 bits per field, a length code; bit 15 is reserved.
enum TagField { kTagTid = 0, kTagTime = 3, kTagId = 6, kTagNewId = 9, kTagSize = 12 };
inline constexpr uint16_t kTagReserved = 0x8000;
inline constexpr uint8_t kCodeBytes[8] = {0, 1, 2, 3, 4, 5, 6, 8};
inline constexpr uint64_t kCodeMask[8] = {
    0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffffff};
// The smallest code whose length holds v.
inline constexpr unsigned CodeFor(uint64_t v) {
  unsigned bytes = v == 0 ? 0 : (64 - static_cast<unsigned>(__builtin_clzll(v)) + 7) / 8;
  return bytes >= 7 ? 7 : bytes;  // code 7 is 8 bytes
}

// The longest record is 38 bytes (header, tag, tid 4, t 8, id 8, new_id 8, size 6, align 1);
// the decoder loads 8 bytes at each field, so it wants this many readable bytes per record.
inline constexpr size_t kDecodeWindow = 64;
inline constexpr size_t kEndRecordBytes = 9;

inline constexpr uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline constexpr int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

}  // namespace goalloc::trace::binary
