// Process measurements from /proc and the kernel's clocks (see process_stats.h).
#include "src/replay/process_stats.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace goalloc::replay {
namespace {

double ClockSeconds(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Reads a small /proc file into buf (NUL-terminated); false when it cannot be read.
bool ReadProcFile(const char* path, char* buf, size_t size) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n = ::read(fd, buf, size - 1);
  ::close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  return true;
}

}  // namespace

uint64_t ResidentBytes() {
  char buf[256];
  if (!ReadProcFile("/proc/self/statm", buf, sizeof buf)) return 0;
  unsigned long long size = 0, resident = 0;
  if (std::sscanf(buf, "%llu %llu", &size, &resident) != 2) return 0;
  return resident * uint64_t(::sysconf(_SC_PAGESIZE));
}

uint64_t PeakResidentBytes() {
  char buf[4096];
  if (!ReadProcFile("/proc/self/status", buf, sizeof buf)) return 0;
  const char* line = std::strstr(buf, "VmHWM:");
  unsigned long long kib = 0;
  if (line == nullptr || std::sscanf(line, "VmHWM: %llu kB", &kib) != 1) return 0;
  return kib * 1024;
}

bool ResetPeakResident() {
  int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, "5", 1) == 1;
  ::close(fd);
  return ok;
}

double ThreadCpuSeconds() { return ClockSeconds(CLOCK_THREAD_CPUTIME_ID); }

double WallSeconds() { return ClockSeconds(CLOCK_MONOTONIC); }

}  // namespace goalloc::replay
