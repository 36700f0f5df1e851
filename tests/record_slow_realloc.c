// LD_PRELOAD'ed after the recorder by tests/record_test.cc: a realloc that, when the block
// moved, waits a while before returning. The old block is free by then, so with the stress
// program and glibc's tcache off, other threads get its address and log their allocation
// inside the window the recorder's realloc lock closes (src/record/ordering.h); without
// the lock the trace would show a malloc of a live address.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <time.h>

void* realloc(void* p, size_t size) {
  static void* (*next)(void*, size_t);
  if (!next) next = (void* (*)(void*, size_t))dlsym(RTLD_NEXT, "realloc");
  void* q = next(p, size);
  if (q != p && p != NULL) {
    struct timespec wait = {0, 20000};  // 20 us
    nanosleep(&wait, NULL);
  }
  return q;
}
