// The HTML tables under the report's charts: the numbers behind each picture, with a
// header row, numbers right-aligned, and optional hover text per cell (the exact figure
// behind a rounded one). Long tables (a timeline of a thousand samples) are folded into a
// <details> element the reader opens on demand.
#pragma once

#include <string>
#include <vector>

#include "src/report/svg/xml.h"

namespace goalloc::report {

struct HtmlCell {
  std::string text;
  std::string title;  // hover text; empty: none
  HtmlCell(std::string t = "", std::string hover = "")
      : text(std::move(t)), title(std::move(hover)) {}
  HtmlCell(const char* t) : text(t) {}
};

class HtmlTable {
 public:
  // `numeric[i]`: column i holds numbers (right-aligned, tabular digits).
  HtmlTable(std::vector<std::string> header, std::vector<bool> numeric);

  // Throws std::invalid_argument when the row has not one cell per column.
  void AddRow(std::vector<HtmlCell> cells);
  size_t rows() const { return rows_.size(); }

  // The table in a <div> that scrolls when the table is wider or longer than the page allows.
  svg::Element Render() const;
  // The table inside a <details> element summarised by `summary`; open when `open`.
  svg::Element RenderFolded(const std::string& summary, bool open) const;

 private:
  std::vector<std::string> header_;
  std::vector<bool> numeric_;
  std::vector<std::vector<HtmlCell>> rows_;
};

}  // namespace goalloc::report
