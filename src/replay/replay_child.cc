// The replay child protocol (see replay_child.h).
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
#include <nlohmann/json.hpp>
#include <system_error>
#include <vector>

#include "src/replay/in_process_replay.h"
#include "src/replay/replay_result_json.h"

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

void WriteString(int fd, const std::string& s) {
  const uint64_t n = s.size();
  const char* p = reinterpret_cast<const char*>(&n);
  std::string buf(p, sizeof n);
  buf += s;
  for (size_t off = 0; off < buf.size();) {
    ssize_t w = ::write(fd, buf.data() + off, buf.size() - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) throw std::system_error(errno, std::generic_category(), "replay child: write");
    off += size_t(w);
  }
}

std::string ReadString(int fd) {
  uint64_t n = 0;
  std::string s;
  auto read_exact = [fd](char* p, size_t len) {
    while (len > 0) {
      ssize_t r = ::read(fd, p, len);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) throw std::runtime_error("replay child: truncated message");
      p += r;
      len -= size_t(r);
    }
  };
  read_exact(reinterpret_cast<char*>(&n), sizeof n);
  s.resize(n);
  read_exact(s.data(), n);
  return s;
}

// `library`: the file the child's malloc must come from.
nlohmann::json OptionsToJson(const ReplayOptions& o, const std::string& library) {
  return {{"allocator", o.allocator.name()},
          {"mode", o.mode.name()},
          {"threads", o.threads},
          {"timeline_samples", o.timeline_samples},
          {"verify", o.verify},
          {"verify_every", o.verify_every},
          {"progress", o.progress},
          {"library", library}};
}

ReplayOptions OptionsFromJson(const nlohmann::json& j) {
  ReplayOptions o;
  o.allocator = j.at("allocator").get<std::string>();
  o.mode = j.at("mode").get<std::string>();
  j.at("threads").get_to(o.threads);
  j.at("timeline_samples").get_to(o.timeline_samples);
  j.at("verify").get_to(o.verify);
  j.at("verify_every").get_to(o.verify_every);
  j.at("progress").get_to(o.progress);
  return o;
}

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
  WriteString(in.get(), OptionsToJson(options, provider).dump());
  trace.WriteTo(in.get());
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
  nlohmann::json answer;
  try {
    answer = nlohmann::json::parse(ReadString(out.get()));
  } catch (const std::exception&) {
    const std::string how = WIFSIGNALED(status)
                                ? fmt::format("was killed by signal {}", WTERMSIG(status))
                                : fmt::format("exited with status {}", WEXITSTATUS(status));
    throw ReplayFailed(
        fmt::format("the replay child for {} {} without a result", options.allocator.name(), how));
  }
  if (answer.contains("error")) {
    throw ReplayFailed(fmt::format("replay on {} (in a child process): {}",
                                   options.allocator.name(),
                                   answer.at("error").get<std::string>()));
  }
  return answer.at("result").get<ReplayResult>();
}

int RunReplayChild(int in_fd, int out_fd) {
  nlohmann::json answer;
  int status = 0;
  try {
    const nlohmann::json request = nlohmann::json::parse(ReadString(in_fd));
    const std::shared_ptr<const PreparedTrace> trace = PreparedTrace::ReadFrom(in_fd);
    const ReplayOptions options = OptionsFromJson(request);
    const std::string library = request.at("library").get<std::string>();
    const std::string provider = MallocProvider();
    if (std::filesystem::path(provider).filename() != std::filesystem::path(library).filename()) {
      throw std::runtime_error(
          fmt::format("malloc comes from {}, not from the expected {}", provider, library));
    }
    answer = {{"result", ReplayInProcess(*trace, options)}, {"summary", trace->summary()}};
  } catch (const std::exception& e) {
    answer = {{"error", e.what()}};
    status = 1;
  }
  WriteString(out_fd, answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return status;
}

}  // namespace goalloc::replay
