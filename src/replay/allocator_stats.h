// A system allocator's own figures of its heap, read in the process whose malloc it is. The
// functions are looked up with dlsym in the loaded libraries, so nothing links against
// jemalloc, tcmalloc or mimalloc; a library that does not offer a figure leaves it absent.
//   glibc     mallinfo2: mapped = arena + hblkhd, allocated = uordblks + hblkhd (chunk
//             sizes, headers included); no resident figure
//   jemalloc  mallctl, after bumping "epoch": stats.mapped, stats.resident, stats.allocated
//   tcmalloc  MallocExtension_GetNumericProperty (gperftools): mapped = generic.heap_size,
//             resident = heap_size − tcmalloc.pageheap_unmapped_bytes, allocated =
//             generic.current_allocated_bytes
//   mimalloc  mi_process_info: mapped = current commit; no resident or allocated figure
//             (mi_process_info's RSS is the whole process's, not the allocator's)
#pragma once

#include <optional>
#include <string>

#include "src/replay/replay_result.h"

namespace goalloc::replay {

class AllocatorStatsReader {
 public:
  // `allocator`: the name of the allocator this process's malloc is (glibc, jemalloc, …).
  // glibc's figures only when malloc really is libc's (a sanitizer replaces it).
  explicit AllocatorStatsReader(const std::string& allocator);

  // "mallinfo2", "jemalloc mallctl", "tcmalloc MallocExtension", "mimalloc mi_process_info";
  // "" when the library offers nothing this reader knows.
  const std::string& source() const { return source_; }

  // The figures now; absent when source() is "". Calls no malloc-family function.
  std::optional<AllocatorStats> Read() const;

  // Before the baseline reading: jemalloc counts the objects in a thread's cache as
  // allocated, so the calling thread's cache (it decoded the trace and freed what decoding
  // used) is flushed, and the baseline's allocated bytes are the objects really in use.
  void PrepareBaseline() const;

 private:
  using Mallctl = int (*)(const char*, void*, size_t*, void*, size_t);
  using NumericProperty = int (*)(const char*, size_t*);
  using ProcessInfo = void (*)(size_t*, size_t*, size_t*, size_t*, size_t*, size_t*, size_t*,
                               size_t*);

  AllocatorStats ReadMallinfo() const;
  AllocatorStats ReadJemalloc() const;
  AllocatorStats ReadTcmalloc() const;
  AllocatorStats ReadMimalloc() const;

  std::string source_;
  bool glibc_ = false;
  Mallctl mallctl_ = nullptr;
  NumericProperty numeric_property_ = nullptr;
  ProcessInfo process_info_ = nullptr;
};

}  // namespace goalloc::replay
