// SizeClassTable's rules and derivation, the file forms, and a heap on a run-time table.
#include "src/alloc/size_class_table.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "src/alloc/heap.h"
#include "src/alloc/size_class_file.h"

namespace goalloc::alloc {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The message of parsing `text` as FILE t.tsv; "" when it parses.
std::string ErrorOf(const std::string& text) {
  try {
    ParseSizeClassFile("t.tsv", text);
  } catch (const SizeClassFileError& e) {
    return e.what();
  }
  return "";
}

TEST(SizeClassTable, GoTableFromItsTsvEqualsTheBuiltIn) {
  SizeClassFile f = ParseSizeClassFile("go.tsv", ReadFile("src/alloc/testdata/go-sizeclasses.tsv"));
  // The TSV gives span bytes instead of pages.
  EXPECT_TRUE(*f.table == SizeClassTable::Go());
  EXPECT_EQ(f.hash.size(), 16u);
}

TEST(SizeClassTable, PagesByGoRule) {
  EXPECT_EQ(PagesByGoRule(24), 1u);     // tail 8
  EXPECT_EQ(PagesByGoRule(112), 1u);    // tail 16
  EXPECT_EQ(PagesByGoRule(1408), 2u);   // 1 page: tail 1152 > 1024; 2: 896
  EXPECT_EQ(PagesByGoRule(9472), 5u);   // 5 pages: tail 3072 <= 5120 (Go's 7: see the header)
  EXPECT_EQ(PagesByGoRule(32768), 4u);  // no tail
}

TEST(SizeClassTable, HeaderlessRowsAndPages) {
  SizeClassFile f = ParseSizeClassFile("t", "# a comment\n1 8\n2 16 1\n3 112\n\n4 4096 2\n");
  const SizeClassTable& t = *f.table;
  ASSERT_EQ(t.num_classes(), 5);
  EXPECT_EQ(t.class_size(3), 112u);
  EXPECT_EQ(t.class_pages(3), 1u);  // 8192 % 112 = 16 <= 1024
  EXPECT_EQ(t.class_pages(4), 2u);
  EXPECT_EQ(t.SizeToClass(17), 3);
  EXPECT_EQ(t.SizeToClass(113), 4);
  EXPECT_EQ(t.max_small(true), 4096u);
  EXPECT_EQ(t.max_small(false), 4088u);  // the 8-byte header must fit
  EXPECT_EQ(t.info(MakeSpanClass(3, true)).nelems, 73u);
}

TEST(SizeClassTable, JsonForm) {
  SizeClassFile f = ParseSizeClassFile(
      "t.json", R"({"classes": [{"object_size": 8}, {"object_size": 16, "span_pages": 1},
                                {"object_size": 2048, "span_pages": 3}]})");
  EXPECT_EQ(f.table->class_pages(3), 3u);
  EXPECT_EQ(f.table->info(MakeSpanClass(3, true)).tail, 0u);
  EXPECT_EQ(ErrorOf(R"({"classes": [{"object_size": 8}, {"object_size": 20}]})"),
            "t.tsv: classes[1]: class 2 is 20 B; it must be 16 B, the tiny allocator's block");
  EXPECT_EQ(ErrorOf("{\"classes\": [\n{\"object_size\": 8},\n}"),
            ErrorOf("{\"classes\": [\n{\"object_size\": 8},\n}"));  // deterministic
  EXPECT_NE(ErrorOf("{\"classes\": [\n{\"object_size\": 8},\n}").find("t.tsv:3: not JSON"),
            std::string::npos);
}

TEST(SizeClassTable, EveryMalformedTableNamesItsLine) {
  const std::string head = "class bytes/obj pages\n1 8 1\n2 16 1\n";
  EXPECT_EQ(ErrorOf(head + "3 48 1\n4 32 1\n"),
            "t.tsv:5: 32 B is not larger than the class before it (48 B): sizes must ascend");
  EXPECT_EQ(ErrorOf(head + "3 40 1\n"),
            "t.tsv:4: 40 B is not a multiple of 16 (sizes are multiples of 8, of 16 from 32 B, "
            "of 128 above 1024 B)");
  EXPECT_EQ(ErrorOf(head + "3 1088 1\n"),
            "t.tsv:4: 1088 B is not a multiple of 128 (sizes are multiples of 8, of 16 from 32 "
            "B, of 128 above 1024 B)");
  EXPECT_EQ(ErrorOf(head + "3 20 1\n"),
            "t.tsv:4: 20 B is not a multiple of 8 (sizes are multiples of 8, of 16 from 32 B, "
            "of 128 above 1024 B)");
  EXPECT_EQ(ErrorOf(head + "3 64 0\n"), "t.tsv:4: 0 pages per span");
  EXPECT_EQ(ErrorOf(head + "3 64 33\n"), "t.tsv:4: 33 pages per span: must be 1 to 32");
  EXPECT_EQ(ErrorOf(head + "3 32896 4\n"), "t.tsv:4: 32896 B is over the largest, 32768 B");
  EXPECT_EQ(ErrorOf("class bytes/obj pages\n1 8 2\n"),
            "t.tsv:2: 2 pages per span hold 2048 objects of 8 B, over 1024");
  EXPECT_EQ(ErrorOf(head + "3 x 1\n"), "t.tsv:4: size 'x' is not a whole number");
  EXPECT_EQ(ErrorOf(head + "5 64 1\n"), "t.tsv:4: class 5 out of order: expected 3");
  EXPECT_EQ(ErrorOf("1 16\n"), "t.tsv:1: class 1 is 16 B; it must be 8 B, as Go's");
  EXPECT_EQ(ErrorOf(""), "t.tsv:1: no size classes");
  EXPECT_EQ(ErrorOf("# only a comment\n\n"), "t.tsv:2: no size classes");
  EXPECT_EQ(ErrorOf("1 8\n2 16\n\x7f"
                    "ELF\x02\x01\x01\0\0\n"),
            "t.tsv:3: binary data: not a size-class table");
  std::string many = "1 8\n2 16\n";
  for (int c = 3; c <= 128; c++) many += fmt::format("{} {}\n", c, 16 * c);
  EXPECT_EQ(ErrorOf(many), "t.tsv:128: 128 classes: at most 127 (a span class is one byte)");
}

TEST(SizeClassTable, HeapAllocatesFromARunTimeTable) {
  HeapConfig config;
  config.size_classes = ParseSizeClassFile("t", "1 8\n2 16\n3 112\n4 2048\n").table;
  Heap heap(config);
  MCache* c = heap.NewMCache();
  void* a = heap.Malloc(c, 100, true);
  void* b = heap.Malloc(c, 17, true);
  void* big = heap.Malloc(c, 2049, true);  // past the largest class: a large span
  EXPECT_EQ(heap.UsableSize(a), 112u);
  EXPECT_EQ(heap.UsableSize(b), 112u);
  EXPECT_EQ(heap.UsableSize(big), kPageSize);
  EXPECT_EQ(heap.Verify(), "");
  HeapStats st = heap.ReadStats();
  EXPECT_EQ(st.rounding, 12u + 95u + (kPageSize - 2049));
  heap.Free(c, a, 100);
  heap.Free(c, b, 17);
  heap.Free(c, big, 2049);
  EXPECT_EQ(heap.Verify(), "");
  heap.ReleaseMCache(c);
}

}  // namespace
}  // namespace goalloc::alloc
