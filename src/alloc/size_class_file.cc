// LoadSizeClassFile: the text and JSON forms of size_class_file.h, errors naming the line.
#include "src/alloc/size_class_file.h"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <vector>

namespace goalloc::alloc {
namespace {

std::string Fnv1a64(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string f;
  while (in >> f) out.push_back(f);
  return out;
}

bool ParseCount(const std::string& s, uint32_t* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// Which column holds what; -1: absent. Pages may come as span bytes instead.
struct Columns {
  int cls = 0, size = 1, pages = 2, span_bytes = -1;
};

Columns FromHeader(const std::vector<std::string>& header) {
  Columns c{-1, -1, -1};
  for (int i = 0; i < int(header.size()); i++) {
    const std::string& h = header[size_t(i)];
    if (h == "class") c.cls = i;
    if (h == "bytes/obj" || h == "bytes_per_obj" || h == "bytes" || h == "object_size") c.size = i;
    if (h == "pages" || h == "span_pages") c.pages = i;
    if (h == "bytes/span" || h == "bytes_per_span" || h == "span_bytes") c.span_bytes = i;
  }
  return c;
}

// Rows of the text form, with the line number of each; throws with FILE:LINE.
std::vector<SizeClassRow> ParseText(const std::string& path, const std::string& text,
                                    std::vector<int>* line_of) {
  std::vector<SizeClassRow> rows;
  std::optional<Columns> cols;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  auto fail = [&](const std::string& why) {
    throw SizeClassFileError(fmt::format("{}:{}: {}", path, n, why));
  };
  while (std::getline(in, line)) {
    n++;
    if (std::any_of(line.begin(), line.end(), [](char ch) {
          return (ch >= 0 && ch < 32 && ch != '\t' && ch != '\r') || ch == 127;
        })) {
      fail("binary data: not a size-class table");
    }
    std::vector<std::string> f = Fields(line);
    if (f.empty() || f[0][0] == '#') continue;
    uint32_t first;
    if (!cols && !ParseCount(f[0], &first)) {
      cols = FromHeader(f);
      if (cols->size < 0) fail("header names no size column (bytes/obj, bytes or object_size)");
      continue;
    }
    if (!cols) cols = Columns{};
    auto column = [&](int i, const char* what) {
      uint32_t v = 0;
      if (i >= int(f.size())) fail(fmt::format("no {} column", what));
      if (!ParseCount(f[size_t(i)], &v)) {
        fail(fmt::format("{} '{}' is not a whole number", what, f[size_t(i)]));
      }
      return v;
    };
    if (cols->cls >= 0 && column(cols->cls, "class") != rows.size() + 1) {
      fail(
          fmt::format("class {} out of order: expected {}", f[size_t(cols->cls)], rows.size() + 1));
    }
    SizeClassRow r;
    r.size = column(cols->size, "size");
    if (cols->pages >= 0 && cols->pages < int(f.size())) {
      r.pages = column(cols->pages, "pages");
      if (r.pages == 0) fail("0 pages per span");
    } else if (cols->span_bytes >= 0) {
      uint32_t bytes = column(cols->span_bytes, "span bytes");
      if (bytes == 0 || bytes % kPageSize != 0) {
        fail(fmt::format("{} span bytes: not a whole number of {}-byte pages", bytes, kPageSize));
      }
      r.pages = bytes / uint32_t(kPageSize);
    }
    rows.push_back(r);
    line_of->push_back(n);
  }
  if (rows.empty())
    throw SizeClassFileError(fmt::format("{}:{}: no size classes", path, std::max(n, 1)));
  return rows;
}

std::vector<SizeClassRow> ParseJson(const std::string& path, const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    size_t line =
        1 + size_t(std::count(text.begin(), text.begin() + std::min(e.byte, text.size()), '\n'));
    throw SizeClassFileError(fmt::format("{}:{}: not JSON ({})", path, line, e.what()));
  }
  if (!j.is_object() || !j.contains("classes") || !j["classes"].is_array()) {
    throw SizeClassFileError(fmt::format("{}: no \"classes\" array", path));
  }
  std::vector<SizeClassRow> rows;
  for (size_t i = 0; i < j["classes"].size(); i++) {
    const nlohmann::json& c = j["classes"][i];
    auto field = [&](const char* name, bool required) -> uint32_t {
      if (!c.is_object() || !c.contains(name)) {
        if (!required) return 0;
        throw SizeClassFileError(fmt::format("{}: classes[{}]: no \"{}\"", path, i, name));
      }
      if (!c[name].is_number_unsigned() || c[name].get<uint64_t>() > UINT32_MAX ||
          (!required && c[name].get<uint64_t>() == 0)) {
        throw SizeClassFileError(
            fmt::format("{}: classes[{}]: \"{}\" is not a positive whole number", path, i, name));
      }
      return c[name].get<uint32_t>();
    };
    rows.push_back({field("object_size", true), field("span_pages", false)});
  }
  if (rows.empty()) throw SizeClassFileError(fmt::format("{}: no size classes", path));
  return rows;
}

}  // namespace

SizeClassFile ParseSizeClassFile(const std::string& path, const std::string& contents) {
  size_t first = contents.find_first_not_of(" \t\r\n");
  bool json = first != std::string::npos && contents[first] == '{';
  std::vector<int> line_of;
  std::vector<SizeClassRow> rows =
      json ? ParseJson(path, contents) : ParseText(path, contents, &line_of);
  SizeClassFile f;
  f.path = path;
  f.hash = Fnv1a64(contents);
  try {
    f.table = std::make_shared<const SizeClassTable>(SizeClassTable::FromRows(rows));
  } catch (const SizeClassError& e) {
    std::string where = path;
    if (e.row >= 0 && json) {
      where += fmt::format(": classes[{}]", e.row);
    } else if (e.row >= 0) {
      where += fmt::format(":{}", line_of[std::min(size_t(e.row), line_of.size() - 1)]);
    }
    throw SizeClassFileError(fmt::format("{}: {}", where, e.what()));
  }
  return f;
}

std::string SizeClassFileText(const SizeClassTable& t, const std::string& comment) {
  std::string out;
  std::istringstream lines(comment);
  for (std::string line; std::getline(lines, line);) out += "# " + line + "\n";
  out +=
      fmt::format("{:>5} {:>9} {:>10} {:>5} {:>7} {:>6} {:>9} {:>6} {:>9}\n", "class", "bytes/obj",
                  "bytes/span", "pages", "objects", "tail", "max_waste", "align", "scan_objs");
  for (int c = 1; c < t.num_classes(); c++) {
    const SpanClassInfo& n = t.info(MakeSpanClass(c, true));
    const SpanClassInfo& s = t.info(MakeSpanClass(c, false));
    out += fmt::format("{:>5} {:>9} {:>10} {:>5} {:>7} {:>6} {:>8.2f}% {:>6} {:>9}\n", c,
                       n.elemsize, n.npages * kPageSize, n.npages, n.nelems, n.tail,
                       t.MaxWastePercent(c), n.min_align, s.nelems);
  }
  out += fmt::format(
      "\n# {} span classes (each class scan and noscan); noscan objects up to {} B and scan "
      "objects up to {} B are small;\n# noscan objects under {} B use the tiny allocator; "
      "scan objects over {} B carry an {}-byte header;\n# scan spans of objects up to {} B "
      "reserve 1/64 of the span for heap bits.\n",
      t.num_span_classes(), t.max_small(true), t.max_small(false), kTinySize,
      kMinSizeForMallocHeader, kMallocHeaderSize, kMinSizeForMallocHeader);
  return out;
}

SizeClassFile LoadSizeClassFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw SizeClassFileError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return ParseSizeClassFile(path, s.str());
}

}  // namespace goalloc::alloc
