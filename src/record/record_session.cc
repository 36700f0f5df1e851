// See record_session.h. The command runs in a child with LD_PRELOAD (prepended to any the
// user has) and the variables of raw_record.h; without --follow-children the child names
// its own pid in kEnvOnlyPid before exec, so only that process records (each program image
// it execs into writes its own raw log, and the last one is kept). Until the traces are
// written, SIGINT and SIGQUIT are ignored here (they reach the command through the
// terminal's process group) and SIGTERM, which is sent to `record` alone, is passed on to the
// command, so an interrupted or terminated program still leaves its trace and no raw logs.
#include "src/record/record_session.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "src/record/raw_record.h"
#include "src/trace/text_escape.h"
#include "src/trace/trace_writer.h"

namespace goalloc::record {
namespace {

namespace fs = std::filesystem;

// A directory made by mkdtemp, removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(const fs::path& near) {
    fs::path parent = near.parent_path().empty() ? fs::path(".") : near.parent_path();
    std::string pattern = (parent / ".goalloc-record-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a directory in " + parent.string() + ": " +
                               std::strerror(errno));
    }
    path_ = fs::absolute(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

int ExitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

// In the child: sets up the environment and execs; never returns.
[[noreturn]] void ExecRecorded(const RecordOptions& o, const fs::path& raw_dir) {
  std::string preload = o.preload_library;
  if (const char* old = getenv("LD_PRELOAD"); old != nullptr && *old != '\0') {
    preload += std::string(":") + old;
  }
  setenv("LD_PRELOAD", preload.c_str(), 1);
  setenv(kEnvRawDir, raw_dir.c_str(), 1);
  if (o.follow_children) {
    unsetenv(kEnvOnlyPid);
  } else {
    setenv(kEnvOnlyPid, std::to_string(getpid()).c_str(), 1);
  }
  std::vector<char*> argv;
  for (const std::string& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  std::fprintf(stderr, "error: cannot run %s: %s\n", argv[0], std::strerror(errno));
  _exit(127);
}

// The command's pid while `record` waits for it, for the SIGTERM handler; 0 otherwise.
volatile sig_atomic_t g_command_pid = 0;

void ForwardTerminate(int) {
  if (pid_t pid = g_command_pid; pid > 0) kill(pid, SIGTERM);
}

// From construction to destruction: SIGINT and SIGQUIT are ignored, SIGTERM is passed on
// to the command while it runs and ignored after, and SIGXFSZ is ignored (a trace past the
// file size limit is then a write error), so that `record` always converts what was logged
// and removes its raw logs.
class CommandSignals {
 public:
  CommandSignals() {
    struct sigaction ignore {
    }, forward{};
    ignore.sa_handler = SIG_IGN;
    forward.sa_handler = ForwardTerminate;
    sigaction(SIGINT, &ignore, &old_int_);
    sigaction(SIGQUIT, &ignore, &old_quit_);
    sigaction(SIGTERM, &forward, &old_term_);
    sigaction(SIGXFSZ, &ignore, &old_xfsz_);
  }
  ~CommandSignals() { Restore(); }
  // Puts back the dispositions `record` was started with (also for the command, in the
  // child before exec).
  void Restore() const {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGQUIT, &old_quit_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGXFSZ, &old_xfsz_, nullptr);
  }
  CommandSignals(const CommandSignals&) = delete;
  CommandSignals& operator=(const CommandSignals&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_quit_{}, old_term_{}, old_xfsz_{};
};

// Runs the command and waits for it.
int RunAndWait(const RecordOptions& o, const fs::path& raw_dir, const CommandSignals& signals) {
  std::fflush(nullptr);
  // SIGTERM is blocked until the handler knows the pid to pass it on to.
  sigset_t term, old_mask;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigprocmask(SIG_BLOCK, &term, &old_mask);
  pid_t pid = fork();
  if (pid == 0) {
    signals.Restore();
    sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    ExecRecorded(o, raw_dir);
  }
  int fork_errno = errno;
  if (pid > 0) g_command_pid = pid;
  sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(fork_errno));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  g_command_pid = 0;  // reaped: its pid may be reused
  return ExitStatus(status);
}

std::string MetaJson(const RecordOptions& o, ProcessImage p, bool follow) {
  std::string program;
  for (const std::string& a : o.command) program += (program.empty() ? "" : " ") + a;
  // JSON text is UTF-8: a command-line byte that is not keeps its value as \xNN.
  nlohmann::json meta = {{"program", trace::EscapeInvalidUtf8(program)},
                         {"recorder", "goalloc-replay record"},
                         {"pid", p.pid},
                         {"image", p.image},
                         {"follow_children", follow}};
  return meta.dump();
}

RecordedTrace Convert(const RecordOptions& o, const fs::path& raw_log, ProcessImage p,
                      const std::string& out) {
  auto writer = trace::CreateTraceWriter(out, MetaJson(o, p, o.follow_children));
  RecordedTrace t{out, p, ConvertRawLog(raw_log.string(), *writer)};
  writer->Finish();
  return t;
}

}  // namespace

RecordOutcome RunRecorded(const RecordOptions& o) {
  if (o.command.empty()) throw std::runtime_error("no command to record");
  CommandSignals signals;  // outlives raw_dir, which is removed first
  TempDir raw_dir(o.output);
  RecordOutcome outcome;
  outcome.exit_status = RunAndWait(o, raw_dir.path(), signals);
  std::vector<std::pair<ProcessImage, fs::path>> logs;
  std::vector<RawLogFailure> failures;
  for (const auto& entry : fs::directory_iterator(raw_dir.path())) {
    std::string name = entry.path().filename().string();
    if (auto p = ParseRawLogName(name)) {
      logs.emplace_back(*p, entry.path());
    } else if (auto f = ParseRawLogFailureName(name)) {
      failures.push_back(*f);
    }
  }
  std::sort(logs.begin(), logs.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.pid, a.first.image) < std::pair(b.first.pid, b.first.image);
  });
  if (!o.follow_children && !logs.empty()) {
    // One process: the program it ended as is the one recorded; images it exec'd out of
    // (env, sh -c 'exec …', version-manager shims) are left out.
    outcome.skipped_images = logs.size() - 1;
    logs.erase(logs.begin(), logs.end() - 1);
  }
  for (const auto& [p, raw_log] : logs) {
    std::string out = o.follow_children ? TracePathForProcess(o.output, p) : o.output;
    outcome.traces.push_back(Convert(o, raw_log, p, out));
    for (const RawLogFailure& f : failures) {
      if (f.process == p) outcome.traces.back().write_error = f.error;
    }
  }
  return outcome;
}

std::string FindPreloadLibrary() {
  constexpr char kName[] = "libgoalloc_record.so";
  if (const char* env = getenv("GOALLOC_RECORD_LIB"); env != nullptr && *env != '\0') {
    if (!fs::exists(env)) throw std::runtime_error(std::string("GOALLOC_RECORD_LIB: no ") + env);
    return fs::absolute(env).string();
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find the running binary: " + ec.message());
  const fs::path candidates[] = {
      exe.parent_path() / kName,
      fs::path(exe.string() + ".runfiles") / "goalloc_replay/src/record" / kName,
      exe.parent_path().parent_path() / "record" / kName,
  };
  for (const fs::path& c : candidates) {
    if (fs::exists(c)) return c.string();
  }
  throw std::runtime_error(std::string("cannot find ") + kName + " next to " + exe.string() +
                           " nor in its runfiles; set GOALLOC_RECORD_LIB");
}

}  // namespace goalloc::record
