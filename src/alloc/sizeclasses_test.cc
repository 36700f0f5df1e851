// Checks the size-class table against Go's (testdata/go-sizeclasses.tsv, copied from the
// shared reference so the test is hermetic), and the lookup rules of msize.go.
#include "src/alloc/sizeclasses.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "src/alloc/size_class_table.h"

namespace goalloc::alloc {
namespace {

const SizeClassTable& go = SizeClassTable::Go();

TEST(SizeClasses, MatchGoTable) {
  std::ifstream in("src/alloc/testdata/go-sizeclasses.tsv");
  ASSERT_TRUE(in) << "missing testdata";
  std::string line;
  std::getline(in, line);  // header
  int rows = 0;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    int cls;
    uint32_t size, span, objects, tail, align;
    double waste;
    f >> cls >> size >> span >> objects >> tail >> waste >> align;
    ASSERT_TRUE(f) << line;
    const SpanClassInfo& i = go.info(MakeSpanClass(cls, true));
    EXPECT_EQ(i.elemsize, size) << "class " << cls;
    EXPECT_EQ(i.npages * kPageSize, span) << "class " << cls;
    EXPECT_EQ(i.nelems, objects) << "class " << cls;
    EXPECT_EQ(i.tail, tail) << "class " << cls;
    EXPECT_EQ(i.min_align, align) << "class " << cls;
    EXPECT_NEAR(go.MaxWastePercent(cls), waste, 0.006) << "class " << cls;
    rows++;
  }
  EXPECT_EQ(rows, kNumSizeClasses - 1);
}

TEST(SizeClasses, LookupIsSmallestFittingClass) {
  for (uint32_t n = 1; n <= kMaxSmallSize; n++) {
    int c = go.SizeToClass(n);
    ASSERT_GE(kClassToSize[c], n) << n;
    ASSERT_LT(kClassToSize[c - 1], n) << n;
  }
}

TEST(SizeClasses, ScanRulesOfGo122) {
  // Scan spans of small objects reserve span/64 bytes for heap bits.
  EXPECT_EQ(go.info(MakeSpanClass(1, false)).nelems, 1008u);
  EXPECT_EQ(go.info(MakeSpanClass(1, true)).nelems, 1024u);
  EXPECT_EQ(go.info(MakeSpanClass(27, false)).nelems, 14u);  // 576 B: header, no bits
  // Scan objects over 512 B carry an 8-byte header.
  EXPECT_EQ(go.SmallSpanClass(512, false), MakeSpanClass(26, false));
  EXPECT_EQ(go.SmallSpanClass(1024, false), MakeSpanClass(33, false));
  EXPECT_EQ(go.SmallSpanClass(1024, true), MakeSpanClass(32, true));
  EXPECT_EQ(go.SmallSpanClass(kMaxSmallAlloc, false), MakeSpanClass(67, false));
}

TEST(SizeClasses, DivMulIsExact) {
  for (int sc = 2; sc < kNumSpanClasses; sc++) {
    const SpanClassInfo& i = go.info(SpanClass(sc));
    for (uint32_t off = 0; off < i.nelems * i.elemsize; off++) {
      ASSERT_EQ((uint64_t(off) * i.div_mul) >> 32, off / i.elemsize) << sc << " " << off;
    }
  }
}

}  // namespace
}  // namespace goalloc::alloc
