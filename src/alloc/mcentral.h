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
  MSpan* CacheSpan(MCache* c) EXCLUDES(lock_);
  void UncacheSpan(MSpan* s) EXCLUDES(lock_);
  // A free by a P that does not hold s in its mcache, which MSpan::TryPostFree did not
  // admit: s is listed and this free makes it partial or empty, or `remote` was closed.
  void FreeRemote(MSpan* s, uint32_t idx) EXCLUDES(lock_);
  // GC mode: set an uncached span aside until it is swept, and file it again after its
  // sweep; true when the sweep left it empty (the caller frees it to the heap).
  void TakeUnswept(MSpan* s) REQUIRES(lock_);
  bool FileSweptLocked(MSpan* s) REQUIRES(lock_);

  std::string LockName() const;
  InstrumentedMutex& lock() RETURN_CAPABILITY(lock_) { return lock_; }
  const InstrumentedMutex& lock() const RETURN_CAPABILITY(lock_) { return lock_; }
  // MHeap::Verify's checks of the lists, "" or what is wrong: they hold the partial_spans
  // and full_spans in-use spans of this class that the heap's walk filed there.
  std::string Verify(uint64_t partial_spans, uint64_t full_spans) const WORLD_STOPPED;

 private:
  bool single_threaded() const;                  // HeapConfig's: remote-free words without atomics
  MSpan* PopPartial(MCache* c) EXCLUDES(lock_);  // a partial span, now cached by c, or null
  // Puts uncached span s (not empty, remote drained) on its list and opens its `remote` to
  // lock-free posts.
  void File(MSpan* s) REQUIRES(lock_);

  InstrumentedMutex lock_;
  SpanDList partial_ GUARDED_BY(lock_), full_ GUARDED_BY(lock_);
  SpanClass spanclass_ = 0;
  MHeap* heap_ = nullptr;
};

}  // namespace goalloc::alloc
