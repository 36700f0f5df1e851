// Go's mcentral, one per span class, in the locked form of Go ≤1.14 that the seed design
// follows: a list of spans with free slots (partial) and of full spans, under a
// per-mcentral instrumented mutex ("mcentral[<class><s|n>]"). It hands spans to mcaches
// (cacheSpan), takes them back (uncacheSpan), and receives the frees from Ps that do not
// hold the span which move it between lists or free it (the others are posted to the span
// without the lock, see mspan.h). A span whose objects are all free and that no mcache
// holds goes back to the heap at once.
#pragma once

#include <string>

#include "src/alloc/instrumented_mutex.h"
#include "src/alloc/mspan.h"

namespace goalloc::alloc {

class MHeap;

// Intrusive doubly linked list of spans (Go's mSpanList).
class SpanDList {
 public:
  void PushFront(MSpan* s);
  void Remove(MSpan* s);
  MSpan* PopFront();
  MSpan* first() const { return first_; }
  uint64_t size() const { return size_; }

 private:
  MSpan* first_ = nullptr;
  uint64_t size_ = 0;
};

class MCentral {
 public:
  void Init(SpanClass sc, MHeap* heap) {
    spanclass_ = sc;
    heap_ = heap;
  }
  // A span with a free slot for c, or null when the heap cannot grow.
  MSpan* CacheSpan(MCache* c);
  void UncacheSpan(MSpan* s);
  // A free by a P that does not hold s in its mcache, which MSpan::TryPostFree did not
  // admit: s is listed and this free makes it partial or empty, or `remote` was closed.
  void FreeRemote(MSpan* s, uint32_t idx);
  // GC mode, under lock(): set an uncached span aside until it is swept, and file it again
  // after its sweep; true when the sweep left it empty (the caller frees it to the heap).
  void TakeUnswept(MSpan* s);
  bool FileSweptLocked(MSpan* s);

  std::string LockName() const;
  InstrumentedMutex& lock() { return lock_; }
  const InstrumentedMutex& lock() const { return lock_; }
  const SpanDList& partial() const { return partial_; }
  const SpanDList& full() const { return full_; }

 private:
  MSpan* PopPartial(MCache* c);  // a partial span, now cached by c, or null
  // Under lock_: puts uncached span s (not empty, remote drained) on its list and opens its
  // `remote` to lock-free posts.
  void File(MSpan* s);

  InstrumentedMutex lock_;
  SpanDList partial_, full_;
  SpanClass spanclass_ = 0;
  MHeap* heap_ = nullptr;
};

}  // namespace goalloc::alloc
