// A trace's events checked against the spec's consistency rules (LiveObjects), with the one
// policy and wording of `inspect`, `replay`, `compare` and `tune-classes` for what is
// skipped: with `strict` the first inconsistent event is a TraceError
// ("FILE: event N: free of id 42, which is not live (--strict)"); otherwise each of the first
// kWarned is a warning on stderr ("warning: FILE: event N: free of id 42, which is not live;
// skipped") and, when there were more, Finish sums them all up in one more warning.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "src/trace/event.h"
#include "src/trace/live_objects.h"
#include "src/trace/trace_reader.h"

namespace goalloc::trace {

class ConsistentEvents {
 public:
  static constexpr uint64_t kWarned = 5;  // warned about one by one; the rest are counted

  struct Options {
    bool strict = false;
    // Called before each warning is printed (the replay erases its progress line); may be
    // empty.
    std::function<void()> before_warning;
  };

  // `path` names the trace in warnings and errors.
  ConsistentEvents(std::string path, Options options);

  // Applies the trace's next event, whose index is events() before the call. An
  // inconsistent event changes nothing and is warned about, or with `strict` throws.
  LiveObjects::Applied Apply(const Event& e);
  // After the last event: the summary warning, when more than kWarned were skipped.
  void Finish() const;

  uint64_t events() const { return events_; }
  const LiveObjects& live() const { return live_; }

 private:
  void Warn(const std::string& what) const;

  std::string path_;
  Options options_;
  LiveObjects live_;
  uint64_t events_ = 0;
};

// Reads every event of `reader` in order through `events`, calling on_event(event, applied)
// for each, consistent or not (a skipped event is still one of the trace's events), and
// on_batch() after each batch the reader decodes; then events.Finish().
template <class OnEvent, class OnBatch>
void ReadConsistentEvents(TraceReader& reader, ConsistentEvents& events, OnEvent&& on_event,
                          OnBatch&& on_batch) {
  constexpr size_t kBatch = 4096;
  std::vector<Event> batch(kBatch);
  while (size_t n = reader.ReadBatch(batch)) {
    for (size_t i = 0; i < n; ++i) on_event(batch[i], events.Apply(batch[i]));
    on_batch();
  }
  events.Finish();
}

template <class OnEvent>
void ReadConsistentEvents(TraceReader& reader, ConsistentEvents& events, OnEvent&& on_event) {
  ReadConsistentEvents(reader, events, on_event, [] {});
}

}  // namespace goalloc::trace
