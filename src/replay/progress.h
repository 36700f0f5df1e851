// Progress on stderr while decoding and replaying: one line, rewritten in place at most a
// few times a second, erased when done. Everything is a no-op when disabled (not a
// terminal, or --quiet), so callers need no conditions of their own.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace goalloc::replay {

// Erases the progress line (before printing a warning) when progress is enabled.
void ClearProgressLine(bool enabled);

// Progress driven by the caller's own loop (decoding): Update is cheap when not due.
class ProgressLine {
 public:
  ProgressLine(bool enabled, std::string label);
  ~ProgressLine() { Done(); }
  template <class Text>
  void Update(Text&& text) {
    if (!enabled_ || ++calls_ % 64 != 0) return;
    auto now = std::chrono::steady_clock::now();
    if (now < next_) return;
    next_ = now + kInterval;
    Show(text());
  }
  void Show(std::string_view text);  // now, unthrottled
  void Done();

  static constexpr std::chrono::milliseconds kInterval{250};

 private:
  bool enabled_;
  bool printed_ = false;
  std::string label_;
  uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point next_{};
};

// Progress of a replay, printed by a background thread from a counter the replay threads
// advance now and then (never per event on a shared cache line).
class ProgressThread {
 public:
  // `done` returns the events executed so far; `total` the events to execute.
  ProgressThread(bool enabled, std::string label, uint64_t total, std::function<uint64_t()> done);
  ~ProgressThread() { Stop(); }
  void Stop();

 private:
  ProgressLine line_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace goalloc::replay
