// The binary encoder (.gat): header, one varint record per event, end record with the count.
#include <bit>

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
    char* h = p++;
    uint8_t header = static_cast<uint8_t>(e.op) | (e.scan ? kScanBit : 0);
    if (e.tid != tid_ || events_ == 0) {
      header |= kTidBit;
      p = PutVarint(p, e.tid);
      tid_ = e.tid;
    }
    if (e.t != kNoTime) {
      header |= kTimeBit;
      p = PutVarint(p, ZigZag(static_cast<int64_t>(e.t - time_)));
      time_ = e.t;
    }
    p = PutVarint(p, ZigZag(static_cast<int64_t>(e.id - last_id_)));
    last_id_ = e.id;
    if (e.op == Op::kRealloc) {
      p = PutVarint(p, ZigZag(static_cast<int64_t>(e.new_id - last_id_)));
      last_id_ = e.new_id;
    }
    if (e.op != Op::kFree) p = PutVarint(p, e.size);
    if (e.op == Op::kAlignedAlloc) *p++ = static_cast<char>(std::countr_zero(e.align));
    *h = static_cast<char>(header);
    Commit(p);
    ++events_;
  }

 private:
  void WriteTrailer() override {
    char* p = Out();
    *p++ = static_cast<char>(kEndRecord);
    Commit(PutVarint(p, events_));
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
