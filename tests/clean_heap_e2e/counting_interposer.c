// Preloaded before the allocator under test into the replay child by clean_heap_e2e_test:
// forwards every malloc-family call to the next definition (the allocator's) and, between
// the replay's goalloc_replay_window(1) and goalloc_replay_window(0) (src/replay/
// replay_window.h), counts them per function. At the window's close it appends one line,
// "malloc M calloc C realloc R free F aligned_alloc A posix_memalign P memalign G valloc V
// pvalloc Q", to the file named by GOALLOC_COUNT_FILE.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
  kMalloc,
  kCalloc,
  kRealloc,
  kFree,
  kAlignedAlloc,
  kPosixMemalign,
  kMemalign,
  kValloc,
  kPvalloc,
  kFunctions
};
static const char* const kNames[kFunctions] = {"malloc",   "calloc",        "realloc",
                                               "free",     "aligned_alloc", "posix_memalign",
                                               "memalign", "valloc",        "pvalloc"};
static atomic_uint_fast64_t counts[kFunctions];
static atomic_int counting;

static void* (*next_malloc)(size_t);
static void* (*next_calloc)(size_t, size_t);
static void* (*next_realloc)(void*, size_t);
static void (*next_free)(void*);
static void* (*next_aligned_alloc)(size_t, size_t);
static int (*next_posix_memalign)(void**, size_t, size_t);
static void* (*next_memalign)(size_t, size_t);
static void* (*next_valloc)(size_t);
static void* (*next_pvalloc)(size_t);

// dlsym may allocate while the next functions are being looked up: from here.
static char bootstrap[16384] __attribute__((aligned(64)));
static size_t bootstrap_used;
static int resolving;

static int FromBootstrap(const void* p) {
  return (const char*)p >= bootstrap && (const char*)p < bootstrap + sizeof bootstrap;
}

static void* BootstrapAlloc(size_t size) {
  size = (size + 63) & ~(size_t)63;
  if (bootstrap_used + size > sizeof bootstrap) abort();
  void* p = bootstrap + bootstrap_used;
  bootstrap_used += size;
  return p;  // zeroed: static storage, never reused
}

static void Resolve(void) {
  if (next_malloc != NULL) return;
  resolving = 1;
  next_calloc = (void* (*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
  next_realloc = (void* (*)(void*, size_t))dlsym(RTLD_NEXT, "realloc");
  next_free = (void (*)(void*))dlsym(RTLD_NEXT, "free");
  next_aligned_alloc = (void* (*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
  next_posix_memalign = (int (*)(void**, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
  next_memalign = (void* (*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
  next_valloc = (void* (*)(size_t))dlsym(RTLD_NEXT, "valloc");
  next_pvalloc = (void* (*)(size_t))dlsym(RTLD_NEXT, "pvalloc");
  next_malloc = (void* (*)(size_t))dlsym(RTLD_NEXT, "malloc");
  resolving = 0;
}

static void Count(int f) {
  if (atomic_load_explicit(&counting, memory_order_relaxed)) {
    atomic_fetch_add_explicit(&counts[f], 1, memory_order_relaxed);
  }
}

void* malloc(size_t size) {
  if (resolving) return BootstrapAlloc(size);
  Resolve();
  Count(kMalloc);
  return next_malloc(size);
}

void* calloc(size_t n, size_t size) {
  if (resolving) return BootstrapAlloc(n * size);
  Resolve();
  Count(kCalloc);
  return next_calloc(n, size);
}

void* realloc(void* p, size_t size) {
  Resolve();
  Count(kRealloc);
  if (FromBootstrap(p)) {
    void* q = next_malloc(size);
    if (q != NULL) memcpy(q, p, size);  // bootstrap blocks are small and never freed
    return q;
  }
  return next_realloc(p, size);
}

void free(void* p) {
  if (FromBootstrap(p)) return;
  Resolve();
  Count(kFree);
  next_free(p);
}

void* aligned_alloc(size_t align, size_t size) {
  Resolve();
  Count(kAlignedAlloc);
  return next_aligned_alloc(align, size);
}

int posix_memalign(void** out, size_t align, size_t size) {
  Resolve();
  Count(kPosixMemalign);
  return next_posix_memalign(out, align, size);
}

void* memalign(size_t align, size_t size) {
  Resolve();
  Count(kMemalign);
  return next_memalign(align, size);
}

void* valloc(size_t size) {
  Resolve();
  Count(kValloc);
  return next_valloc(size);
}

void* pvalloc(size_t size) {
  Resolve();
  Count(kPvalloc);
  return next_pvalloc(size);
}

// The malloc this library forwards to: the replay child checks where it comes from.
void* goalloc_interposed_malloc(void) {
  Resolve();
  return (void*)next_malloc;
}

void goalloc_replay_window(int opening) {
  if (opening) {
    for (int f = 0; f < kFunctions; ++f) atomic_store(&counts[f], 0);
    atomic_store(&counting, 1);
    return;
  }
  atomic_store(&counting, 0);
  const char* path = getenv("GOALLOC_COUNT_FILE");
  if (path == NULL) return;
  char line[512];
  size_t len = 0;
  for (int f = 0; f < kFunctions; ++f) {
    len += (size_t)snprintf(line + len, sizeof line - len, "%s%s %llu", f ? " " : "", kNames[f],
                            (unsigned long long)atomic_load(&counts[f]));
  }
  line[len++] = '\n';
  const int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  if (write(fd, line, len) != (ssize_t)len) abort();
  close(fd);
}
