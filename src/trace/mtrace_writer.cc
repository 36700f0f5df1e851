// The glibc mtrace encoder, in the exact shape glibc writes (without the optional "@ caller"
// prefix). mtrace carries only what glibc records: an address, a size and the operation,
// so tid, scan, t, calloc-vs-malloc and the alignment are lost (docs/trace-format.md).
#include <fmt/format.h>

#include "src/trace/encoders.h"

namespace goalloc::trace {
namespace {

// glibc prints addresses with %p ("0x…") and sizes with %#lx, which writes zero as "0".
char* PutSize(char* p, uint64_t size) {
  if (size == 0) {
    *p++ = '0';
    return p;
  }
  return fmt::format_to(p, "{:#x}", size);
}

class MtraceWriter final : public BufferedTraceWriter {
 public:
  explicit MtraceWriter(std::unique_ptr<ByteSink> sink) : BufferedTraceWriter(std::move(sink)) {
    Append("= Start\n");
  }

  void Write(const Event& e) override {
    char* p = Out();
    switch (e.op) {
      case Op::kMalloc:
      case Op::kCalloc:
      case Op::kAlignedAlloc:
        p = PutSize(fmt::format_to(p, "+ {:#x} ", e.id), e.size);
        break;
      case Op::kRealloc:
        p = PutSize(fmt::format_to(p, "< {:#x}\n> {:#x} ", e.id, e.new_id), e.size);
        break;
      case Op::kFree:
        p = fmt::format_to(p, "- {:#x}", e.id);
        break;
    }
    *p++ = '\n';
    Commit(p);
  }

 private:
  void WriteTrailer() override { Append("= End\n"); }
};

}  // namespace

std::unique_ptr<TraceWriter> MakeMtraceWriter(std::unique_ptr<ByteSink> sink) {
  return std::make_unique<MtraceWriter>(std::move(sink));
}

}  // namespace goalloc::trace
