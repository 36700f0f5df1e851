// Whole-buffer reads and writes on a file descriptor (pipes, memfds), retrying after EINTR and
// continuing after short transfers, for the protocols between goalloc-replay and its child
// processes.
#pragma once

#include <cstddef>
#include <string>

namespace goalloc::trace {

// Writes all `n` bytes of `data` to `fd`. Throws std::system_error naming `what`.
void WriteAll(int fd, const void* data, size_t n, const char* what);

// Reads exactly `n` bytes from `fd` into `data`. Throws std::system_error naming `what` on a
// read error, and std::runtime_error "WHAT: truncated" when the input ends first.
void ReadExactly(int fd, void* data, size_t n, const char* what);

// The whole content of the file `fd` (a memfd a child wrote its answer to), read from offset 0
// to its end. Throws std::system_error naming `what`.
std::string ReadFromStart(int fd, const char* what);

}  // namespace goalloc::trace
