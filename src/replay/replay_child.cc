// Starting the replay child and running it (see replay_child.h); the messages they exchange
// are child_protocol.h's.
#include "src/replay/replay_child.h"

#include <dlfcn.h>
#include <fmt/core.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "src/replay/child_protocol.h"
#include "src/replay/in_process_replay.h"

extern char** environ;

namespace goalloc::replay {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "replay child");
  }
  ~Fd() { ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// The file that this process's `malloc` comes from; behind an interposer (replay_child.h),
// the file of the malloc it forwards to.
std::string MallocProvider() {
  void* sym = ::dlsym(RTLD_DEFAULT, "malloc");
  using Forwarded = void* (*)();
  if (auto f = reinterpret_cast<Forwarded>(::dlsym(RTLD_DEFAULT, "goalloc_interposed_malloc"))) {
    sym = f();
  }
  Dl_info info{};
  if (sym == nullptr || ::dladdr(sym, &info) == 0 || info.dli_fname == nullptr) return "?";
  return info.dli_fname;
}

}  // namespace

ReplayResult ReplayInChild(const PreparedTrace& trace, const ReplayOptions& options,
                           const std::string& library, const std::string& exe_path,
                           const std::string& interposer) {
  Fd in(::memfd_create("goalloc-replay-request", MFD_CLOEXEC));
  Fd out(::memfd_create("goalloc-replay-result", MFD_CLOEXEC));
  // No preload (glibc): the child's malloc is this process's (libc, or a sanitizer's).
  const std::string provider = library.empty() ? MallocProvider() : library;
  WriteChildRequest(in.get(), options, provider, trace);
  ::lseek(in.get(), 0, SEEK_SET);

  // The child sees the memfds at fixed numbers above both (dup2 clears close-on-exec).
  const int child_in = std::max(in.get(), out.get()) + 1, child_out = child_in + 1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.get(), child_in);
  posix_spawn_file_actions_adddup2(&actions, out.get(), child_out);
  const std::string exe = std::filesystem::canonical(exe_path).string();
  std::vector<std::string> args = {
      exe, "replay-child", "--in", std::to_string(child_in), "--out", std::to_string(child_out)};
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "LD_PRELOAD=", 11) != 0) env.emplace_back(*e);
  }
  std::string preload = interposer;
  if (!library.empty()) preload += (preload.empty() ? "" : ":") + library;
  if (!preload.empty()) env.push_back("LD_PRELOAD=" + preload);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int err = ::posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    throw ReplayFailed(fmt::format("cannot start the replay child for {}: {}",
                                   options.allocator.name(), std::strerror(err)));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::lseek(out.get(), 0, SEEK_SET);
  ChildAnswer answer;
  try {
    answer = ReadChildAnswer(out.get());
  } catch (const std::exception&) {
    const std::string how = WIFSIGNALED(status)
                                ? fmt::format("was killed by signal {}", WTERMSIG(status))
                                : fmt::format("exited with status {}", WEXITSTATUS(status));
    throw ReplayFailed(
        fmt::format("the replay child for {} {} without a result", options.allocator.name(), how));
  }
  if (!answer.result) {
    throw ReplayFailed(fmt::format("replay on {} (in a child process): {}",
                                   options.allocator.name(), answer.error));
  }
  return std::move(*answer.result);
}

int RunReplayChild(int in_fd, int out_fd) {
  ChildAnswer answer;
  try {
    const ChildRequest request = ReadChildRequest(in_fd);
    const std::string provider = MallocProvider();
    if (std::filesystem::path(provider).filename() !=
        std::filesystem::path(request.library).filename()) {
      throw std::runtime_error(
          fmt::format("malloc comes from {}, not from the expected {}", provider, request.library));
    }
    answer.result = ReplayInProcess(*request.trace, request.options);
  } catch (const std::exception& e) {
    answer.error = e.what();
  }
  WriteChildAnswer(out_fd, answer);
  return answer.result ? 0 : 1;
}

}  // namespace goalloc::replay
