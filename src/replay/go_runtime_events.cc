// The go-runtime child's event file (see go_runtime_events.h).
#include "src/replay/go_runtime_events.h"

#include <cstring>
#include <vector>

#include "src/replay/go_runtime_classes.h"
#include "src/trace/fd_io.h"

namespace goalloc::replay {
namespace {

// Little-endian stores into a byte buffer, flushed to the file in large writes.
class FileWriter {
 public:
  explicit FileWriter(int fd) : fd_(fd) { buffer_.reserve(kFlushBytes); }
  void U8(uint8_t v) { buffer_.push_back(char(v)); }
  void U16(uint16_t v) { Bytes(v, 2); }
  void U32(uint32_t v) { Bytes(v, 4); }
  void U64(uint64_t v) { Bytes(v, 8); }
  void Raw(const char* p, size_t n) { buffer_.insert(buffer_.end(), p, p + n); }
  void MaybeFlush() {
    if (buffer_.size() >= kFlushBytes) Flush();
  }
  void Flush() {
    trace::WriteAll(fd_, buffer_.data(), buffer_.size(), "go-runtime event file");
    buffer_.clear();
  }

 private:
  static constexpr size_t kFlushBytes = 1 << 20;
  void Bytes(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) buffer_.push_back(char(v >> (8 * i)));
  }
  int fd_;
  std::vector<char> buffer_;
};

GoRuntimeOp OpOf(trace::Op op) {
  switch (op) {
    case trace::Op::kMalloc:
      return GoRuntimeOp::kMalloc;
    case trace::Op::kCalloc:
      return GoRuntimeOp::kCalloc;
    case trace::Op::kRealloc:
      return GoRuntimeOp::kRealloc;
    case trace::Op::kFree:
      return GoRuntimeOp::kFree;
    case trace::Op::kAlignedAlloc:
      return GoRuntimeOp::kAlignedAlloc;
  }
  return GoRuntimeOp::kMalloc;
}

}  // namespace

void WriteGoRuntimeEvents(int fd, const PreparedTrace& trace, uint32_t threads,
                          std::span<const SamplePoint> points) {
  const std::vector<UsedSpanClass> seal = UsedSpanClasses(trace);
  const std::span<const ReplayEvent> events = trace.events();
  FileWriter w(fd);
  w.Raw(kGoRuntimeEventsMagic, sizeof kGoRuntimeEventsMagic);
  w.U32(kGoRuntimeRecordSize);
  w.U32(threads);
  w.U64(events.size());
  w.U64(trace.slots());
  w.U64(seal.size());
  for (int i = 0; i < 3; ++i) w.U64(0);

  // The replay thread that began the object in each slot, to flag cross-thread ends.
  std::vector<uint32_t> began_on(trace.slots(), 0);
  size_t begin = 0, end = 0, realloc = 0, point = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const ReplayEvent& e = events[i];
    const uint32_t thread = threads > 1 ? trace.tids()[i] % threads : 0;
    uint8_t flags = e.scan ? kGoRuntimeScan : 0;
    for (; point < points.size() && points[point].index == i; ++point) {
      if (points[point].timeline || points[point].end) flags |= kGoRuntimeSample;
      if (points[point].peak_live) flags |= kGoRuntimePeakLive;
    }
    if (EndsObject(e.op) && began_on[e.slot] != thread) flags |= kGoRuntimeCross;
    const uint32_t new_slot = e.op == trace::Op::kRealloc ? trace.realloc_slots()[realloc++] : 0;
    const uint64_t old_size = EndsObject(e.op) ? trace.end_sizes()[end++] : 0;
    const uint64_t new_size = BeginsObject(e.op) ? trace.begin_sizes()[begin++] : 0;
    if (BeginsObject(e.op)) began_on[e.op == trace::Op::kRealloc ? new_slot : e.slot] = thread;
    w.U8(uint8_t(OpOf(e.op)));
    w.U8(flags);
    w.U16(0);
    w.U32(thread);
    w.U32(e.slot);
    w.U32(new_slot);
    w.U64(e.op == trace::Op::kFree ? old_size : new_size);
    w.U64(e.op == trace::Op::kRealloc ? old_size : 0);
    w.MaybeFlush();
  }
  for (const UsedSpanClass& c : seal) {
    w.U32(c.object_size);
    w.U32(c.scan ? 1 : 0);
  }
  w.Flush();
}

}  // namespace goalloc::replay
