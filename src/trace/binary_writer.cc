// The binary encoder (.gat): header, one tagged record per event, end record with the count.
#include <bit>
#include <cstring>

#include "src/trace/binary_format.h"
#include "src/trace/encoders.h"

namespace goalloc::trace {
namespace {

using namespace binary;

char* PutVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

class BinaryWriter final : public BufferedTraceWriter {
 public:
  BinaryWriter(std::unique_ptr<ByteSink> sink, std::string_view meta)
      : BufferedTraceWriter(std::move(sink)) {
    if (meta.empty()) meta = "{}";
    char head[32];
    char* p = PutVarint(PutVarint(head, kVersion), meta.size());
    Append(kMagic);
    Append(std::string_view(head, p - head));
    Append(meta);
  }

  void Write(const Event& e) override {
    char* p = Out();
    char* start = p;
    p += 3;  // header and tag, filled in below
    uint16_t tag = 0;
    auto field = [&](TagField f, uint64_t v) {
      unsigned code = CodeFor(v);
      memcpy(p, &v, 8);  // little-endian; the buffer has room past the record
      p += kCodeBytes[code];
      tag |= static_cast<uint16_t>(code << f);
    };
    uint8_t header = static_cast<uint8_t>(e.op) | (e.scan ? kScanBit : 0);
    if (e.tid != tid_ || events_ == 0) {
      // A zero-length tid means "the previous event's", so a tid is at least one byte.
      unsigned code = std::max(1u, CodeFor(e.tid));
      uint64_t v = e.tid;
      memcpy(p, &v, 8);
      p += kCodeBytes[code];
      tag |= static_cast<uint16_t>(code << kTagTid);
      tid_ = e.tid;
    }
    if (e.t != kNoTime) {
      header |= kTimeBit;
      field(kTagTime, ZigZag(static_cast<int64_t>(e.t - time_)));
      time_ = e.t;
    }
    field(kTagId, ZigZag(static_cast<int64_t>(e.id - last_id_)));
    last_id_ = e.id;
    if (e.op == Op::kRealloc) {
      field(kTagNewId, ZigZag(static_cast<int64_t>(e.new_id - last_id_)));
      last_id_ = e.new_id;
    }
    if (e.op != Op::kFree) field(kTagSize, e.size);
    if (e.op == Op::kAlignedAlloc) *p++ = static_cast<char>(std::countr_zero(e.align));
    start[0] = static_cast<char>(header);
    memcpy(start + 1, &tag, 2);
    Commit(p);
    ++events_;
  }

 private:
  void WriteTrailer() override {
    char* p = Out();
    *p++ = static_cast<char>(kEndRecord);
    memcpy(p, &events_, 8);
    Commit(p + 8);
  }

  uint64_t events_ = 0, time_ = 0, last_id_ = 0;
  uint32_t tid_ = 0;
};

}  // namespace

std::unique_ptr<TraceWriter> MakeBinaryWriter(std::unique_ptr<ByteSink> sink,
                                              std::string_view meta) {
  return std::make_unique<BinaryWriter>(std::move(sink), meta);
}

}  // namespace goalloc::trace
