// An aligned text table: a header row, a rule, data rows, optional rule before a totals row.
// Widths are measured in code points (the reports use "µ", "×", "−"), text columns are
// left-aligned and number columns right-aligned. A table wider than the room it is given
// is split into several tables one under the other, each repeating the key columns (the
// row labels) and taking as many of the other columns, in order, as fit.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace goalloc::report {

class TextTable {
 public:
  enum class Align { kLeft, kRight };
  struct Column {
    std::string title;
    Align align = Align::kRight;
  };

  // The first `key_columns` columns label the rows: repeated when the table is split.
  explicit TextTable(std::vector<Column> columns, size_t key_columns = 1);

  // One cell per column (missing trailing cells are blank).
  void AddRow(std::vector<std::string> cells);
  // A horizontal rule before the next row (e.g. before totals).
  void AddRule();
  // Each line starts with `indent` spaces and ends with '\n'; lines are at most `max_width`
  // wide unless the key columns and one more are wider.
  std::string Render(int indent = 2, size_t max_width = std::numeric_limits<size_t>::max()) const;

 private:
  // The table restricted to `columns` (indices), with column widths `width`.
  std::string RenderColumns(const std::vector<size_t>& columns, const std::vector<size_t>& width,
                            const std::string& margin) const;

  std::vector<Column> columns_;
  size_t key_columns_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

// Display width of UTF-8 text, in code points.
size_t DisplayWidth(const std::string& s);

// Key-value lines: "  key  value", the values aligned after the widest key.
using KeyValues = std::vector<std::pair<std::string, std::string>>;
std::string RenderKeyValues(const KeyValues& kv);

// `line` broken at spaces into lines of at most `max_width` (a word longer than that stays
// whole), each continuation line starting with `hanging_indent` spaces; every line ends with
// '\n'.
std::string WrapLine(const std::string& line, size_t max_width, size_t hanging_indent);

}  // namespace goalloc::report
