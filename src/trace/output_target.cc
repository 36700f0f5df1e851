// See output_target.h.
#include "src/trace/output_target.h"

#include <fmt/core.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace goalloc::trace {
namespace {

constexpr int kMaxSymlinkHops = 40;  // as the kernel's own limit (ELOOP)

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw std::runtime_error(fmt::format("cannot write {}: {}", path, what));
}

std::string DirName(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string BaseName(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// The directory that holds `path`, absolute and with its symlinks resolved.
std::string RealDirOf(const std::string& output, const std::string& path) {
  const std::string dir = DirName(path);
  char real[PATH_MAX];
  if (realpath(dir.c_str(), real) == nullptr) {
    Fail(output, fmt::format("no directory {} ({})", dir, std::strerror(errno)));
  }
  return real;
}

std::string Join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// Follows the symlinks of the last component (those of the directories realpath resolves)
// to the path of the file they name, which need not exist (a dangling link names the file
// it would create).
std::string FinalPath(const std::string& output) {
  std::string path = output;
  for (int hops = 0;; ++hops) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) {
      if (errno != ENOENT) Fail(output, std::strerror(errno));
      break;
    }
    if (!S_ISLNK(st.st_mode)) break;
    if (hops == kMaxSymlinkHops) Fail(output, std::strerror(ELOOP));
    char target[PATH_MAX];
    const ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
    if (n < 0) Fail(output, fmt::format("cannot read the link {}: {}", path, std::strerror(errno)));
    target[n] = '\0';
    path = target[0] == '/' ? target : Join(RealDirOf(output, path), target);
  }
  const std::string name = BaseName(path);
  if (name.empty() || name == "." || name == "..") Fail(output, std::strerror(EISDIR));
  return Join(RealDirOf(output, path), name);
}

// Whether the output is what stream `fd` writes: the same file, pipe, socket or terminal.
// Other devices (/dev/null) are written in place even when the stream goes there too, so
// that `--json /dev/null > /dev/null` is no clash of two outputs on stdout.
bool IsStreamOf(int fd, const struct stat& st) {
  struct stat stream;
  return fstat(fd, &stream) == 0 && stream.st_dev == st.st_dev && stream.st_ino == st.st_ino &&
         (!S_ISCHR(st.st_mode) || isatty(fd));
}

}  // namespace

OutputTarget ResolveOutputTarget(const std::string& path) {
  OutputTarget t;
  t.path = path;
  if (path == "-") {
    t.kind = OutputTarget::Kind::kStream;
    t.stream_fd = STDOUT_FILENO;
    return t;
  }
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    t.exists = true;
    t.device = st.st_dev;
    t.inode = st.st_ino;
    for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
      if (IsStreamOf(fd, st)) {
        t.kind = OutputTarget::Kind::kStream;
        t.stream_fd = fd;
        return t;
      }
    }
    if (S_ISDIR(st.st_mode)) Fail(path, std::strerror(EISDIR));
    if (!S_ISREG(st.st_mode)) {
      t.kind = OutputTarget::Kind::kInPlace;
      if (access(path.c_str(), W_OK) != 0) Fail(path, std::strerror(errno));
      return t;
    }
  } else if (errno != ENOENT) {
    Fail(path, std::strerror(errno));
  }
  t.kind = OutputTarget::Kind::kFile;
  t.path = FinalPath(path);
  const std::string dir = DirName(t.path);
  if (access(dir.c_str(), W_OK) != 0) {
    Fail(path, fmt::format("the directory {} is not writable ({})", dir, std::strerror(errno)));
  }
  return t;
}

bool SameDestination(const OutputTarget& a, const OutputTarget& b) {
  using Kind = OutputTarget::Kind;
  if (a.kind != b.kind || a.kind == Kind::kInPlace) return false;
  if (a.kind == Kind::kStream) return a.stream_fd == b.stream_fd;
  if (a.exists != b.exists) return false;
  return a.exists ? a.device == b.device && a.inode == b.inode : a.path == b.path;
}

}  // namespace goalloc::trace
