// A test hook around the replay proper. A library preloaded into the replay (the counting
// interposer of tests/clean_heap_e2e) may define
//   extern "C" void goalloc_replay_window(int open);
// the replay calls it with 1 right after the baseline reading and with 0 after the last
// event, so that the library can count the malloc-family calls in between: the trace's
// objects' and nothing else (issue #16). Without such a library it does nothing.
#pragma once

namespace goalloc::replay {

class ReplayWindow {
 public:
  // Looks the hook up now, before the window: dlsym allocates when a symbol is missing.
  ReplayWindow();
  void Open() const;
  void Close() const;

 private:
  void (*hook_)(int) = nullptr;
};

}  // namespace goalloc::replay
