// Thin wrappers over the Linux memory calls the heap uses (Go's mem_linux.go): reserve
// address space PROT_NONE, map part of it read-write, release pages with
// MADV_DONTNEED, unmap. Failures other than a refused hint abort, as Go throws.
#pragma once

#include <cstddef>
#include <cstdint>

namespace goalloc::alloc {

// Reserves `size` bytes aligned to `align`, trying `hint` first (0: no hint). Never null.
uintptr_t SysReserve(uintptr_t hint, size_t size, size_t align);
// Makes [addr, addr+size) of a reservation readable and writable (zero-filled).
void SysMap(uintptr_t addr, size_t size);
// Returns the pages' memory to the OS; they read as zero when touched again.
void SysUnused(uintptr_t addr, size_t size);
void SysFree(uintptr_t addr, size_t size);
// Anonymous read-write memory for metadata (zeroed).
void* SysAllocMetadata(size_t size);
[[noreturn]] void Throw(const char* what);

}  // namespace goalloc::alloc
