// See ordering.h for the protocol and why the realloc lock is held across the real call.
#include "src/record/ordering.h"

#include <pthread.h>

#include <atomic>
#include <bit>
#include <cstdint>

#include "src/record/event_log.h"

namespace goalloc::record {
namespace {

pthread_mutex_t g_realloc_lock = PTHREAD_MUTEX_INITIALIZER;
std::atomic<int> g_reallocs_in_flight{0};

uint64_t Address(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// fork() must not copy the lock while some other thread holds it.
void ForkPrepare() { pthread_mutex_lock(&g_realloc_lock); }
void ForkParent() { pthread_mutex_unlock(&g_realloc_lock); }
void ForkChild() {
  pthread_mutex_init(&g_realloc_lock, nullptr);
  g_reallocs_in_flight.store(0);
}
__attribute__((constructor)) void RegisterForkHandlers() {
  pthread_atfork(ForkPrepare, ForkParent, ForkChild);
}

}  // namespace

void LogAllocation(trace::Op op, void* p, size_t size, size_t align) {
  unsigned align_log2 = op == trace::Op::kAlignedAlloc ? std::countr_zero(align) : 0;
  // seq_cst: pairs with the increment in LoggedRealloc, made before the block this
  // allocation may have received was freed inside that realloc.
  if (g_reallocs_in_flight.load(std::memory_order_seq_cst) != 0) {
    pthread_mutex_lock(&g_realloc_lock);
    LogEvent(op, Address(p), 0, size, align_log2);
    pthread_mutex_unlock(&g_realloc_lock);
  } else {
    LogEvent(op, Address(p), 0, size, align_log2);
  }
}

void LogFree(void* p) { LogEvent(trace::Op::kFree, Address(p), 0, 0, 0); }

void* LoggedRealloc(void* (*real_realloc)(void*, size_t), void* p, size_t size) {
  g_reallocs_in_flight.fetch_add(1, std::memory_order_seq_cst);
  // Held across the real realloc: see ordering.h.
  pthread_mutex_lock(&g_realloc_lock);
  void* q = real_realloc(p, size);
  if (q) {
    LogEvent(trace::Op::kRealloc, Address(p), Address(q), size, 0);
  } else if (size == 0) {  // glibc: realloc(p, 0) frees p and returns NULL
    LogEvent(trace::Op::kFree, Address(p), 0, 0, 0);
  }
  pthread_mutex_unlock(&g_realloc_lock);
  g_reallocs_in_flight.fetch_sub(1, std::memory_order_seq_cst);
  return q;
}

}  // namespace goalloc::record
