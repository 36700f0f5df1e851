// See worker_pool.h.
#include "src/cli/worker_pool.h"

#include <fmt/core.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>
#include <thread>

namespace goalloc::cli {
namespace {

struct Running {
  size_t job;
  int fd;  // the memory file the child writes its answer to
};

bool WriteAll(int fd, const std::string& text) {
  for (size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

std::string ReadAll(int fd) {
  std::string text;
  char buffer[1 << 16];
  lseek(fd, 0, SEEK_SET);
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, size_t(n));
  }
  return text;
}

std::string HowItEnded(int status) {
  if (WIFSIGNALED(status)) {
    return fmt::format("its worker process was killed by signal {} ({})", WTERMSIG(status),
                       strsignal(WTERMSIG(status)));
  }
  return fmt::format("its worker process exited with status {} without an answer",
                     WEXITSTATUS(status));
}

}  // namespace

size_t UsableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return size_t(std::max(1, CPU_COUNT(&set)));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::vector<WorkerAnswer> RunInWorkers(
    size_t count, size_t parallel, const std::function<std::string(size_t)>& job,
    const std::function<void(const std::vector<size_t>&)>& tick) {
  std::vector<WorkerAnswer> answers(count);
  std::map<pid_t, Running> running;
  std::vector<size_t> ended;
  size_t next = 0;
  auto last_tick = std::chrono::steady_clock::now();
  while (next < count || !running.empty()) {
    while (next < count && running.size() < parallel) {
      int fd = memfd_create("goalloc-answer", MFD_CLOEXEC);
      if (fd < 0) throw std::runtime_error(fmt::format("memfd_create: {}", strerror(errno)));
      std::fflush(nullptr);  // nothing buffered here is written twice by the child
      pid_t pid = fork();
      if (pid < 0) {
        close(fd);
        throw std::runtime_error(fmt::format("fork: {}", strerror(errno)));
      }
      if (pid == 0) {
        bool ok = WriteAll(fd, job(next));
        std::fflush(nullptr);
        _exit(ok ? 0 : 3);  // no atexit handlers or destructors of the parent's state
      }
      running[pid] = {next++, fd};
    }
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid < 0 && errno != EINTR)
      throw std::runtime_error(fmt::format("waitpid: {}", strerror(errno)));
    auto it = pid > 0 ? running.find(pid) : running.end();
    if (it != running.end()) {
      WorkerAnswer& a = answers[it->second.job];
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        a.answered = true;
        a.text = ReadAll(it->second.fd);
      } else {
        a.failure = HowItEnded(status);
      }
      close(it->second.fd);
      ended.push_back(it->second.job);
      running.erase(it);
      tick(ended);
      last_tick = std::chrono::steady_clock::now();
      continue;
    }
    if (pid == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (std::chrono::steady_clock::now() - last_tick >= std::chrono::seconds(1)) {
      tick(ended);
      last_tick = std::chrono::steady_clock::now();
    }
  }
  return answers;
}

}  // namespace goalloc::cli
