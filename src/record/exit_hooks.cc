// The ways a process image ends without running destructors - exec() and _exit() - would
// lose the events still in the threads' buffers. These wrappers write them first
// (event_log.h: FlushBeforeExec), then call the real function. glibc's execl* and execv*
// call execve internally, not through the PLT, so each one is wrapped; the execl* forms
// are turned into their execv* equivalents. (A process killed by a signal loses them.)
#include <dlfcn.h>
#include <stdarg.h>
#include <unistd.h>

#include "src/record/event_log.h"

#define GOALLOC_EXPORT extern "C" __attribute__((visibility("default")))

namespace goalloc::record {
namespace {

template <typename F>
F Real(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// Runs one real exec function; returns only if it failed.
template <typename F, typename... Args>
int Exec(const char* name, Args... args) {
  auto real = Real<F>(name);
  FlushBeforeExec();
  int r = real(args...);
  ExecFailed();
  return r;
}

using ExecvFn = int (*)(const char*, char* const[]);
using ExecveFn = int (*)(const char*, char* const[], char* const[]);

// Runs `run(argv, ap)` with the argument list of an execl* call, from `first` to the null
// pointer that ends it, gathered into an array on the stack; `ap` is then past that null.
template <typename F>
int WithArgv(const char* first, va_list ap, F run) {
  va_list count;
  va_copy(count, ap);
  size_t n = 1;
  while (va_arg(count, char*) != nullptr) ++n;
  va_end(count);
  char** argv = static_cast<char**>(__builtin_alloca((n + 1) * sizeof(char*)));
  argv[0] = const_cast<char*>(first);
  for (size_t i = 1; i <= n; ++i) argv[i] = va_arg(ap, char*);  // argv[n]: the null
  return run(argv, ap);
}

}  // namespace
}  // namespace goalloc::record

using namespace goalloc::record;

GOALLOC_EXPORT void _exit(int status) {
  auto real = Real<void (*)(int)>("_exit");
  FlushBeforeExec();
  real(status);
  __builtin_unreachable();
}

GOALLOC_EXPORT void _Exit(int status) { _exit(status); }

GOALLOC_EXPORT int execve(const char* path, char* const argv[], char* const envp[]) {
  return Exec<ExecveFn>("execve", path, argv, envp);
}

GOALLOC_EXPORT int execv(const char* path, char* const argv[]) {
  return Exec<ExecvFn>("execv", path, argv);
}

GOALLOC_EXPORT int execvp(const char* file, char* const argv[]) {
  return Exec<ExecvFn>("execvp", file, argv);
}

GOALLOC_EXPORT int execvpe(const char* file, char* const argv[], char* const envp[]) {
  return Exec<ExecveFn>("execvpe", file, argv, envp);
}

GOALLOC_EXPORT int fexecve(int fd, char* const argv[], char* const envp[]) {
  return Exec<int (*)(int, char* const[], char* const[])>("fexecve", fd, argv, envp);
}

GOALLOC_EXPORT int execl(const char* path, const char* arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = WithArgv(arg, ap, [&](char** argv, va_list) { return execv(path, argv); });
  va_end(ap);
  return r;
}

GOALLOC_EXPORT int execlp(const char* file, const char* arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = WithArgv(arg, ap, [&](char** argv, va_list) { return execvp(file, argv); });
  va_end(ap);
  return r;
}

GOALLOC_EXPORT int execle(const char* path, const char* arg, ...) {
  va_list ap;
  va_start(ap, arg);
  int r = WithArgv(arg, ap, [&](char** argv, va_list rest) {
    return execve(path, argv, va_arg(rest, char* const*));
  });
  va_end(ap);
  return r;
}
