// The read-modify-writes of the words that several Ps may update at once: a span's `remote`
// and `free_bits` (posted frees) and the tiny blocks' live counts. Atomic when the Ps run on
// several threads; a plain load and store when one thread makes every call into the heap
// (`alone`: HeapConfig::single_threaded), where nothing can come between the two, and the
// pair costs a fraction of the locked instruction (docs/performance.md, "sim mode without
// locked instructions"). Either way the same value results.
#pragma once

#include <atomic>

namespace goalloc::alloc {

template <class T>
T FetchAdd(std::atomic<T>& word, T add, bool alone, std::memory_order order) {
  if (!alone) return word.fetch_add(add, order);
  const T old = word.load(std::memory_order_relaxed);
  word.store(T(old + add), std::memory_order_relaxed);
  return old;
}

template <class T>
T FetchOr(std::atomic<T>& word, T bits, bool alone, std::memory_order order) {
  if (!alone) return word.fetch_or(bits, order);
  const T old = word.load(std::memory_order_relaxed);
  word.store(T(old | bits), std::memory_order_relaxed);
  return old;
}

template <class T>
T Exchange(std::atomic<T>& word, T value, bool alone, std::memory_order order) {
  if (!alone) return word.exchange(value, order);
  const T old = word.load(std::memory_order_relaxed);
  word.store(value, std::memory_order_relaxed);
  return old;
}

// `expected` is what the caller last loaded from `word`; alone, nobody can have changed it
// since, so the exchange always succeeds.
template <class T>
bool CompareExchange(std::atomic<T>& word, T& expected, T desired, bool alone,
                     std::memory_order success, std::memory_order failure) {
  if (!alone) return word.compare_exchange_weak(expected, desired, success, failure);
  word.store(desired, std::memory_order_relaxed);
  return true;
}

}  // namespace goalloc::alloc
