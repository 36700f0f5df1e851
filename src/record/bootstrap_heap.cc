// See bootstrap_heap.h. Each block is preceded by a 16-byte header holding its size, so a
// later realloc of a bootstrap block can copy it into a real one.
#include "src/record/bootstrap_heap.h"

#include <atomic>
#include <cstdint>

namespace goalloc::record {
namespace {

constexpr size_t kBufferBytes = 64 * 1024;
constexpr size_t kHeader = 16;

alignas(4096) unsigned char g_buffer[kBufferBytes];
std::atomic<size_t> g_used{0};

}  // namespace

void* BootstrapAlloc(size_t size, size_t align) {
  if (align < kHeader) align = kHeader;
  size_t used = g_used.load(std::memory_order_relaxed);
  for (;;) {
    size_t start = (used + kHeader + align - 1) & ~(align - 1);
    if (size > kBufferBytes || start > kBufferBytes - size) return nullptr;
    if (g_used.compare_exchange_weak(used, start + size, std::memory_order_relaxed)) {
      *reinterpret_cast<size_t*>(g_buffer + start - kHeader) = size;
      return g_buffer + start;
    }
  }
}

bool IsBootstrapBlock(const void* p) {
  auto a = reinterpret_cast<uintptr_t>(p);
  auto b = reinterpret_cast<uintptr_t>(g_buffer);
  return a >= b && a < b + kBufferBytes;
}

size_t BootstrapBlockSize(const void* p) {
  return *reinterpret_cast<const size_t*>(static_cast<const unsigned char*>(p) - kHeader);
}

}  // namespace goalloc::record
