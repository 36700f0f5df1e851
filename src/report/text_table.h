// An aligned text table: a header row, a rule, data rows, optional rule before a totals row.
// Widths are measured in code points (the reports use "µ", "×", "−"), text columns are
// left-aligned and number columns right-aligned.
#pragma once

#include <string>
#include <vector>

namespace goalloc::report {

class TextTable {
 public:
  enum class Align { kLeft, kRight };
  struct Column {
    std::string title;
    Align align = Align::kRight;
  };

  explicit TextTable(std::vector<Column> columns);

  // One cell per column (missing trailing cells are blank).
  void AddRow(std::vector<std::string> cells);
  // A horizontal rule before the next row (e.g. before totals).
  void AddRule();
  // Each line starts with `indent` spaces and ends with '\n'.
  std::string Render(int indent = 2) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

// Display width of UTF-8 text, in code points.
size_t DisplayWidth(const std::string& s);

}  // namespace goalloc::report
