// See check_log.h.
#include "src/replay/check_log.h"

namespace goalloc::replay {

void CheckLog::Fail(const std::string& message) {
  if (failures_.fetch_add(1, std::memory_order_relaxed) == 0) {
    std::lock_guard lock(mu_);
    first_ = message;
  }
}

void CheckLog::Fatal(const std::string& message, const ReplayEvent* at) {
  Fail(message);
  std::lock_guard lock(mu_);
  if (!fatal_.exchange(true, std::memory_order_relaxed)) {
    fatal_message_ = message;
    fatal_event_ = at;
  }
}

std::string CheckLog::first_failure() const {
  std::lock_guard lock(mu_);
  return first_;
}

std::string CheckLog::fatal_message() const {
  std::lock_guard lock(mu_);
  return fatal_message_;
}

const ReplayEvent* CheckLog::fatal_event() const {
  std::lock_guard lock(mu_);
  return fatal_event_;
}

}  // namespace goalloc::replay
