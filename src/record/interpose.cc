// The entry points of libgoalloc_record.so: the C heap functions the recorded program
// calls instead of the C library's, found first because the library is in LD_PRELOAD.
// Each forwards to the real function (the next definition, found with dlsym(RTLD_NEXT))
// and logs the call (event_log.h) at the point the ordering protocol says (ordering.h).
//
// - Bootstrap: until the real functions are known, calls made by the loader from inside
//   dlsym are served by the bootstrap heap (bootstrap_heap.h); its blocks are never freed
//   for real nor logged.
// - No recursion: a thread-local guard is set while a call is being forwarded and logged;
//   heap calls made meanwhile (by the real allocator, pthread_setspecific, ...) go straight
//   to the real functions unlogged.
// - What is logged, per docs/recording.md: calloc with size nmemb × size; memalign,
//   posix_memalign, aligned_alloc, valloc (page alignment) and pvalloc (page alignment, size
//   rounded up to whole pages) as aligned_alloc with the alignment rounded up to a power of
//   two; realloc(NULL, n) as malloc; realloc(p, 0) as free; reallocarray as realloc; a call
//   that fails (NULL, or an error from posix_memalign) is not logged.
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "src/record/bootstrap_heap.h"
#include "src/record/event_log.h"
#include "src/record/ordering.h"

#define GOALLOC_EXPORT extern "C" __attribute__((visibility("default")))
#define GOALLOC_TLS __attribute__((tls_model("initial-exec")))

namespace goalloc::record {
namespace {

using trace::Op;

struct RealFunctions {
  void* (*malloc)(size_t);
  void (*free)(void*);
  void* (*calloc)(size_t, size_t);
  void* (*realloc)(void*, size_t);
  void* (*aligned_alloc)(size_t, size_t);
  void* (*memalign)(size_t, size_t);
  int (*posix_memalign)(void**, size_t, size_t);
  void* (*valloc)(size_t);
  void* (*pvalloc)(size_t);
};

RealFunctions g_real;
std::atomic<bool> g_ready{false};
GOALLOC_TLS __thread bool t_in_lookup;  // inside dlsym: serve from the bootstrap heap
GOALLOC_TLS __thread bool t_busy;       // inside a logged call: do not log nested calls

template <typename F>
void Lookup(F& f, const char* name) {
  f = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// Finds the real functions; returns false when called from inside the lookup itself.
bool EnsureReal() {
  if (g_ready.load(std::memory_order_acquire)) return true;
  if (t_in_lookup) return false;
  t_in_lookup = true;
  RealFunctions r;
  Lookup(r.malloc, "malloc");
  Lookup(r.free, "free");
  Lookup(r.calloc, "calloc");
  Lookup(r.realloc, "realloc");
  Lookup(r.aligned_alloc, "aligned_alloc");
  Lookup(r.memalign, "memalign");
  Lookup(r.posix_memalign, "posix_memalign");
  Lookup(r.valloc, "valloc");
  Lookup(r.pvalloc, "pvalloc");
  g_real = r;
  t_in_lookup = false;
  g_ready.store(true, std::memory_order_release);
  return true;
}

// True when this call is to be logged: sets the guard, which the caller's Busy clears.
class Busy {
 public:
  Busy() : logging_(!t_busy && Logging()) {
    if (logging_) t_busy = true;
  }
  ~Busy() {
    if (logging_) t_busy = false;
  }
  bool logging() const { return logging_; }

 private:
  bool logging_;
};

size_t PageSize() { return size_t(getpagesize()); }

size_t RecordedAlign(size_t align) { return std::bit_ceil(align < 1 ? size_t{1} : align); }

// memalign and aligned_alloc, which differ only in the real function called.
void* AlignedCall(void* (*RealFunctions::*real)(size_t, size_t), size_t align, size_t size) {
  if (!EnsureReal()) return BootstrapAlloc(size, RecordedAlign(align));
  Busy busy;
  void* p = (g_real.*real)(align, size);
  if (p && busy.logging()) LogAllocation(Op::kAlignedAlloc, p, size, RecordedAlign(align));
  return p;
}

}  // namespace
}  // namespace goalloc::record

using namespace goalloc::record;

GOALLOC_EXPORT void* malloc(size_t size) {
  if (!EnsureReal()) return BootstrapAlloc(size, 16);
  Busy busy;
  void* p = g_real.malloc(size);
  if (p && busy.logging()) LogAllocation(Op::kMalloc, p, size, 0);
  return p;
}

GOALLOC_EXPORT void free(void* p) {
  if (p == nullptr || IsBootstrapBlock(p)) return;
  if (!EnsureReal()) return;  // cannot happen: every other block came from the real malloc
  Busy busy;
  if (busy.logging()) LogFree(p);
  g_real.free(p);
}

GOALLOC_EXPORT void* calloc(size_t n, size_t size) {
  if (!EnsureReal()) {
    size_t bytes;
    return __builtin_mul_overflow(n, size, &bytes) ? nullptr : BootstrapAlloc(bytes, 16);
  }
  Busy busy;
  void* p = g_real.calloc(n, size);
  if (p && busy.logging()) LogAllocation(Op::kCalloc, p, n * size, 0);
  return p;
}

GOALLOC_EXPORT void* realloc(void* p, size_t size) {
  if (!EnsureReal()) {
    void* q = BootstrapAlloc(size, 16);
    if (q && p) memcpy(q, p, BootstrapBlockSize(p) < size ? BootstrapBlockSize(p) : size);
    return q;
  }
  if (p != nullptr && IsBootstrapBlock(p)) {  // move it to a real block: logged as malloc
    if (size == 0) return nullptr;
    void* q = malloc(size);
    if (q) memcpy(q, p, BootstrapBlockSize(p) < size ? BootstrapBlockSize(p) : size);
    return q;
  }
  Busy busy;
  if (!busy.logging()) return g_real.realloc(p, size);
  if (p == nullptr) {
    void* q = g_real.realloc(nullptr, size);
    if (q) LogAllocation(Op::kMalloc, q, size, 0);
    return q;
  }
  return LoggedRealloc(g_real.realloc, p, size);
}

GOALLOC_EXPORT void* reallocarray(void* p, size_t n, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(n, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, bytes);
}

GOALLOC_EXPORT void* aligned_alloc(size_t align, size_t size) {
  return AlignedCall(&RealFunctions::aligned_alloc, align, size);
}

GOALLOC_EXPORT void* memalign(size_t align, size_t size) {
  return AlignedCall(&RealFunctions::memalign, align, size);
}

GOALLOC_EXPORT int posix_memalign(void** out, size_t align, size_t size) {
  if (!EnsureReal()) {
    *out = BootstrapAlloc(size, RecordedAlign(align));
    return *out ? 0 : ENOMEM;
  }
  Busy busy;
  int err = g_real.posix_memalign(out, align, size);
  if (err == 0 && busy.logging()) LogAllocation(Op::kAlignedAlloc, *out, size, align);
  return err;
}

GOALLOC_EXPORT void* valloc(size_t size) {
  if (!EnsureReal()) return BootstrapAlloc(size, PageSize());
  Busy busy;
  void* p = g_real.valloc(size);
  if (p && busy.logging()) LogAllocation(Op::kAlignedAlloc, p, size, PageSize());
  return p;
}

GOALLOC_EXPORT void* pvalloc(size_t size) {
  if (!EnsureReal()) return BootstrapAlloc(size, PageSize());
  Busy busy;
  void* p = g_real.pvalloc(size);
  size_t rounded = (size + PageSize() - 1) & ~(PageSize() - 1);
  if (p && busy.logging()) LogAllocation(Op::kAlignedAlloc, p, rounded, PageSize());
  return p;
}
