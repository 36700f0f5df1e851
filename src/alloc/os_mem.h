// Thin wrappers over the Linux memory calls the heap uses (Go's mem_linux.go): reserve
// address space PROT_NONE, map part of it read-write, release pages with
// MADV_DONTNEED, unmap. Running out of address space or memory is reported to the caller
// (0, false or null, with errno set), so that the heap can fail an allocation the way
// malloc returns NULL; a failure that breaks an invariant (madvise) aborts, as Go throws.
#pragma once

#include <cstddef>
#include <cstdint>

namespace goalloc::alloc {

// Reserves `size` bytes aligned to `align`, trying `hint` first (0: no hint); 0 when the
// address space is exhausted.
uintptr_t SysReserve(uintptr_t hint, size_t size, size_t align);
// Makes [addr, addr+size) of a reservation readable and writable (zero-filled). False when
// the OS refuses the commit; the range is then reserved (PROT_NONE) as before.
bool SysMap(uintptr_t addr, size_t size);
// Returns mapped memory to the reserved state: PROT_NONE, no memory behind it (Go's
// sysFault).
void SysFault(uintptr_t addr, size_t size);
// Returns the pages' memory to the OS; they read as zero when touched again.
void SysUnused(uintptr_t addr, size_t size);
void SysFree(uintptr_t addr, size_t size);
// Anonymous read-write memory for metadata (zeroed); null when the OS refuses it.
void* SysAllocMetadata(size_t size);
[[noreturn]] void Throw(const char* what);

}  // namespace goalloc::alloc
