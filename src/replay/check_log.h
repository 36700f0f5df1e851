// The outcome of a replay's checks (--verify's, and allocations that failed), shared by
// the replay threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace goalloc::replay {

struct ReplayEvent;

// Written only on failure, so the replay threads share it without contention.
class CheckLog {
 public:
  explicit CheckLog(bool verify) : verify_(verify) {}
  bool verify() const { return verify_; }
  // A check failed (the replay continues); the first message is kept.
  void Fail(const std::string& message);
  // The replay cannot be trusted (an allocation failed at event `at`, an element of the
  // events the replay thread runs); Replay throws ReplayFailed naming the first such event.
  void Fatal(const std::string& message, const ReplayEvent* at);
  bool failed() const { return failures_.load(std::memory_order_relaxed) != 0; }
  bool fatal() const { return fatal_.load(std::memory_order_relaxed); }
  uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }
  std::string first_failure() const;
  std::string fatal_message() const;
  const ReplayEvent* fatal_event() const;

 private:
  const bool verify_;
  std::atomic<uint64_t> failures_{0};
  std::atomic<bool> fatal_{false};
  mutable std::mutex mu_;
  std::string first_, fatal_message_;
  const ReplayEvent* fatal_event_ = nullptr;
};

}  // namespace goalloc::replay
