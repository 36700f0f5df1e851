// Verify must notice corruption: each case breaks one structure of a consistent heap and
// expects Verify to name it, then repairs it and expects a clean bill again.
#include <gtest/gtest.h>

#include "src/alloc/mheap.h"

namespace goalloc::alloc {
namespace {

class VerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c = heap.NewMCache();
    for (int i = 0; i < 10; i++) objs[i] = c->Malloc(64, true);
    large = c->Malloc(100000, true);
    ASSERT_EQ(heap.Verify(), "");
  }
  void TearDown() override { heap.ReleaseMCache(c); }

  MHeap heap{HeapConfig{}};
  MCache* c = nullptr;
  void* objs[10] = {};
  void* large = nullptr;
};

TEST_F(VerifyTest, NoticesAllocBitCountMismatch) {
  MSpan* s = heap.index().SpanOf(reinterpret_cast<uintptr_t>(objs[0]));
  s->alloc_bits[0] ^= uint64_t{1} << 20;  // slot 20 is free: now "allocated"
  EXPECT_NE(heap.Verify().find("allocCount"), std::string::npos) << heap.Verify();
  s->alloc_bits[0] ^= uint64_t{1} << 20;
  EXPECT_EQ(heap.Verify(), "");
}

TEST_F(VerifyTest, NoticesHotSpanNotItsRange) {
  c->Free(objs[9], 64);  // a same-P free: its span becomes the hot span
  ASSERT_EQ(c->hot_span, heap.index().SpanOf(reinterpret_cast<uintptr_t>(objs[0])));
  c->hot_bytes += kPageSize;
  EXPECT_NE(heap.Verify().find("hot span"), std::string::npos) << heap.Verify();
  c->hot_bytes -= kPageSize;
  EXPECT_EQ(heap.Verify(), "");
}

TEST_F(VerifyTest, NoticesPostedFreeOfAFreeSlot) {
  MSpan* s = heap.index().SpanOf(reinterpret_cast<uintptr_t>(objs[0]));
  s->remote.fetch_add(1);
  s->free_bits[0].fetch_or(uint64_t{1} << 30);
  EXPECT_NE(heap.Verify(), "");
  s->free_bits[0].store(0);
  s->remote.fetch_sub(1);
  EXPECT_EQ(heap.Verify(), "");
}

TEST_F(VerifyTest, NoticesRemoteFreeWordDisagreeing) {
  MSpan* s = heap.index().SpanOf(reinterpret_cast<uintptr_t>(objs[0]));
  s->remote.store(RemoteState::Listed(10));  // a cached span open as if listed
  EXPECT_NE(heap.Verify().find("remote-free state"), std::string::npos) << heap.Verify();
  s->remote.store(RemoteState::kCached + 1);  // a post counted without its bit
  EXPECT_NE(heap.Verify().find("remote frees counted"), std::string::npos) << heap.Verify();
  s->remote.store(RemoteState::kCached);
  EXPECT_EQ(heap.Verify(), "");
  // A listed span whose live count disagrees with its slots.
  MCache* other = heap.NewMCache();
  c->ReleaseAll();
  s->remote.fetch_sub(RemoteState::kLiveOne);
  EXPECT_NE(heap.Verify().find("live slots counted"), std::string::npos) << heap.Verify();
  s->remote.fetch_add(RemoteState::kLiveOne);
  other->Free(objs[9], 64);  // posted: 10 live, no transition
  EXPECT_EQ(s->PendingFrees(), 1u);
  EXPECT_EQ(heap.Verify(), "");
  objs[9] = other->Malloc(64, true);  // takes the span back, folding the post
  EXPECT_EQ(s->PendingFrees(), 0u);
  EXPECT_EQ(heap.Verify(), "");
  other->Free(objs[9], 64);
  objs[9] = c->Malloc(64, true);
  heap.ReleaseMCache(other);
  EXPECT_EQ(heap.Verify(), "");
}

TEST_F(VerifyTest, NoticesPageBitmapAndSpanDisagreeing) {
  uintptr_t p = reinterpret_cast<uintptr_t>(large);
  HeapArena* a = heap.index().ArenaOf(p);
  uintptr_t page = (p - a->base) / kPageSize;
  uint64_t& word = a->alloc[page / kChunkPages][page % kChunkPages / 64];
  uint64_t bit = uint64_t{1} << (page % 64);
  word &= ~bit;  // the large span's first page now looks free
  EXPECT_NE(heap.Verify(), "");
  word |= bit;
  EXPECT_EQ(heap.Verify(), "");
}

TEST_F(VerifyTest, NoticesCountersDisagreeingWithSpans) {
  c->counters.cls[MakeSpanClass(6, true)].mallocs++;
  EXPECT_NE(heap.Verify().find("mallocs-frees"), std::string::npos) << heap.Verify();
  c->counters.cls[MakeSpanClass(6, true)].mallocs--;
  EXPECT_EQ(heap.Verify(), "");
}

}  // namespace
}  // namespace goalloc::alloc
