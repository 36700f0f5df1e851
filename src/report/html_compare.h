// The HTML rendering of a comparison (`compare --html FILE`): one self-contained page with
// the footprint over time of every run on one chart, the four fragmentation measures side by
// side, and the compare table with each figure's ratio to glibc.
#pragma once

#include <string>
#include <string_view>

#include "src/report/compare_model.h"
#include "src/report/html_page.h"

namespace goalloc::report {

std::string RenderCompareHtml(const CompareReport& compare);

// The page's sections (footprint over time, fragmentation) added to `page`, their anchors
// prefixed with `id_prefix` and headings with `heading_prefix`: one trace of a corpus page.
void AddCompareSections(HtmlPage& page, const CompareReport& compare, std::string_view id_prefix,
                        std::string_view heading_prefix);

}  // namespace goalloc::report
