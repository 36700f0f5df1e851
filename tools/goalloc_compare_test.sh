#!/usr/bin/env bash
# One test of goalloc_compare (goalloc_compare.bzl): `goalloc-replay compare` of one trace,
# gated against the baseline when there is one. Arguments: BINARY TRACE BASELINE|"" then
# compare's own options. The combined JSON and the Markdown summary go to the test's
# undeclared outputs (bazel-testlogs/…/test.outputs/), the JUnit file to the one Bazel
# reads (XML_OUTPUT_FILE), so the test's cases are the trace's columns.
set -euo pipefail
binary=$1 trace=$2 baseline=$3
shift 3
out=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
gate=()
[[ -z "$baseline" ]] || gate=(--baseline "$baseline" --baseline-partial)
exec "$binary" compare "$trace" "${gate[@]}" --quiet -j 1 --json "$out/report.json" \
  --summary "$out/summary.md" --junit "${XML_OUTPUT_FILE:-$out/junit.xml}" "$@"
