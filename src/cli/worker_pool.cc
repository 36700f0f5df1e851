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
#include <system_error>
#include <thread>

#include "src/trace/fd_io.h"

namespace goalloc::cli {
namespace {

struct Running {
  size_t job;
  int fd;  // the memory file the child writes its answer to
};

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
        bool ok = true;
        try {
          const std::string answer = job(next);
          trace::WriteAll(fd, answer.data(), answer.size(), "worker answer");
        } catch (const std::system_error&) {
          ok = false;
        }
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
        a.text = trace::ReadFromStart(it->second.fd, "worker answer");
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
