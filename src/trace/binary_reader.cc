// The binary decoder (.gat, docs/trace-format.md "Binary encoding"). Each record is decoded
// with one unaligned load and mask per field and selects instead of branches; faults are
// collected as bits and checked once per record, and only a faulty record takes the slow
// path that names the fault. The last few bytes of the data are decoded from a zero-padded
// copy, so the decoder never reads past the buffer and has no separate bounds-checked variant.
#include <fmt/core.h>

#include <array>
#include <cstring>
#include <limits>

#include "src/trace/binary_format.h"
#include "src/trace/decoders.h"
#include "src/trace/input_buffer.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {
namespace {

using namespace binary;

// Per header byte: whether it is valid, and the tag bits that must then be zero (fields the
// op does not have, and the reserved bit), so one lookup checks most of a record.
struct HeaderRule {
  bool valid = false;
  uint16_t forbidden_tag = 0;
};
constexpr std::array<HeaderRule, 256> MakeHeaderRules() {
  std::array<HeaderRule, 256> rules{};
  for (unsigned h = 0; h < 256; ++h) {
    unsigned op = h & kOpMask;
    rules[h].valid = op <= static_cast<unsigned>(Op::kFree) && (h & kReservedBits) == 0;
    rules[h].forbidden_tag = kTagReserved |
                             (op != static_cast<unsigned>(Op::kRealloc) ? 7u << kTagNewId : 0u) |
                             (op == static_cast<unsigned>(Op::kFree) ? 7u << kTagSize : 0u) |
                             ((h & kTimeBit) == 0 ? 7u << kTagTime : 0u);
  }
  return rules;
}
constexpr std::array<HeaderRule, 256> kHeaderRules = MakeHeaderRules();

uint64_t Load(const char* p, unsigned code) {
  uint64_t v;
  memcpy(&v, p, 8);  // little-endian hosts only, like the rest of the replayer
  return v & kCodeMask[code];
}

class BinaryReader final : public TraceReader {
 public:
  BinaryReader(std::string path, std::unique_ptr<ByteSource> source, Compression compression,
               size_t buffer_bytes)
      : TraceReader(std::move(path)),
        in_(std::move(source), /*count_lines=*/false, buffer_bytes),
        compression_(compression) {
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
    ReportSourceErrors(in_, path(), events_, std::forward<F>(f));
  }
  [[noreturn]] void Fail(uint64_t offset, const std::string& what) {
    throw TraceError(path(), events_, fmt::format("byte {}", offset), what);
  }

  // --- header: magic, LEB128 version, LEB128 meta length, meta -------------------------
  void ReadHeader() {
    in_.Ensure(kMagic.size());
    if (std::string_view(in_.pos, std::min<size_t>(in_.end - in_.pos, kMagic.size())) != kMagic) {
      Fail(0, "not a goalloc binary trace (bad magic)");
    }
    in_.pos += kMagic.size();
    uint64_t version = HeaderVarint("version");
    if (version != kVersion) {
      Fail(kMagic.size(), fmt::format("unsupported binary trace version {}; this reader reads "
                                      "version {}",
                                      version, kVersion));
    }
    uint64_t meta_len = HeaderVarint("meta length");
    if (meta_len > kMaxMetaBytes) Fail(in_.Offset(in_.pos), "meta is larger than 1 MiB");
    meta_.clear();
    while (meta_.size() < meta_len) {  // in pieces: the meta may be larger than the window
      if (in_.pos == in_.end && in_.Fill() == 0) {
        Fail(in_.Offset(in_.end), "truncated header: meta ends early");
      }
      size_t take = std::min<size_t>(meta_len - meta_.size(), in_.end - in_.pos);
      meta_.append(in_.pos, take);
      in_.pos += take;
    }
  }
  uint64_t HeaderVarint(const char* what) {
    in_.Ensure(10);
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.pos == in_.end) break;
      uint8_t b = static_cast<uint8_t>(*in_.pos++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    Fail(in_.Offset(in_.pos), fmt::format("truncated header: bad {}", what));
  }

  // --- records -------------------------------------------------------------------------
  // What a record is decoded relative to: the previous event's tid, t and last id.
  struct Context {
    uint32_t tid = 0;
    uint64_t time = 0, last_id = 0;
  };

  // Decodes the record at p (kDecodeWindow readable bytes) into *e and advances *ctx; returns
  // its length and sets *bad for the end record or any fault (Special() then says which;
  // the context no longer matters then). Callers keep the context in locals, which the
  // stores to *e cannot alias.
  [[gnu::always_inline]] static size_t Decode(const char* p, Context* ctx, Event* e, bool* bad) {
    const char* start = p;
    uint8_t h = static_cast<uint8_t>(p[0]);
    uint16_t tag;
    memcpy(&tag, p + 1, 2);
    p += 3;
    unsigned op = h & kOpMask;
    unsigned c_tid = tag >> kTagTid & 7, c_time = tag >> kTagTime & 7, c_id = tag >> kTagId & 7,
             c_new = tag >> kTagNewId & 7, c_size = tag >> kTagSize & 7;
    bool has_time = h & kTimeBit;
    bool aligned = op == static_cast<unsigned>(Op::kAlignedAlloc);
    // Field offsets from the codes by arithmetic, not table lookups: the next record's start
    // depends on them, and this chain, not the loads of the values, bounds the decoding rate.
    // Absent fields have code 0: zero bytes, value 0.
    auto bytes = [](unsigned code) { return code + (code == 7); };
    const char* p_time = p + bytes(c_tid);
    const char* p_id = p_time + bytes(c_time);
    const char* p_new = p_id + bytes(c_id);
    const char* p_size = p_new + bytes(c_new);
    uint64_t t = ctx->time + static_cast<uint64_t>(UnZigZag(Load(p_time, c_time)));
    uint64_t id = ctx->last_id + static_cast<uint64_t>(UnZigZag(Load(p_id, c_id)));
    uint64_t size = Load(p_size, c_size);
    p = p_size + bytes(c_size);
    unsigned log2 = static_cast<uint8_t>(*p);
    p += aligned;

    const HeaderRule& rule = kHeaderRules[h];
    *bad = !rule.valid | ((tag & rule.forbidden_tag) != 0) | (c_tid > 4) | (t >> 63 != 0) |
           (size >= kMaxSize) | (log2 > 63);
    uint32_t tid = c_tid ? static_cast<uint32_t>(Load(p_time - bytes(c_tid), c_tid)) : ctx->tid;
    uint64_t new_id = id + static_cast<uint64_t>(UnZigZag(Load(p_new, c_new)));
    Event decoded;  // built whole, so the compiler can store it in a few wide moves
    decoded.op = static_cast<Op>(op);
    decoded.scan = h & kScanBit;
    decoded.tid = tid;
    decoded.id = id;
    decoded.new_id = op == static_cast<unsigned>(Op::kRealloc) ? new_id : 0;
    decoded.size = size;
    decoded.align = aligned ? uint64_t{1} << (log2 & 63) : 0;
    decoded.t = has_time ? t : kNoTime;
    *e = decoded;
    ctx->tid = tid;
    ctx->time = has_time ? t : ctx->time;
    ctx->last_id = new_id;  // id when the record has no new_id
    return p - start;
  }

  size_t Read(std::span<Event> out) {
    size_t n = 0;
    while (!done_ && n < out.size()) {
      if (in_.Ensure(kDecodeWindow)) {
        const char* p = in_.pos;
        const char* last = in_.end - kDecodeWindow;  // the last start with a full window
        Context ctx = ctx_;
        Event* e = out.data() + n;
        Event* e_end = out.data() + out.size();
        bool bad = false;
        while (e < e_end && p <= last) {
          size_t len = Decode(p, &ctx, e, &bad);
          if (__builtin_expect(bad, 0)) break;
          ++e;
          p += len;
        }
        events_ += e - (out.data() + n);
        n = e - out.data();
        ctx_ = ctx;
        in_.pos = p;
        if (bad) Special(in_.pos, in_.end - in_.pos, *e);
      } else {
        if (in_.pos == in_.end) Fail(in_.Offset(in_.pos), "truncated trace: no end record");
        // Fewer than kDecodeWindow bytes remain: decode from a zero-padded copy.
        char tail[2 * kDecodeWindow] = {};
        size_t avail = in_.end - in_.pos;
        memcpy(tail, in_.pos, avail);
        bool bad;
        size_t len = Decode(tail, &ctx_, &out[n], &bad);
        if (bad) {
          Special(tail, avail, out[n]);
        } else {
          if (len > avail) Fail(in_.Offset(in_.end), "truncated trace: the last record ends early");
          ++n;
          ++events_;
          in_.pos += len;
        }
      }
    }
    return n;
  }

  // The record at p (avail bytes, of which at least kDecodeWindow readable) is the end
  // record, or faulty: finishes the trace or reports the fault.
  void Special(const char* p, size_t avail, const Event& e) {
    uint64_t at = in_.Offset(in_.pos);
    uint8_t h = static_cast<uint8_t>(p[0]);
    if (h == kEndRecord) {
      if (avail < kEndRecordBytes) Fail(at, "truncated end record");
      uint64_t count;
      memcpy(&count, p + 1, 8);
      if (count != events_) {
        Fail(at, fmt::format("end record counts {} events, but {} were read", count, events_));
      }
      in_.pos += kEndRecordBytes;
      if (in_.pos != in_.end || in_.Fill() != 0) {
        Fail(in_.Offset(in_.pos), "unexpected data after the end record");
      }
      done_ = true;
      return;
    }
    uint16_t tag;
    memcpy(&tag, p + 1, 2);
    unsigned op = h & kOpMask;
    if (op > static_cast<unsigned>(Op::kFree)) Fail(at, fmt::format("invalid op {}", op));
    if ((h & kReservedBits) || (tag & kTagReserved)) Fail(at, "reserved bits set in a record");
    const char* name = OpName(static_cast<Op>(op)).data();
    uint16_t stray = tag & kHeaderRules[h].forbidden_tag;
    if (stray & 7u << kTagTime) Fail(at, "t delta in a record without t");
    if (stray & 7u << kTagNewId) Fail(at, fmt::format("new_id in a {} record", name));
    if (stray & 7u << kTagSize) Fail(at, "size in a free record");
    if ((tag >> kTagTid & 7) > 4) Fail(at, "tid is too large (above 2^32-1)");
    if (e.t != kNoTime && e.t >> 63) Fail(at, "t is too large (2^63 or more)");
    if (e.size >= kMaxSize) Fail(at, fmt::format("size {} is not below 2^47", e.size));
    Fail(at, "align exponent is above 63");
  }

  InputBuffer in_;
  Compression compression_;
  uint64_t events_ = 0;
  bool done_ = false;
  Context ctx_;
};

}  // namespace

std::unique_ptr<TraceReader> MakeBinaryReader(std::string path, std::unique_ptr<ByteSource> source,
                                              Compression compression, size_t buffer_bytes) {
  return std::make_unique<BinaryReader>(std::move(path), std::move(source), compression,
                                        buffer_bytes);
}

}  // namespace goalloc::trace
