// Linux implementation of os_mem.h.
#include "src/alloc/os_mem.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace goalloc::alloc {

void Throw(const char* what) {
  std::fprintf(stderr, "goalloc: fatal: %s (errno %d: %s)\n", what, errno, std::strerror(errno));
  std::abort();
}

uintptr_t SysReserve(uintptr_t hint, size_t size, size_t align) {
  constexpr int kFlags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  if (hint != 0 && hint % align == 0) {
    void* p =
        mmap(reinterpret_cast<void*>(hint), size, PROT_NONE, kFlags | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != MAP_FAILED) {
      if (reinterpret_cast<uintptr_t>(p) == hint) return hint;
      munmap(p, size);  // an old kernel ignored the flag and placed it elsewhere
    }
  }
  // Over-reserve and trim to the alignment.
  void* p = mmap(nullptr, size + align, PROT_NONE, kFlags, -1, 0);
  if (p == MAP_FAILED) return 0;
  uintptr_t raw = reinterpret_cast<uintptr_t>(p);
  uintptr_t base = (raw + align - 1) & ~(uintptr_t(align) - 1);
  if (base > raw) munmap(p, base - raw);
  uintptr_t end = raw + size + align;
  if (end > base + size) munmap(reinterpret_cast<void*>(base + size), end - (base + size));
  return base;
}

bool SysMap(uintptr_t addr, size_t size) {
  void* p = mmap(reinterpret_cast<void*>(addr), size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (p != MAP_FAILED) return true;
  // Older kernels unmap the old range before they find that the commit fails: reserve it
  // again, so that nothing else can be placed inside the heap's reservation.
  const int err = errno;
  SysFault(addr, size);
  errno = err;
  return false;
}

void SysFault(uintptr_t addr, size_t size) {
  void* p = mmap(reinterpret_cast<void*>(addr), size, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
  if (p == MAP_FAILED) Throw("cannot return heap memory to its reservation");
}

void SysUnused(uintptr_t addr, size_t size) {
  if (madvise(reinterpret_cast<void*>(addr), size, MADV_DONTNEED) != 0) {
    Throw("madvise(MADV_DONTNEED) failed");
  }
}

void SysFree(uintptr_t addr, size_t size) { munmap(reinterpret_cast<void*>(addr), size); }

void* SysAllocMetadata(size_t size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

}  // namespace goalloc::alloc
