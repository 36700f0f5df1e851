// HTML tables for the report (see html_table.h).
#include "src/report/html_table.h"

#include <stdexcept>
#include <utility>

namespace goalloc::report {

HtmlTable::HtmlTable(std::vector<std::string> header, std::vector<bool> numeric)
    : header_(std::move(header)), numeric_(std::move(numeric)) {
  numeric_.resize(header_.size(), false);
}

void HtmlTable::AddRow(std::vector<HtmlCell> cells) {
  if (cells.size() != header_.size()) {
    throw std::invalid_argument("table row has " + std::to_string(cells.size()) + " cells for " +
                                std::to_string(header_.size()) + " columns");
  }
  rows_.push_back(std::move(cells));
}

svg::Element HtmlTable::Render() const {
  svg::Element wrap("div");
  wrap.Set("class", "table-wrap");
  svg::Element& table = wrap.Add("table");
  svg::Element& head = table.Add("thead").Add("tr");
  for (size_t i = 0; i < header_.size(); ++i) {
    svg::Element& th = head.Add("th").AddText(header_[i]);
    if (numeric_[i]) th.Set("class", "num");
  }
  svg::Element& body = table.Add("tbody");
  for (const auto& row : rows_) {
    svg::Element& tr = body.Add("tr");
    for (size_t i = 0; i < row.size(); ++i) {
      svg::Element& td = tr.Add("td").AddText(row[i].text);
      if (numeric_[i]) td.Set("class", "num");
      if (!row[i].title.empty()) td.Set("title", row[i].title);
    }
  }
  return wrap;
}

svg::Element HtmlTable::RenderFolded(const std::string& summary, bool open) const {
  svg::Element details("details");
  if (open) details.Set("open", "");
  details.Add("summary").AddText(summary);
  details.Add(Render());
  return details;
}

}  // namespace goalloc::report
