// The JSON rendering of a report (schema "goalloc-report/1"); every field is documented in
// docs/report.md, whose field table a test checks against this output. Keys keep the order
// of the documentation so the file reads top to bottom like the text report.
#pragma once

#include <nlohmann/json.hpp>

#include "src/report/compare_model.h"
#include "src/report/report_model.h"

namespace goalloc::report {

using Json = nlohmann::ordered_json;

Json ReportJson(const Report& report);
Json CompareJson(const CompareReport& compare);

}  // namespace goalloc::report
