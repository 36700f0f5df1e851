// See fd_io.h.
#include "src/trace/fd_io.h"

#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

namespace goalloc::trace {

void WriteAll(int fd, const void* data, size_t n, const char* what) {
  auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    // write returns 0 only for n == 0, which the loop never asks for.
    if (w < 0) throw std::system_error(errno, std::generic_category(), what);
    p += w;
    n -= size_t(w);
  }
}

void ReadExactly(int fd, void* data, size_t n, const char* what) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw std::system_error(errno, std::generic_category(), what);
    if (r == 0) throw std::runtime_error(std::string(what) + ": truncated");
    p += r;
    n -= size_t(r);
  }
}

}  // namespace goalloc::trace
