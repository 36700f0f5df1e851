// The binary decoder (.gat, docs/trace-format.md "Binary encoding"). The hot loop decodes
// records straight from the buffer with no bounds checks while at least kMaxRecordBytes are
// buffered, and with checks only in the last few bytes of the data.
#include <fmt/core.h>

#include <limits>

#include "src/trace/binary_format.h"
#include "src/trace/decoders.h"
#include "src/trace/input_buffer.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {
namespace {

using namespace binary;

class BinaryReader final : public TraceReader {
 public:
  BinaryReader(std::string path, std::unique_ptr<ByteSource> source, Compression compression)
      : TraceReader(std::move(path)), in_(std::move(source)), compression_(compression) {
    Guarded([&] { ReadHeader(); });
  }

  size_t ReadBatch(std::span<Event> out) override {
    size_t n = 0;
    Guarded([&] { n = Read(out); });
    return n;
  }
  Encoding encoding() const override { return Encoding::kBinary; }
  Compression compression() const override { return compression_; }

 private:
  template <typename F>
  void Guarded(F&& f) {
    try {
      f();
    } catch (const SourceError& e) {
      throw TraceError(path(), events_, fmt::format("byte {}", in_.Offset(in_.pos)), e.what());
    }
  }
  [[noreturn]] void Fail(const char* at, const std::string& what) {
    throw TraceError(path(), events_, fmt::format("byte {}", in_.Offset(at)), what);
  }

  // Reads a varint at *p (below `end` when kChecked). Returns false when it runs past the
  // data or past 10 bytes.
  template <bool kChecked>
  static bool Varint(const char** p, const char* end, uint64_t* v) {
    const uint8_t* q = reinterpret_cast<const uint8_t*>(*p);
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (kChecked && reinterpret_cast<const char*>(q) == end) return false;
      uint8_t b = *q++;
      r |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) {
        if (shift == 63 && b > 1) return false;
        *p = reinterpret_cast<const char*>(q);
        *v = r;
        return true;
      }
    }
    return false;
  }

  void ReadHeader() {
    in_.Ensure(kMagic.size());
    if (std::string_view(in_.pos, std::min<size_t>(in_.end - in_.pos, kMagic.size())) != kMagic) {
      Fail(in_.pos, "not a goalloc binary trace (bad magic)");
    }
    in_.pos += kMagic.size();
    uint64_t version = HeaderVarint("version");
    if (version != kVersion) {
      Fail(in_.pos, fmt::format("unsupported binary trace version {}; this reader reads version {}",
                                version, kVersion));
    }
    uint64_t meta_len = HeaderVarint("meta length");
    if (meta_len > kMaxMetaBytes) Fail(in_.pos, "meta is larger than 1 MiB");
    if (!in_.Ensure(meta_len)) Fail(in_.end, "truncated header: meta ends early");
    meta_.assign(in_.pos, meta_len);
    in_.pos += meta_len;
  }
  uint64_t HeaderVarint(const char* what) {
    in_.Ensure(10);
    uint64_t v;
    if (!Varint<true>(&in_.pos, in_.end, &v))
      Fail(in_.pos, fmt::format("truncated header: bad {}", what));
    return v;
  }

  size_t Read(std::span<Event> out) {
    size_t n = 0;
    while (!done_ && n < out.size()) {
      if (in_.Ensure(kMaxRecordBytes)) {
        // Fast path: the next `limit` records are surely buffered whole.
        const char* p = in_.pos;
        size_t limit = std::min(out.size() - n, static_cast<size_t>(in_.end - p) / kMaxRecordBytes);
        for (size_t k = 0; k < limit && !done_; ++k) {
          if (Record<false>(&p, &out[n])) ++n;
        }
        in_.pos = p;
      } else {
        // Tail: fewer than kMaxRecordBytes remain in the whole data.
        if (in_.pos == in_.end) Fail(in_.pos, "truncated trace: no end record");
        const char* p = in_.pos;
        if (Record<true>(&p, &out[n])) ++n;
        in_.pos = p;
      }
    }
    if (done_ && (in_.pos != in_.end || in_.Fill() != 0)) {
      Fail(in_.pos, "unexpected data after the end record");
    }
    return n;
  }

  // Decodes one record at *p. Returns true for an event, false for the end record.
  template <bool kChecked>
  bool Record(const char** p, Event* out) {
    const char* at = *p;
    const char* end = in_.end;
    auto varint = [&](const char* what) {
      uint64_t v;
      if (!Varint<kChecked>(p, end, &v)) Fail(at, fmt::format("truncated or invalid {}", what));
      return v;
    };
    uint8_t h = static_cast<uint8_t>(*(*p)++);
    uint8_t op = h & kOpMask;
    if (op == kEndRecord) {
      if (h != kEndRecord) Fail(at, "invalid end record");
      uint64_t count = varint("event count");
      if (count != events_) {
        Fail(at, fmt::format("end record counts {} events, but {} were read", count, events_));
      }
      done_ = true;
      return false;
    }
    if (op > static_cast<uint8_t>(Op::kFree)) Fail(at, fmt::format("invalid op {}", op));
    if (h & kReservedBits) Fail(at, "reserved bits set in a record header");
    Event& e = *out;
    e.op = static_cast<Op>(op);
    e.scan = h & kScanBit;
    if (h & kTidBit) {
      uint64_t tid = varint("tid");
      if (tid > std::numeric_limits<uint32_t>::max()) Fail(at, "tid is too large (above 2^32-1)");
      tid_ = static_cast<uint32_t>(tid);
    }
    e.tid = tid_;
    if (h & kTimeBit) {
      time_ += static_cast<uint64_t>(UnZigZag(varint("t")));
      if (time_ >> 63) Fail(at, "t is too large (2^63 or more)");
      e.t = time_;
    } else {
      e.t = kNoTime;
    }
    last_id_ += static_cast<uint64_t>(UnZigZag(varint("id")));
    e.id = last_id_;
    e.new_id = 0;
    if (e.op == Op::kRealloc) {
      last_id_ += static_cast<uint64_t>(UnZigZag(varint("new_id")));
      e.new_id = last_id_;
    }
    e.size = 0;
    if (e.op != Op::kFree) {
      e.size = varint("size");
      if (e.size >= kMaxSize) Fail(at, fmt::format("size {} is not below 2^47", e.size));
    }
    e.align = 0;
    if (e.op == Op::kAlignedAlloc) {
      if (kChecked && *p == end) Fail(at, "truncated align");
      uint8_t log2 = static_cast<uint8_t>(*(*p)++);
      if (log2 > 63) Fail(at, fmt::format("align exponent {} is above 63", log2));
      e.align = uint64_t{1} << log2;
    }
    ++events_;
    return true;
  }

  InputBuffer in_;
  Compression compression_;
  uint64_t events_ = 0;
  bool done_ = false;
  uint32_t tid_ = 0;
  uint64_t time_ = 0, last_id_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> MakeBinaryReader(std::string path, std::unique_ptr<ByteSource> source,
                                              Compression compression) {
  return std::make_unique<BinaryReader>(std::move(path), std::move(source), compression);
}

}  // namespace goalloc::trace
