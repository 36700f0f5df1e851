// FixAlloc: bump allocation in 16 KiB chunks, reuse through a free list.
#include "src/alloc/fixalloc.h"

#include <cstring>

#include "src/alloc/os_mem.h"

namespace goalloc::alloc {

FixAlloc::FixAlloc(size_t size) : size_((size + 15) & ~size_t{15}) {}

FixAlloc::~FixAlloc() {
  for (void* c : chunks_) SysFree(reinterpret_cast<uintptr_t>(c), kChunkBytes);
}

void* FixAlloc::Alloc() {
  if (free_ != nullptr) {
    in_use_++;
    void* p = free_;
    free_ = free_->next;
    std::memset(p, 0, size_);
    return p;
  }
  if (chunk_left_ < size_) {
    void* chunk = SysAllocMetadata(kChunkBytes);
    if (chunk == nullptr) return nullptr;
    chunk_ = static_cast<char*>(chunk);
    chunks_.push_back(chunk_);
    chunk_left_ = kChunkBytes;
  }
  in_use_++;
  void* p = chunk_;  // fresh chunk memory is already zero
  chunk_ += size_;
  chunk_left_ -= size_;
  return p;
}

void FixAlloc::Free(void* p) {
  in_use_--;
  auto* b = static_cast<FreeBlock*>(p);
  b->next = free_;
  free_ = b;
}

}  // namespace goalloc::alloc
