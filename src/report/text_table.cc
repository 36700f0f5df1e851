// An aligned text table (see text_table.h).
#include "src/report/text_table.h"

#include <fmt/core.h>

#include <algorithm>
#include <utility>

namespace goalloc::report {

size_t DisplayWidth(const std::string& s) {
  // Count bytes that do not continue a UTF-8 sequence.
  return size_t(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TextTable::TextTable(std::vector<Column> columns, size_t key_columns)
    : columns_(std::move(columns)), key_columns_(std::min(key_columns, columns_.size())) {}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void TextTable::AddRule() { rows_.emplace_back(); }

std::string TextTable::Render(int indent, size_t max_width) const {
  std::vector<size_t> width(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    width[c] = DisplayWidth(columns_[c].title);
    for (const auto& row : rows_) {
      if (!row.empty()) width[c] = std::max(width[c], DisplayWidth(row[c]));
    }
  }
  const std::string margin(size_t(indent), ' ');
  // Groups of columns: the key columns, then as many more as fit in max_width.
  size_t key_width = margin.size();
  for (size_t c = 0; c < key_columns_; ++c) key_width += width[c] + (c > 0 ? 2 : 0);
  std::string out;
  size_t next = key_columns_;
  do {
    std::vector<size_t> group;
    for (size_t c = 0; c < key_columns_; ++c) group.push_back(c);
    size_t used = key_width;
    while (next < columns_.size()) {
      size_t more = width[next] + (group.empty() ? 0 : 2);
      if (group.size() > key_columns_ && used + more > max_width) break;
      used += more;
      group.push_back(next++);
    }
    if (!out.empty()) out += '\n';
    out += RenderColumns(group, width, margin);
  } while (next < columns_.size());
  return out;
}

std::string TextTable::RenderColumns(const std::vector<size_t>& columns,
                                     const std::vector<size_t>& width,
                                     const std::string& margin) const {
  size_t total = 0;
  for (size_t c : columns) total += width[c];
  total += columns.empty() ? 0 : 2 * (columns.size() - 1);

  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text = margin;
    for (size_t i = 0; i < columns.size(); ++i) {
      const size_t c = columns[i];
      if (i > 0) text += "  ";
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

std::string WrapLine(const std::string& line, size_t max_width, size_t hanging_indent) {
  std::string out, current;
  size_t start = 0;
  while (start <= line.size()) {
    size_t end = line.find(' ', start);
    if (end == std::string::npos) end = line.size();
    std::string word = line.substr(start, end - start);
    if (!current.empty() && DisplayWidth(current) + 1 + DisplayWidth(word) > max_width &&
        DisplayWidth(current) > hanging_indent) {
      out += current + '\n';
      current = std::string(hanging_indent, ' ') + word;
    } else {
      current += (start == 0 ? "" : " ") + word;
    }
    start = end + 1;
  }
  return out + current + '\n';
}

std::string RenderKeyValues(const KeyValues& kv) {
  size_t width = 0;
  for (const auto& [k, v] : kv) width = std::max(width, DisplayWidth(k));
  std::string out;
  for (const auto& [k, v] : kv) {
    out += fmt::format("  {}{}  {}\n", k, std::string(width - DisplayWidth(k), ' '), v);
  }
  return out;
}

}  // namespace goalloc::report
