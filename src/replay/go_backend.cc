// The `go` backend (see go_backend.h).
#include "src/replay/go_backend.h"

namespace goalloc::replay {

GoBackend::GoBackend(const alloc::HeapConfig& config, uint32_t threads) : heap_(config) {
  caches_.reserve(threads);
  for (uint32_t i = 0; i < threads; ++i) caches_.push_back(heap_.NewMCache());
}

GoBackend::~GoBackend() { ReleaseContexts(); }

void GoBackend::ReleaseContexts() {
  for (alloc::MCache* c : caches_) heap_.ReleaseMCache(c);
  caches_.clear();
}

void GoBackend::FillSample(Sample& s) const {
  const alloc::HeapTotals t = heap_.ReadTotals();
  s.footprint = t.footprint();
  s.heap = t;
}

void GoBackend::FillSnapshot(Snapshot& s) const {
  alloc::HeapStats stats = heap_.ReadStats();
  s.footprint = stats.totals.footprint();
  s.go = std::move(stats);
}

}  // namespace goalloc::replay
