// See raw_log_converter.h. The raw log is mapped, not read: it can be far larger than the
// trace (48 bytes a record), and the index from sequence number to record (4 bytes a
// record) is the only memory that grows with it.
#include "src/record/raw_log_converter.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

#include "src/record/raw_record.h"
#include "src/trace/trace_error.h"

namespace goalloc::record {
namespace {

// A read-only mapping of a whole file, unmapped on destruction.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
      close(fd);
      throw std::runtime_error(path + ": cannot stat: " + std::strerror(errno));
    }
    size_ = size_t(st.st_size);
    if (size_ > 0) {
      data_ = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (data_ == MAP_FAILED) {
        close(fd);
        throw std::runtime_error(path + ": cannot map: " + std::strerror(errno));
      }
    }
    close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) munmap(data_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const void* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

trace::Event ToEvent(const RawRecord& r, const std::string& path, size_t index) {
  if (r.op >= trace::kNumOps || r.align_log2 >= 64) {
    throw trace::TraceError(path, index, "byte " + std::to_string(index * sizeof(RawRecord)),
                            "not a raw heap-call record");
  }
  trace::Event e;
  e.op = static_cast<trace::Op>(r.op);
  e.tid = r.tid;
  e.id = r.id;
  e.size = r.size;
  if (e.op == trace::Op::kRealloc) e.new_id = r.new_id;
  if (e.op == trace::Op::kAlignedAlloc) e.align = uint64_t{1} << r.align_log2;
  return e;
}

}  // namespace

ConvertStats ConvertRawLog(const std::string& raw_path, trace::TraceWriter& out) {
  MappedFile file(raw_path);
  const auto* records = static_cast<const RawRecord*>(file.data());
  const size_t n = file.size() / sizeof(RawRecord);  // a torn last record is ignored
  if (n >= std::numeric_limits<uint32_t>::max()) {
    throw std::runtime_error(raw_path + ": too many records for one raw log");
  }
  size_t heap_calls = 0;
  const RawRecord *first_clock = nullptr, *last_clock = nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (records[i].op != kClockOp) {
      ++heap_calls;
    } else if (first_clock == nullptr) {
      first_clock = last_clock = &records[i];
    } else if (records[i].t > last_clock->t) {
      last_clock = &records[i];
    }
  }
  // Ticks to nanoseconds: the line through the first and last clock readings.
  double ns_per_tick = 1;
  if (first_clock != nullptr && last_clock->t > first_clock->t) {
    ns_per_tick = double(last_clock->id - first_clock->id) / double(last_clock->t - first_clock->t);
  }
  // Dense sequence numbers: a complete log holds exactly 0..heap_calls-1, so a record
  // numbered heap_calls or more lies beyond a gap and is dropped with the rest past it.
  constexpr uint32_t kMissing = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> by_seq(heap_calls, kMissing);
  uint64_t t0 = std::numeric_limits<uint64_t>::max();
  for (size_t i = 0; i < n; ++i) {
    if (records[i].op == kClockOp) continue;
    if (records[i].seq < heap_calls) by_seq[records[i].seq] = uint32_t(i);
    t0 = std::min(t0, records[i].t);
  }
  ConvertStats stats;
  std::vector<bool> seen_tid;
  uint64_t last_t = 0;
  for (size_t seq = 0; seq < heap_calls && by_seq[seq] != kMissing; ++seq) {
    const RawRecord& r = records[by_seq[seq]];
    trace::Event e = ToEvent(r, raw_path, by_seq[seq]);
    last_t = std::max(last_t, uint64_t(double(r.t - t0) * ns_per_tick));
    e.t = last_t;
    if (e.tid >= seen_tid.size()) seen_tid.resize(e.tid + 1, false);
    if (!seen_tid[e.tid]) {
      seen_tid[e.tid] = true;
      ++stats.threads;
    }
    out.Write(e);
    ++stats.events;
  }
  stats.dropped = heap_calls - stats.events;
  return stats;
}

}  // namespace goalloc::record
