// What a CI system shows of a corpus comparison (docs/ci.md): `--summary FILE.md`, Markdown
// for a job summary or a pull-request comment (the verdict, the regressions and failed
// checks first, then one row per trace, failing traces first, ✓/✗ each), and `--junit
// FILE.xml`, one <testcase> per trace × column whose <failure> carries each regression line
// and failed check, in the JUnit format that CI systems read (tests/ci_e2e/junit.xsd).
#pragma once

#include <string>
#include <vector>

#include "src/report/corpus_report.h"
#include "src/report/gate.h"

namespace goalloc::report {

// `baseline`: the baseline's path, empty when the run was not compared with one.
std::string RenderMarkdownSummary(const CorpusReport& corpus, const std::vector<GateCase>& cases,
                                  const std::vector<Regression>& regressions,
                                  const std::string& baseline);

std::string RenderJUnit(const std::vector<GateCase>& cases);

}  // namespace goalloc::report
