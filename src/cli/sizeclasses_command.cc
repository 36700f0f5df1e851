// `goalloc-replay sizeclasses [--json]`: prints the Go size-class table the allocator uses
// (src/alloc/sizeclasses.h): class, object size, span bytes and pages, objects per span,
// tail waste, max waste % and slot alignment (the columns of Go's sizeclasses.go comment),
// plus the scan-span capacity under Go 1.22+'s heap-bits reserve.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "src/alloc/sizeclasses.h"
#include "src/cli/commands.h"

namespace goalloc::cli {
namespace {

int RunSizeClasses(bool json) {
  using namespace goalloc::alloc;
  if (json) {
    nlohmann::json classes = nlohmann::json::array();
    for (int c = 1; c < kNumSizeClasses; c++) {
      const SpanClassInfo& n = kSpanClassInfo[MakeSpanClass(c, true)];
      const SpanClassInfo& s = kSpanClassInfo[MakeSpanClass(c, false)];
      classes.push_back({{"class", c},
                         {"object_size", n.elemsize},
                         {"span_bytes", n.npages * kPageSize},
                         {"span_pages", n.npages},
                         {"objects", n.nelems},
                         {"tail_waste", n.tail},
                         {"max_waste_pct", MaxWastePercent(c)},
                         {"min_align", n.min_align},
                         {"scan_objects", s.nelems},
                         {"scan_tail_waste", s.tail}});
    }
    nlohmann::json out = {{"page_size", kPageSize},
                          {"tiny_size", kTinySize},
                          {"max_small_size", kMaxSmallAlloc},
                          {"span_classes", kNumSpanClasses},
                          {"classes", classes}};
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("{:>5} {:>9} {:>10} {:>5} {:>7} {:>6} {:>9} {:>6} {:>9}\n", "class", "bytes/obj",
             "bytes/span", "pages", "objects", "tail", "max waste", "align", "scan objs");
  for (int c = 1; c < kNumSizeClasses; c++) {
    const SpanClassInfo& n = kSpanClassInfo[MakeSpanClass(c, true)];
    const SpanClassInfo& s = kSpanClassInfo[MakeSpanClass(c, false)];
    fmt::print("{:>5} {:>9} {:>10} {:>5} {:>7} {:>6} {:>8.2f}% {:>6} {:>9}\n", c, n.elemsize,
               n.npages * kPageSize, n.npages, n.nelems, n.tail, MaxWastePercent(c), n.min_align,
               s.nelems);
  }
  fmt::print(
      "\n{} span classes (each class scan and noscan); objects up to {} B are small; "
      "noscan objects under {} B use the tiny allocator; scan objects over {} B carry "
      "an {}-byte header; scan spans of objects up to {} B reserve 1/64 of the span "
      "for heap bits.\n",
      kNumSpanClasses, kMaxSmallAlloc, kTinySize, kMinSizeForMallocHeader, kMallocHeaderSize,
      kMinSizeForMallocHeader);
  return 0;
}

}  // namespace

void AddSizeClassesCommand(CLI::App& root, Commands& out) {
  auto* sub = root.add_subcommand("sizeclasses", "print the Go-style size-class table in use");
  auto json = std::make_shared<bool>(false);
  sub->add_flag("--json", *json, "print JSON instead of a table");
  out.emplace_back(sub, [json] { return RunSizeClasses(*json); });
}

}  // namespace goalloc::cli
