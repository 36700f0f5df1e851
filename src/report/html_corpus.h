// The HTML rendering of a corpus comparison (`compare TRACE… --html FILE`): one page with
// the failed checks, the summary table (one row per trace, as in the text report), then
// each trace's footprint and fragmentation sections (html_compare.h), anchored by position.
#pragma once

#include <string>

#include "src/report/corpus_report.h"

namespace goalloc::report {

std::string RenderCorpusHtml(const CorpusReport& corpus);

}  // namespace goalloc::report
