// Where an output path really leads, found before anything is written: every symlink is
// followed to the file it finally names, so that an atomic write replaces that file (with a
// temporary file and a rename in the file's own directory) and never the link, /dev/stdout,
// or anything outside that directory. A path that leads to where stdout or stderr already
// goes (`-`, /dev/stdout, the file stdout is redirected to) is written through that stream,
// at its current position; a device, FIFO or socket is written in place.
#pragma once

#include <sys/types.h>

#include <string>

namespace goalloc::trace {

struct OutputTarget {
  enum class Kind {
    kStream,   // stdout or stderr: written through stream_fd, never truncated or replaced
    kInPlace,  // an existing character device, FIFO or socket (/dev/null): opened and written
    kFile,     // a regular file, existing or not: replaced by a rename in its directory
  };
  Kind kind = Kind::kFile;
  // kFile: the absolute path with every symlink resolved; otherwise the path as given.
  std::string path;
  int stream_fd = -1;  // kStream: 1 or 2
  // An existing destination's identity (st_dev, st_ino); exists is false for a new file.
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
};

// Resolves `path` and checks that it can be written: its directory exists and is writable,
// it is not a directory, its symlinks end. Throws std::runtime_error naming the path and
// what is wrong otherwise.
OutputTarget ResolveOutputTarget(const std::string& path);

// Whether two outputs would write the same destination: the same stream, the same existing
// file (hard links included) or the same new file. Devices written in place never clash.
bool SameDestination(const OutputTarget& a, const OutputTarget& b);

}  // namespace goalloc::trace
