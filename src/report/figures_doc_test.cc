// docs/report.md documents every figure the reporter declares (figure.h) with the unit and
// the definition of its declaration, so the documentation cannot drift from the one place a
// figure is declared. (tests/report_e2e/report_doc_test.cc checks the other direction on real
// reports: every field written is documented, with its type.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "src/report/byte_accounting.h"
#include "src/report/fragmentation.h"
#include "src/report/heap_figures.h"

namespace goalloc::report {
namespace {

std::string Trim(const std::string& s) {
  size_t first = s.find_first_not_of(' '), last = s.find_last_not_of(' ');
  return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

struct DocRow {
  std::string unit, definition;
};

// The rows of docs/report.md's field tables, by field: `| `path` | type | unit | backends |
// varies | definition |`.
std::map<std::string, DocRow> DocRows() {
  const char* dir = std::getenv("TEST_SRCDIR");
  std::ifstream in(std::string(dir ? dir : ".") + "/goalloc_replay/docs/report.md");
  EXPECT_TRUE(in) << "docs/report.md not found";
  std::map<std::string, DocRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    // Five cells end at a '|'; the definition is the rest, without the closing " |".
    std::vector<std::string> cells;
    size_t start = 1;
    for (size_t end; cells.size() < 5 && (end = line.find('|', start)) != std::string::npos;
         start = end + 1) {
      cells.push_back(Trim(line.substr(start, end - start)));
    }
    cells.push_back(Trim(line.substr(start, line.rfind('|') - start)));
    if (cells.size() != 6) continue;
    rows[cells[0].substr(1, cells[0].size() - 2)] = {cells[2], cells[5]};
  }
  return rows;
}

template <class S, size_t N>
void ExpectDocumented(const std::map<std::string, DocRow>& doc, const std::string& prefix,
                      const std::array<Figure<S>, N>& figures) {
  for (const Figure<S>& f : figures) {
    const std::string path = prefix + std::string(f.key);
    auto row = doc.find(path);
    if (row == doc.end()) {
      ADD_FAILURE() << path << " is not in docs/report.md";
      continue;
    }
    EXPECT_EQ(row->second.unit, f.unit) << path;
    EXPECT_EQ(row->second.definition, f.definition) << path;
  }
}

TEST(FiguresDoc, EveryDeclaredFigureIsDocumentedAsDeclared) {
  const std::map<std::string, DocRow> doc = DocRows();
  ASSERT_GT(doc.size(), 150u);
  ExpectDocumented(doc, "heap.*.", kAccountingFigures);
  ExpectDocumented(doc, "heap.*.", kHeapCounterFigures);
  ExpectDocumented(doc, "size_classes.*[].", kSpanClassFigures);
  ExpectDocumented(doc, "large.", kLargeFigures);
  ExpectDocumented(doc, "tiny.", kTinyFigures);
  ExpectDocumented(doc, "fragmentation.", kFragmentationFigures);
  for (uint64_t ByteAccounting::*cause : kOverheadCauses) {
    const std::string key(AccountingFigure(cause).key);
    auto row = doc.find("fragmentation.causes_at_peak_live." + key);
    ASSERT_NE(row, doc.end()) << key;
    EXPECT_EQ(row->second.definition, "as `heap.*." + key + "`");
  }
}

// The identity's two sums are the declared parts: a part left out of either would break
// adds_up() or overhead() on a heap whose only bytes are in that part.
TEST(FiguresDoc, TheIdentityCoversEveryPart) {
  for (uint64_t ByteAccounting::*part : kHeldParts) {
    ByteAccounting a;
    a.sys = 4096;
    a.*part = 4096;
    EXPECT_TRUE(a.adds_up()) << AccountingFigure(part).key;
    EXPECT_EQ(a.overhead(), part == &ByteAccounting::requested ? 0u : 4096u)
        << AccountingFigure(part).key;
  }
  EXPECT_EQ(HeldPartsSum(false),
            "requested + rounding + tiny_waste + free_slots + tail_waste + idle");
}

}  // namespace
}  // namespace goalloc::report
