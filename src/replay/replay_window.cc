// The replay window's test hook (see replay_window.h).
#include "src/replay/replay_window.h"

#include <dlfcn.h>

namespace goalloc::replay {

ReplayWindow::ReplayWindow()
    : hook_(reinterpret_cast<void (*)(int)>(::dlsym(RTLD_DEFAULT, "goalloc_replay_window"))) {}

void ReplayWindow::Open() const {
  if (hook_ != nullptr) hook_(1);
}

void ReplayWindow::Close() const {
  if (hook_ != nullptr) hook_(0);
}

}  // namespace goalloc::replay
