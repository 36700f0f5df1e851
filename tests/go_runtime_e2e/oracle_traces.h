// The sample traces in the forms the oracle tests hold the model and real Go 1.19 to:
// noscan (Go 1.19, which the go-runtime backend runs, differs from the model's Go 1.22
// rules for scan objects: no 8-byte header over 512 B, 1024 not 1008 slots in small scan
// spans), without size 0 (Go's &zerobase), sizes 32761..32768 (small in Go 1.19, large in
// the model) and alignment (Go has none).
#pragma once

#include <string>
#include <vector>

namespace goalloc::report_e2e {

// Every trace in traces/ and traces/real/, sorted.
std::vector<std::string> AllTraces();
// Alloc-only: frees dropped, every object that begins a malloc of a fresh id.
std::string AllocOnly(const std::string& path);
// Frees and reallocs kept (a realloc whose old or new object is left out becomes a malloc
// or a free); every object that begins is a malloc or a realloc.
std::string GoComparable(const std::string& path);
// `path` with one large object of `bytes` allocated first (thread 0) and never freed: the
// live heap real Go's replayer holds besides the trace's objects (its start-up objects, the
// sealed spans, the slot table: go-runtime's `gc.baseline_heap_alloc`), so that the model
// paces the same live heap as real Go. Its pages are ResidentPages(bytes).
std::string WithResidentHeap(const std::string& path, uint64_t bytes);
uint64_t ResidentPages(uint64_t bytes);

}  // namespace goalloc::report_e2e
