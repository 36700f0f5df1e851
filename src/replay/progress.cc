// Progress lines on stderr (see progress.h).
#include "src/replay/progress.h"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace goalloc::replay {

void ClearProgressLine(bool enabled) {
  if (enabled) fmt::print(stderr, "\r\033[K");
}

ProgressLine::ProgressLine(bool enabled, std::string label)
    : enabled_(enabled), label_(std::move(label)) {}

void ProgressLine::Show(std::string_view text) {
  if (!enabled_) return;
  fmt::print(stderr, "\r\033[K{}: {}", label_, text);
  std::fflush(stderr);
  printed_ = true;
}

void ProgressLine::Done() {
  if (printed_) ClearProgressLine(true);
  printed_ = false;
}

ProgressThread::ProgressThread(bool enabled, std::string label, uint64_t total,
                               std::function<uint64_t()> done)
    : line_(enabled, std::move(label)) {
  if (!enabled) return;
  thread_ = std::thread([this, total, done = std::move(done)] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, ProgressLine::kInterval, [this] { return stop_; })) {
      const uint64_t n = done();
      const double percent = total ? 100.0 * double(n) / double(total) : 100.0;
      // Formatted on the stack: during a replay only the trace's objects may come from
      // the allocator under test.
      char text[96];
      const auto out =
          fmt::format_to_n(text, sizeof text, "{:.0f}% ({} of {} events)", percent, n, total);
      line_.Show(std::string_view(text, std::min(out.size, sizeof text)));
    }
  });
}

void ProgressThread::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  line_.Done();
}

}  // namespace goalloc::replay
