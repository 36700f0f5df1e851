// `goalloc-replay sizeclasses [--json] [--size-classes FILE] [--compare FILE]`: prints a
// size-class table (Go's, src/alloc/sizeclasses.h, unless --size-classes names another):
// class, object size, span bytes and pages, objects per span, tail waste, max waste % and
// slot alignment (the columns of Go's sizeclasses.go comment), plus the scan-span capacity
// under Go 1.22+'s heap-bits reserve. The text form reads back with --size-classes (its
// notes are '#' comments). --compare FILE: Go's table and FILE's side by side.
#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "src/alloc/size_class_file.h"
#include "src/alloc/size_class_table.h"
#include "src/cli/commands.h"
#include "src/cli/size_classes_option.h"

namespace goalloc::cli {
namespace {

using alloc::MakeSpanClass;
using alloc::SizeClassTable;
using alloc::SpanClassInfo;

void PrintJson(const SizeClassTable& t, const std::string& name) {
  nlohmann::json classes = nlohmann::json::array();
  for (int c = 1; c < t.num_classes(); c++) {
    const SpanClassInfo& n = t.info(MakeSpanClass(c, true));
    const SpanClassInfo& s = t.info(MakeSpanClass(c, false));
    classes.push_back({{"class", c},
                       {"object_size", n.elemsize},
                       {"span_bytes", n.npages * alloc::kPageSize},
                       {"span_pages", n.npages},
                       {"objects", n.nelems},
                       {"tail_waste", n.tail},
                       {"max_waste_pct", t.MaxWastePercent(c)},
                       {"min_align", n.min_align},
                       {"scan_objects", s.nelems},
                       {"scan_tail_waste", s.tail}});
  }
  nlohmann::json out = {{"table", name},
                        {"page_size", alloc::kPageSize},
                        {"tiny_size", alloc::kTinySize},
                        {"max_small_size", t.max_small(true)},
                        {"span_classes", t.num_span_classes()},
                        {"classes", classes}};
  fmt::print("{}\n", out.dump(2));
}

// Row by row: object size, pages, objects per span, tail and max waste of each table.
void PrintCompare(const SizeClassTable& go, const SizeClassTable& t, const std::string& name) {
  fmt::print("# left: Go's table; right: {}\n", name);
  fmt::print("{:>5}  {:>9} {:>5} {:>7} {:>6} {:>9}  {:>9} {:>5} {:>7} {:>6} {:>9}\n", "class",
             "bytes/obj", "pages", "objects", "tail", "max_waste", "bytes/obj", "pages", "objects",
             "tail", "max_waste");
  auto cells = [](const SizeClassTable& tab, int c) {
    if (c >= tab.num_classes())
      return fmt::format("{:>9} {:>5} {:>7} {:>6} {:>9}", "", "", "", "", "");
    const SpanClassInfo& n = tab.info(MakeSpanClass(c, true));
    return fmt::format("{:>9} {:>5} {:>7} {:>6} {:>8.2f}%", n.elemsize, n.npages, n.nelems, n.tail,
                       tab.MaxWastePercent(c));
  };
  for (int c = 1; c < std::max(go.num_classes(), t.num_classes()); c++) {
    fmt::print("{:>5}  {}  {}\n", c, cells(go, c), cells(t, c));
  }
}

}  // namespace

void AddSizeClassesCommand(CLI::App& root, Commands& out) {
  auto* sub = root.add_subcommand("sizeclasses", "print the Go-style size-class table in use");
  auto json = std::make_shared<bool>(false);
  auto file = std::make_shared<std::string>();
  auto compare = std::make_shared<std::string>();
  sub->add_flag("--json", *json, "print JSON instead of a table");
  sub->add_option("--size-classes", *file, "the table in FILE instead of Go's")
      ->option_text("FILE");
  sub->add_option("--compare", *compare, "Go's table and FILE's side by side")->option_text("FILE");
  out.emplace_back(sub, [json, file, compare] {
    if (!compare->empty()) {
      if (*json || !file->empty())
        throw UsageError("--compare takes neither --json nor --size-classes");
      alloc::SizeClassFile f = LoadSizeClassesOption(*compare);
      PrintCompare(SizeClassTable::Go(), *f.table, f.Name());
      return 0;
    }
    alloc::SizeClassFile f;
    if (!file->empty()) f = LoadSizeClassesOption(*file);
    const SizeClassTable& t = f.table ? *f.table : SizeClassTable::Go();
    const std::string name = f.table ? f.Name() : "go";
    if (*json) {
      PrintJson(t, name);
    } else {
      fmt::print("{}", alloc::SizeClassFileText(t, "size classes: " + name));
    }
    return 0;
  });
}

}  // namespace goalloc::cli
