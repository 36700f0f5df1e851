// The HTML rendering of one replay's report (`--html FILE`; compare: html_compare.h): one
// self-contained page — inline CSS and SVG, no scripts, nothing fetched — with the charts of
// docs/html-report.md drawn from the same report model as the text and JSON, each followed by the
// table of its numbers.
#pragma once

#include <string>

#include "src/report/report_model.h"

namespace goalloc::report {

// One replay: timeline, byte accounting, span-class occupancy, large objects, locks.
std::string RenderHtml(const Report& report);

}  // namespace goalloc::report
