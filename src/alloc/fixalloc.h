// Go's fixalloc: a free-list allocator of fixed-size metadata blocks (span structs, tiny
// live-count arrays) carved from 16 KiB chunks mmapped from the OS. Not thread-safe: the
// mheap's are GUARDED_BY its lock. `mapped_bytes` is the metadata it holds from the OS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace goalloc::alloc {

class FixAlloc {
 public:
  static constexpr size_t kChunkBytes = 16 << 10;  // Go's _FixAllocChunk

  explicit FixAlloc(size_t size);
  ~FixAlloc();
  FixAlloc(const FixAlloc&) = delete;
  FixAlloc& operator=(const FixAlloc&) = delete;

  void* Alloc();  // zeroed; null when the OS refuses a new chunk
  void Free(void* p);
  size_t size() const { return size_; }
  uint64_t mapped_bytes() const { return chunks_.size() * kChunkBytes; }
  uint64_t in_use() const { return in_use_; }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  size_t size_;
  FreeBlock* free_ = nullptr;
  char* chunk_ = nullptr;
  size_t chunk_left_ = 0;
  uint64_t in_use_ = 0;
  std::vector<void*> chunks_;
};

}  // namespace goalloc::alloc
