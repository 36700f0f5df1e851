// mcentral: span lists per span class, cacheSpan/uncacheSpan, and remote frees.
#include "src/alloc/mcentral.h"

#include <fmt/core.h>

#include "src/alloc/mgc.h"
#include "src/alloc/mheap.h"

namespace goalloc::alloc {

void SpanDList::PushFront(MSpan* s) {
  s->prev = nullptr;
  s->next = first_;
  if (first_ != nullptr) first_->prev = s;
  first_ = s;
  size_++;
}

void SpanDList::Remove(MSpan* s) {
  if (s->prev != nullptr) {
    s->prev->next = s->next;
  } else {
    first_ = s->next;
  }
  if (s->next != nullptr) s->next->prev = s->prev;
  s->next = s->prev = nullptr;
  size_--;
}

MSpan* SpanDList::PopFront() {
  MSpan* s = first_;
  if (s != nullptr) Remove(s);
  return s;
}

bool MCentral::single_threaded() const { return heap_->config().single_threaded; }

std::string MCentral::LockName() const {
  return fmt::format("mcentral[{}{}]", SizeClassOf(spanclass_), NoscanOf(spanclass_) ? 'n' : 's');
}

MSpan* MCentral::PopPartial(MCache* c) {
  MutexLock l(lock_);
  MSpan* s = partial_.PopFront();
  if (s != nullptr) {
    s->DrainRemoteFrees(single_threaded());  // the frees posted while it was listed
    s->list = SpanList::kCached;
    s->owner.store(c, std::memory_order_relaxed);
    s->remote.store(RemoteState::kCached, std::memory_order_release);
  }
  return s;
}

MSpan* MCentral::CacheSpan(MCache* c) {
  Collector* gc = heap_->gc();
  if (gc != nullptr) gc->DeductSweepCredit(c, heap_->classes().info(spanclass_).npages * kPageSize);
  MSpan* s = PopPartial(c);
  if (s == nullptr && gc != nullptr) {  // sweep spans of this class before growing
    gc->SweepClass(c, spanclass_);
    s = PopPartial(c);
  }
  if (s == nullptr) {  // grow: a fresh span nobody else can see yet
    s = heap_->AllocSpan(c, heap_->classes().info(spanclass_).npages, spanclass_, 1);
    if (s == nullptr) return nullptr;
    s->list = SpanList::kCached;
    s->owner.store(c, std::memory_order_relaxed);
    s->remote.store(RemoteState::kCached, std::memory_order_release);
  }
  s->RefillAllocCache();
  if (gc != nullptr) gc->OnRefill(s);
  return s;
}

void MCentral::TakeUnswept(MSpan* s) {
  s->DrainRemoteFrees(single_threaded());
  (s->list == SpanList::kFull ? full_ : partial_).Remove(s);
  s->list = SpanList::kUnswept;
}

bool MCentral::FileSweptLocked(MSpan* s) {
  if (s->alloc_count == 0) {
    s->list = SpanList::kNone;
    return true;
  }
  File(s);
  return false;
}

void MCentral::File(MSpan* s) {
  s->list = s->alloc_count == s->nelems ? SpanList::kFull : SpanList::kPartial;
  (s->list == SpanList::kFull ? full_ : partial_).PushFront(s);
  s->remote.store(RemoteState::Listed(s->alloc_count), std::memory_order_release);
}

void MCentral::UncacheSpan(MSpan* s) {
  {
    MutexLock l(lock_);
    s->DrainRemoteFrees(single_threaded());
    s->owner.store(nullptr, std::memory_order_relaxed);
    if (s->alloc_count != 0) {
      File(s);
      return;
    }
    s->list = SpanList::kNone;
  }
  heap_->FreeSpan(s);
}

void MCentral::FreeRemote(MSpan* s, uint32_t idx) {
  {
    MutexLock l(lock_);
    // Cached or filed since the free found `remote` closed, or listed and no transition.
    if (s->TryPostFree(idx, single_threaded())) return;
    // Listed, and this free moves the span to the partial list or frees it.
    s->DrainRemoteFrees(single_threaded());
    bool was_full = s->list == SpanList::kFull;
    s->ClearSlot(idx);
    (was_full ? full_ : partial_).Remove(s);
    if (s->alloc_count != 0) {
      File(s);
      return;
    }
    s->list = SpanList::kNone;
  }
  heap_->FreeSpan(s);
}

std::string MCentral::Verify(uint64_t partial_spans, uint64_t full_spans) const {
  if (partial_.size() != partial_spans || full_.size() != full_spans) {
    return fmt::format("{}: list lengths do not match the spans", LockName());
  }
  for (const MSpan* s = partial_.first(); s != nullptr; s = s->next) {
    if (!s->in_use || s->spanclass != spanclass_ || s->list != SpanList::kPartial) {
      return fmt::format("{}: partial list holds a wrong span", LockName());
    }
  }
  for (const MSpan* s = full_.first(); s != nullptr; s = s->next) {
    if (!s->in_use || s->spanclass != spanclass_ || s->list != SpanList::kFull) {
      return fmt::format("{}: full list holds a wrong span", LockName());
    }
  }
  return "";
}

}  // namespace goalloc::alloc
