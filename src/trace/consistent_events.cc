// See consistent_events.h.
#include "src/trace/consistent_events.h"

#include <fmt/core.h>

#include <cstdio>

#include "src/trace/trace_error.h"

namespace goalloc::trace {

ConsistentEvents::ConsistentEvents(std::string path, Options options)
    : path_(std::move(path)), options_(std::move(options)) {}

LiveObjects::Applied ConsistentEvents::Apply(const Event& e) {
  const uint64_t index = events_++;
  const LiveObjects::Applied a = live_.Apply(e, index);
  if (a.consistent) return a;
  const std::string what = DescribeInconsistency(a.kind, e);
  if (options_.strict) throw TraceError(path_, index, "", what + " (--strict)");
  if (live_.inconsistent().total() <= kWarned) {
    Warn(fmt::format("event {}: {}; skipped", index, what));
  }
  return a;
}

void ConsistentEvents::Finish() const {
  const InconsistencyCounts& skipped = live_.inconsistent();
  if (skipped.total() <= kWarned) return;
  Warn("inconsistent events: " +
       SummarizeInconsistencies(skipped, [](uint64_t n) { return std::to_string(n); }));
}

void ConsistentEvents::Warn(const std::string& what) const {
  if (options_.before_warning) options_.before_warning();
  fmt::print(stderr, "warning: {}: {}\n", path_, what);
}

}  // namespace goalloc::trace
