// See fd_io.h.
#include "src/trace/fd_io.h"

#include <unistd.h>

#include <cerrno>
#include <stdexcept>
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

std::string ReadFromStart(int fd, const char* what) {
  if (::lseek(fd, 0, SEEK_SET) < 0) throw std::system_error(errno, std::generic_category(), what);
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t r = ::read(fd, buffer, sizeof buffer);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw std::system_error(errno, std::generic_category(), what);
    if (r == 0) return text;
    text.append(buffer, size_t(r));
  }
}

}  // namespace goalloc::trace
