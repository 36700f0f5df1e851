// See event_log.h. Concurrency of one thread's buffer: only its owner appends (stores the
// record, then publishes `count` with release), and any writer of the buffer to the file -
// the owner when it is full, the process-exit flush for every thread - holds the buffer's
// spin lock and writes the records in [flushed, count). Only the owner empties the buffer,
// and only when it is full, so a record is never written twice nor overwritten unwritten.
// A thread still running while the process exits may lose its last few events; the
// converter then keeps only the events before the first missing sequence number.
#include "src/record/event_log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "src/record/raw_record.h"

#define GOALLOC_TLS __attribute__((tls_model("initial-exec")))

namespace goalloc::record {
namespace {

constexpr uint32_t kCapacity = 4096;  // records per thread buffer (192 KiB)
constexpr uint32_t kNoTid = ~uint32_t{0};

enum class State : int { kPending, kActive, kOff };

struct ThreadLog {
  RawRecord records[kCapacity];
  std::atomic<uint32_t> count{0};  // records stored; written by the owner only
  uint32_t flushed = 0;            // records already written to the file; under `lock`
  std::atomic_flag lock = ATOMIC_FLAG_INIT;
  ThreadLog* next = nullptr;  // registry of live threads' logs; under g_registry_lock
};

std::atomic<State> g_state{State::kPending};
std::atomic<int> g_fd{-1};
std::atomic<uint64_t> g_seq{0};
std::atomic<uint32_t> g_next_tid{0};
std::atomic<bool> g_write_through{false};  // after process exit began: no more buffering
std::atomic<uint64_t> g_log_bytes{0};      // bytes written or being written to the raw log
std::atomic<bool> g_write_failed{false};   // the raw log could not be written: stopped
bool g_follow_children = false;
pid_t g_pid = 0;  // the process the log belongs to
char g_dir[4096];
char g_log_path[sizeof(g_dir) + 64];  // the raw log of this process image

pthread_mutex_t g_registry_lock = PTHREAD_MUTEX_INITIALIZER;
ThreadLog* g_registry = nullptr;
pthread_key_t g_thread_key;
std::atomic<int> g_key_state{0};  // 0 none, 1 being created, 2 created

GOALLOC_TLS __thread ThreadLog* t_log;
GOALLOC_TLS __thread uint32_t t_tid = kNoTid;
GOALLOC_TLS __thread bool t_exited;  // the thread's key destructor ran: write each event now

uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

// The time of a heap call in ticks (raw_record.h, kClockOp).
uint64_t NowTicks() {
#if defined(__x86_64__)
  return __rdtsc();
#else
  return NowNs();
#endif
}

void AppendName(char*& out, const char* end, const char* s) {
  while (*s && out < end) *out++ = *s++;
}

void AppendNumber(char*& out, const char* end, unsigned long v) {
  char digits[24];
  int n = 0;
  do digits[n++] = char('0' + v % 10);
  while ((v /= 10) != 0);
  while (n > 0 && out < end) *out++ = digits[--n];
}

// The raw log cannot take more: recording stops (what was written stays a valid prefix)
// and the failure is left for `record` to report, as the empty file
// `<log><kFailedSuffix><errno>` (raw_record.h).
void StopOnWriteError(int error) {
  g_state.store(State::kOff, std::memory_order_relaxed);
  if (g_write_failed.exchange(true)) return;
  char path[sizeof(g_log_path) + 32];
  char* out = path;
  const char* end = path + sizeof(path) - 1;
  AppendName(out, end, g_log_path);
  AppendName(out, end, kFailedSuffix);
  AppendNumber(out, end, static_cast<unsigned long>(error));
  *out = '\0';
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) close(fd);
}

// Whether `bytes` more would pass the file size limit (ulimit -f). Checked here because
// the kernel would answer such a write with SIGXFSZ, which kills most programs.
bool PastFileSizeLimit(uint64_t bytes) {
  rlimit limit;
  if (getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return false;
  return g_log_bytes.fetch_add(bytes, std::memory_order_relaxed) + bytes > limit.rlim_cur;
}

void WriteAll(const void* data, size_t bytes) {
  int fd = g_fd.load(std::memory_order_acquire);
  if (fd < 0 || g_write_failed.load(std::memory_order_relaxed)) return;
  if (PastFileSizeLimit(bytes)) return StopOnWriteError(EFBIG);
  auto* p = static_cast<const char*>(data);
  while (bytes > 0) {
    ssize_t n = write(fd, p, bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return StopOnWriteError(n < 0 ? errno : ENOSPC);
    p += n;
    bytes -= size_t(n);
  }
}

void Lock(std::atomic_flag& f) {
  while (f.test_and_set(std::memory_order_acquire)) sched_yield();
}

// Writes a clock reading (raw_record.h, kClockOp): one at the start of each log and one
// with every batch, so the converter can map the ticks of any event to nanoseconds.
void WriteClockReading() {
  RawRecord r{};
  r.seq = kClockSeq;
  r.op = kClockOp;
  r.t = NowTicks();
  r.id = NowNs();
  WriteAll(&r, sizeof r);
}

// Writes the records of `log` not yet written. Callable by any thread.
void Flush(ThreadLog* log) {
  Lock(log->lock);
  uint32_t n = log->count.load(std::memory_order_acquire);
  if (n > log->flushed && g_fd.load(std::memory_order_acquire) >= 0) {
    WriteAll(&log->records[log->flushed], size_t(n - log->flushed) * sizeof(RawRecord));
    log->flushed = n;
    WriteClockReading();
  }
  log->lock.clear(std::memory_order_release);
}

void Register(ThreadLog* log) {
  pthread_mutex_lock(&g_registry_lock);
  log->next = g_registry;
  g_registry = log;
  pthread_mutex_unlock(&g_registry_lock);
}

void Unregister(ThreadLog* log) {
  pthread_mutex_lock(&g_registry_lock);
  for (ThreadLog** p = &g_registry; *p; p = &(*p)->next) {
    if (*p == log) {
      *p = log->next;
      break;
    }
  }
  pthread_mutex_unlock(&g_registry_lock);
}

void OnThreadExit(void* arg) {
  auto* log = static_cast<ThreadLog*>(arg);
  Flush(log);
  Unregister(log);
  t_log = nullptr;
  t_exited = true;  // frees made later by this thread's teardown are written one by one
  munmap(log, sizeof(ThreadLog));
}

void EnsureThreadKey() {
  int expected = 0;
  if (g_key_state.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
    pthread_key_create(&g_thread_key, OnThreadExit);
    g_key_state.store(2, std::memory_order_release);
  }
  while (g_key_state.load(std::memory_order_acquire) != 2) sched_yield();
}

// The calling thread's buffer, created on its first event (mmap: never our own malloc).
ThreadLog* ThisThreadLog() {
  if (t_log || t_exited) return t_log;
  void* mem =
      mmap(nullptr, sizeof(ThreadLog), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return nullptr;
  t_log = new (mem) ThreadLog;
  EnsureThreadKey();
  pthread_setspecific(g_thread_key, t_log);
  Register(t_log);
  return t_log;
}

// Creates `<dir>/<pid>-<image>.raw` with the lowest free image number; returns its
// descriptor or -1.
int CreateRawLog() {
  for (unsigned image = 0; image < 1000; ++image) {
    char path[sizeof(g_log_path)];
    char* out = path;
    const char* end = path + sizeof(path) - 1;
    AppendName(out, end, g_dir);
    AppendName(out, end, "/");
    AppendNumber(out, end, static_cast<unsigned long>(getpid()));
    AppendName(out, end, "-");
    AppendNumber(out, end, image);
    AppendName(out, end, ".raw");
    *out = '\0';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
      memcpy(g_log_path, path, sizeof(g_log_path));
      g_log_bytes.store(0);
      g_write_failed.store(false);
    }
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

const char* FindEnv(char** envp, const char* name) {
  size_t len = strlen(name);
  for (char** e = envp; e && *e; ++e) {
    if (strncmp(*e, name, len) == 0 && (*e)[len] == '=') return *e + len + 1;
  }
  return nullptr;
}

// Not recording after all: drops what was buffered while pending (only the calling thread
// can have a buffer: the constructor runs before the program starts threads).
void TurnOff() {
  g_state.store(State::kOff, std::memory_order_relaxed);
  int fd = g_fd.exchange(-1);
  if (fd >= 0) close(fd);
  if (ThreadLog* log = t_log) {
    Unregister(log);
    if (g_key_state.load() == 2) pthread_setspecific(g_thread_key, nullptr);
    t_log = nullptr;
    munmap(log, sizeof(ThreadLog));
  }
}

void ForkPrepare() { pthread_mutex_lock(&g_registry_lock); }
void ForkParent() { pthread_mutex_unlock(&g_registry_lock); }

// The child has only the forking thread; the others' buffers hold the parent's events,
// as does this thread's, and the parent writes them. Restart or stop.
void ForkChild() {
  pthread_mutex_init(&g_registry_lock, nullptr);
  g_registry = nullptr;
  int fd = g_fd.exchange(-1);
  if (fd >= 0) close(fd);
  if (!g_follow_children || g_state.load() == State::kOff) {
    g_state.store(State::kOff);
    if (t_log) t_log->count.store(0);
    return;
  }
  g_seq.store(0);
  g_next_tid.store(0);
  g_pid = getpid();
  t_tid = kNoTid;
  if (t_log) {
    t_log->count.store(0);
    t_log->flushed = 0;
    t_log->lock.clear();
    Register(t_log);
  }
  fd = CreateRawLog();
  if (fd < 0) {
    g_state.store(State::kOff);
    return;
  }
  g_fd.store(fd, std::memory_order_release);
  WriteClockReading();
}

// Decides from the environment whether this process records; true when it does.
bool TryActivate(char** envp) {
  if (g_state.load() != State::kPending) return g_state.load() == State::kActive;
  const char* dir = FindEnv(envp, kEnvRawDir);
  const char* only_pid = FindEnv(envp, kEnvOnlyPid);
  if (!dir || strlen(dir) >= sizeof(g_dir) ||
      (only_pid && strtol(only_pid, nullptr, 10) != long(getpid()))) {
    TurnOff();
    return false;
  }
  strcpy(g_dir, dir);
  g_follow_children = only_pid == nullptr;
  g_pid = getpid();
  int fd = CreateRawLog();
  if (fd < 0) {
    TurnOff();
    return false;
  }
  g_fd.store(fd, std::memory_order_release);
  WriteClockReading();
  pthread_atfork(ForkPrepare, ForkParent, ForkChild);
  g_state.store(State::kActive);
  return true;  // events logged while pending are written by the usual flushes
}

// glibc passes the program's argc, argv and envp to constructors; `environ` may not be set
// yet for heap calls that come earlier, which is why those are held pending.
__attribute__((constructor)) void Activate(int, char**, char** envp) { TryActivate(envp); }

void FlushAll() {
  if (g_state.load() != State::kActive) return;
  g_write_through.store(true);
  pthread_mutex_lock(&g_registry_lock);
  for (ThreadLog* log = g_registry; log; log = log->next) Flush(log);
  pthread_mutex_unlock(&g_registry_lock);
}

// Runs at exit(), after the program's own atexit handlers and static destructors. Events
// after this point (later destructors, threads still running) are written one by one.
__attribute__((destructor)) void FlushAtExit() { FlushAll(); }

}  // namespace

// A child of vfork() (posix_spawn, CPython's subprocess) shares the parent's memory and
// runs no fork handler: its exec must leave the parent's log alone.
void FlushBeforeExec() {
  if (getpid() == g_pid) FlushAll();
}
void ExecFailed() {
  if (getpid() == g_pid) g_write_through.store(false);
}

bool Logging() { return g_state.load(std::memory_order_relaxed) != State::kOff; }

void LogEvent(trace::Op op, uint64_t id, uint64_t new_id, uint64_t size, unsigned align_log2) {
  if (t_tid == kNoTid) t_tid = g_next_tid.fetch_add(1, std::memory_order_relaxed);
  RawRecord r{};
  r.seq = g_seq.fetch_add(1, std::memory_order_seq_cst);
  r.t = NowTicks();
  r.id = id;
  r.new_id = new_id;
  r.size = size;
  r.tid = t_tid;
  r.op = static_cast<uint8_t>(op);
  r.align_log2 = static_cast<uint8_t>(align_log2);
  ThreadLog* log = ThisThreadLog();
  if (!log) {  // after this thread's key destructor ran (or no memory for a buffer)
    WriteAll(&r, sizeof r);
    return;
  }
  uint32_t n = log->count.load(std::memory_order_relaxed);
  log->records[n] = r;
  log->count.store(n + 1, std::memory_order_release);
  bool active = g_state.load(std::memory_order_relaxed) == State::kActive;
  if (n + 1 == kCapacity) {
    // Still pending with a full buffer: decide now if `environ` is already set up;
    // otherwise this event is dropped and the converter stops before it.
    if (!active && !(environ && TryActivate(environ))) {
      if (g_state.load(std::memory_order_relaxed) == State::kPending) {
        log->count.store(n, std::memory_order_relaxed);
      }
      return;
    }
    Flush(log);
    Lock(log->lock);
    log->count.store(0, std::memory_order_relaxed);
    log->flushed = 0;
    log->lock.clear(std::memory_order_release);
  } else if (active && g_write_through.load(std::memory_order_relaxed)) {
    Flush(log);
  }
}

}  // namespace goalloc::record
