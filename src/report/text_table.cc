// An aligned text table (see text_table.h).
#include "src/report/text_table.h"

#include <algorithm>
#include <utility>

namespace goalloc::report {

size_t DisplayWidth(const std::string& s) {
  // Count bytes that do not continue a UTF-8 sequence.
  return size_t(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void TextTable::AddRule() { rows_.emplace_back(); }

std::string TextTable::Render(int indent) const {
  std::vector<size_t> width(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    width[c] = DisplayWidth(columns_[c].title);
    for (const auto& row : rows_) {
      if (!row.empty()) width[c] = std::max(width[c], DisplayWidth(row[c]));
    }
  }
  size_t total = 0;
  for (size_t w : width) total += w;
  total += columns_.empty() ? 0 : 2 * (columns_.size() - 1);

  const std::string margin(size_t(indent), ' ');
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text = margin;
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) text += "  ";
      std::string pad(width[c] - DisplayWidth(cells[c]), ' ');
      text += columns_[c].align == Align::kLeft ? cells[c] + pad : pad + cells[c];
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + '\n';
  };
  auto rule = [&] {
    std::string text = margin;
    for (size_t i = 0; i < total; ++i) text += "─";
    out += text + '\n';
  };

  std::vector<std::string> titles;
  for (const auto& col : columns_) titles.push_back(col.title);
  line(titles);
  rule();
  for (const auto& row : rows_) {
    if (row.empty()) {
      rule();
    } else {
      line(row);
    }
  }
  return out;
}

}  // namespace goalloc::report
