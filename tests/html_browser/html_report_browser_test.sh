#!/usr/bin/env bash
# Browser test of the HTML report (issue 7, docs/html-report.md): replays a sample trace
# (sim mode, so the charts are deterministic) and compares it on go and glibc, writes both
# HTML reports with the real binary, opens each in headless Chromium, and checks that
#   - the page renders: a 1280 px wide screenshot is taken (kept in the test's outputs);
#   - the browser's DOM holds the expected charts: the number of <svg class="chart">
#     elements and each figure by name;
#   - the browser logged nothing on the page's console (an invalid SVG attribute, e.g. a
#     negative width or NaN, is logged there as an error).
# Usage: html_report_browser_test.sh GOALLOC_REPLAY TRACE
set -euo pipefail

bin=$1
trace=$2
chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
  echo "FAIL: $chromium not found; scripts/setup installs Debian's chromium" >&2
  exit 1
fi
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/html-browser.XXXXXX")
out=${TEST_UNDECLARED_OUTPUTS_DIR:-$work}
export HOME=$work/home  # Chromium writes its caches and crash dumps under HOME
mkdir -p "$HOME"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Runs Chromium on one page with a fresh profile; stderr (its log) goes to $log.
browse() {
  local name=$1 log=$2
  shift 2
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-dev-shm-usage --no-first-run --disable-extensions --mute-audio \
    --user-data-dir="$work/profile-$name" --enable-logging=stderr --v=0 "$@" 2>"$log"
}

# check_page NAME FILE EXPECTED_SVG_COUNT CHART...
check_page() {
  local name=$1 file=$2 svgs=$3
  shift 3
  local url="file://$file"
  if ! browse "$name-shot" "$work/$name.shot.log" --window-size=1280,6000 --hide-scrollbars \
    --screenshot="$out/$name.png" "$url" >/dev/null; then
    fail "$name: chromium could not take a screenshot"
    cat "$work/$name.shot.log" >&2
  elif [[ ! -s $out/$name.png ]]; then
    fail "$name: no screenshot"
  else
    # The width is bytes 16..19 of the PNG (IHDR), big-endian.
    local width
    width=$(od -An -tu1 -j16 -N4 "$out/$name.png" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
    [[ $width == 1280 ]] || fail "$name: screenshot is $width px wide, not 1280"
    echo "$name: screenshot $out/$name.png ($(stat -c %s "$out/$name.png") bytes)"
  fi

  if ! browse "$name-dom" "$work/$name.dom.log" --dump-dom "$url" >"$work/$name.dom"; then
    fail "$name: chromium could not load the page"
    cat "$work/$name.dom.log" >&2
    return
  fi
  local count
  count=$(grep -o '<svg [^>]*class="chart"' "$work/$name.dom" | wc -l || true)
  [[ $count == "$svgs" ]] || fail "$name: $count charts in the page, expected $svgs"
  for chart in "$@"; do
    grep -q "data-chart=\"$chart\"" "$work/$name.dom" || fail "$name: no '$chart' chart"
  done
  # Every figure comes with the table of its numbers.
  local tables figures
  tables=$(grep -o '<table>' "$work/$name.dom" | wc -l || true)
  figures=$(grep -o '<figure' "$work/$name.dom" | wc -l || true)
  ((tables >= figures)) || fail "$name: $tables tables for $figures figures"
  if grep -E 'CONSOLE|Uncaught' "$work/$name.shot.log" "$work/$name.dom.log" >&2; then
    fail "$name: the page logged console messages (above)"
  fi
  echo "$name: $count charts in $figures figures, $tables tables checked"
}

"$bin" replay "$trace" --mode sim --timeline 300 --quiet --html "$work/replay.html" >/dev/null
"$bin" compare "$trace" --allocators go,glibc --timeline 300 --quiet \
  --html "$work/compare.html" >/dev/null
cp "$work/replay.html" "$work/compare.html" "$out/" 2>/dev/null || true

check_page replay "$work/replay.html" 4 timeline accounting span-classes-noscan span-classes-scan
check_page compare "$work/compare.html" 6 compare-footprint compare-fragmentation compare-heap-inuse

if ((failures > 0)); then
  echo "$failures check(s) failed; pages and screenshots in $out" >&2
  exit 1
fi
echo "PASS"
