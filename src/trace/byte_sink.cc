// See byte_sink.h.
#include "src/trace/byte_sink.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "src/trace/output_target.h"

namespace goalloc::trace {
namespace {

constexpr size_t kChunk = 256 << 10;
constexpr int kZstdLevel = 9;  // traces compress well; level 9 still writes > 50 MB/s

// Writes where ResolveOutputTarget says the path leads: a regular file through a temporary
// file beside it, renamed over it by Finish; a stream, device or FIFO in place.
class AtomicFileSink final : public ByteSink {
 public:
  explicit AtomicFileSink(const OutputTarget& target) : path_(target.path) {
    switch (target.kind) {
      case OutputTarget::Kind::kStream:
        // Whatever the stream's FILE still buffers goes first; the duplicate shares the
        // stream's position, so nothing is truncated or overwritten.
        std::fflush(target.stream_fd == STDOUT_FILENO ? stdout : stderr);
        fd_ = fcntl(target.stream_fd, F_DUPFD_CLOEXEC, 0);
        path_ = target.stream_fd == STDOUT_FILENO ? "stdout" : "stderr";  // for messages
        break;
      case OutputTarget::Kind::kInPlace:
        fd_ = open(path_.c_str(), O_WRONLY | O_CLOEXEC);
        break;
      case OutputTarget::Kind::kFile:
        temp_ = path_ + ".tmp-XXXXXX";
        fd_ = mkostemp(temp_.data(), O_CLOEXEC);
        break;
    }
    if (fd_ < 0) Fail("cannot create");
    buf_.reserve(kChunk);
  }
  ~AtomicFileSink() override {
    if (fd_ >= 0) {
      close(fd_);
      if (!temp_.empty()) unlink(temp_.c_str());
    }
  }

  void Write(const char* data, size_t n) override {
    if (buf_.size() + n > kChunk) Flush();
    if (n >= kChunk) {
      WriteAll(data, n);
    } else {
      buf_.insert(buf_.end(), data, data + n);
    }
  }

  void Finish() override {
    Flush();
    if (temp_.empty()) {  // written in place
      if (close(fd_) != 0) Fail("cannot close");
      fd_ = -1;
      return;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd_, 0666 & ~mask) != 0) Fail("cannot set the permissions of");
    if (fsync(fd_) != 0) Fail("cannot flush");
    if (close(fd_) != 0) Fail("cannot close");
    fd_ = -1;
    if (rename(temp_.c_str(), path_.c_str()) != 0) {
      int err = errno;
      unlink(temp_.c_str());
      throw std::runtime_error(
          fmt::format("cannot rename {} to {}: {}", temp_, path_, strerror(err)));
    }
    // Make the rename itself durable (path_ is absolute: ResolveOutputTarget).
    const std::string dir = path_.substr(0, path_.rfind('/') + 1);
    if (int d = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
      fsync(d);
      close(d);
    }
  }

 private:
  [[noreturn]] void Fail(const char* what) {
    const std::string& file = temp_.empty() ? path_ : temp_;  // the one being written
    throw std::runtime_error(fmt::format("{} {}: {}", what, file, strerror(errno)));
  }
  void Flush() {
    WriteAll(buf_.data(), buf_.size());
    buf_.clear();
  }
  void WriteAll(const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = write(fd_, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) Fail("cannot write");
      p += w;
      n -= static_cast<size_t>(w);
    }
  }

  std::string path_, temp_;
  int fd_ = -1;
  std::vector<char> buf_;
};

class GzipSink final : public ByteSink {
 public:
  explicit GzipSink(std::unique_ptr<ByteSink> out) : out_(std::move(out)), buf_(kChunk) {
    if (deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("zlib: cannot initialise");
    }
  }
  ~GzipSink() override { deflateEnd(&z_); }
  void Write(const char* data, size_t n) override { Run(data, n, Z_NO_FLUSH); }
  void Finish() override {
    Run(nullptr, 0, Z_FINISH);
    out_->Finish();
  }

 private:
  void Run(const char* data, size_t n, int flush) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z_.avail_in = static_cast<uInt>(n);
    int rc;
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buf_.data());
      z_.avail_out = static_cast<uInt>(buf_.size());
      rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) throw std::runtime_error("zlib: deflate failed");
      out_->Write(buf_.data(), buf_.size() - z_.avail_out);
    } while (z_.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }

  std::unique_ptr<ByteSink> out_;
  std::vector<char> buf_;
  z_stream z_{};
};

class ZstdSink final : public ByteSink {
 public:
  explicit ZstdSink(std::unique_ptr<ByteSink> out)
      : out_(std::move(out)), buf_(ZSTD_CStreamOutSize()), ctx_(ZSTD_createCCtx()) {
    if (ctx_ == nullptr) throw std::runtime_error("zstd: cannot initialise");
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_compressionLevel, kZstdLevel);
    ZSTD_CCtx_setParameter(ctx_, ZSTD_c_checksumFlag, 1);
  }
  ~ZstdSink() override { ZSTD_freeCCtx(ctx_); }
  void Write(const char* data, size_t n) override { Run(data, n, ZSTD_e_continue); }
  void Finish() override {
    Run(nullptr, 0, ZSTD_e_end);
    out_->Finish();
  }

 private:
  void Run(const char* data, size_t n, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data, n, 0};
    for (;;) {
      ZSTD_outBuffer out{buf_.data(), buf_.size(), 0};
      size_t rc = ZSTD_compressStream2(ctx_, &out, &in, mode);
      if (ZSTD_isError(rc)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(rc));
      out_->Write(buf_.data(), out.pos);
      if (mode == ZSTD_e_end ? rc == 0 : in.pos == in.size) return;
    }
  }

  std::unique_ptr<ByteSink> out_;
  std::vector<char> buf_;
  ZSTD_CCtx* ctx_;
};

}  // namespace

std::unique_ptr<ByteSink> CreateAtomicFileSink(const std::string& path) {
  return std::make_unique<AtomicFileSink>(ResolveOutputTarget(path));
}

std::unique_ptr<ByteSink> Compress(std::unique_ptr<ByteSink> out, Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return out;
    case Compression::kGzip:
      return std::make_unique<GzipSink>(std::move(out));
    case Compression::kZstd:
      return std::make_unique<ZstdSink>(std::move(out));
  }
  return out;
}

}  // namespace goalloc::trace
