// The noop backend's placement: objects that fit go in the ring, in order and aligned, the
// ring wraps when the next one does not fit, and the rest go to the big region.
#include "src/replay/noop_backend.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace goalloc::replay {
namespace {

uintptr_t Addr(const void* p) { return reinterpret_cast<uintptr_t>(p); }

TEST(NoopBackend, BumpsThroughTheRingAndWraps) {
  NoopBackend b(1, NoopBackend::kRing, 16);
  NoopBackend::Context c = b.ContextFor(0);
  const uintptr_t ring = Addr(b.Malloc(c, 100, false));
  EXPECT_EQ(ring % NoopBackend::kRingAlign, 0u);
  EXPECT_EQ(Addr(b.Malloc(c, 1, false)), ring + 112);  // 100 rounded up to 16
  EXPECT_EQ(Addr(b.Calloc(c, 16, false)), ring + 128);
  // Exactly filling the ring still fits; one byte more wraps to its start.
  EXPECT_EQ(Addr(b.Malloc(c, NoopBackend::kRing - 144, false)), ring + 144);
  EXPECT_EQ(Addr(b.Malloc(c, 1, false)), ring);
  EXPECT_EQ(Addr(b.Malloc(c, NoopBackend::kRing, false)), ring);  // the whole ring, wrapped
}

TEST(NoopBackend, AlignsWithinTheRingUpToAPage) {
  NoopBackend b(1, NoopBackend::kRing, NoopBackend::kRingAlign);
  NoopBackend::Context c = b.ContextFor(0);
  const uintptr_t ring = Addr(b.Malloc(c, 1, false));
  for (uint64_t align : {16u, 64u, 256u, 4096u}) {
    SCOPED_TRACE(align);
    const uintptr_t p = Addr(b.AlignedAlloc(c, 24, align, false));
    EXPECT_EQ(p % align, 0u);
    EXPECT_GE(p, ring);
    EXPECT_LE(p + 24, ring + NoopBackend::kRing);
  }
}

TEST(NoopBackend, ObjectsThatCannotFitGoToTheBigRegion) {
  constexpr uint64_t kMaxAlign = 1 << 16;
  NoopBackend b(2, 3 * NoopBackend::kRing, kMaxAlign);
  NoopBackend::Context c = b.ContextFor(1);
  const uintptr_t ring = Addr(b.Malloc(c, 8, false));
  const uintptr_t big = Addr(b.Malloc(c, NoopBackend::kRing + 1, false));
  EXPECT_TRUE(big + NoopBackend::kRing + 1 <= ring || big >= ring + NoopBackend::kRing);
  EXPECT_EQ(big % kMaxAlign, 0u);
  EXPECT_EQ(Addr(b.AlignedAlloc(c, 8, kMaxAlign, false)), big);  // over a page of alignment
  EXPECT_EQ(Addr(b.Realloc(c, nullptr, 0, 3 * NoopBackend::kRing, false)), big);
  // The big one did not move the ring's cursor.
  EXPECT_EQ(Addr(b.Malloc(c, 8, false)), ring + 16);
  // Each thread has its own ring and region.
  NoopBackend::Context other = b.ContextFor(0);
  EXPECT_NE(Addr(b.Malloc(other, 8, false)), ring);
  EXPECT_NE(Addr(b.Malloc(other, NoopBackend::kRing + 1, false)), big);
}

}  // namespace
}  // namespace goalloc::replay
