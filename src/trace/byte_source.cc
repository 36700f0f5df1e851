// File, memory and decompressing byte sources. Decompression streams in fixed-size chunks
// (zlib inflate for gzip, ZSTD_decompressStream for zstd), so memory does not depend on the
// size of the trace; concatenated gzip members and zstd frames are read as one stream.
#include "src/trace/byte_source.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace goalloc::trace {
namespace {

constexpr size_t kChunk = 256 << 10;

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FileSource() override {
    if (owned_) close(fd_);
  }
  size_t Read(char* dst, size_t n) override {
    for (;;) {
      ssize_t r = read(fd_, dst, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno != EINTR) throw SourceError(std::string("read failed: ") + strerror(errno));
    }
  }

 private:
  int fd_;
  bool owned_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string data) : data_(std::move(data)) {}
  size_t Read(char* dst, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    memcpy(dst, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Replays bytes already read for detection, then continues with the inner source.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}
  size_t Read(char* dst, size_t n) override {
    if (pos_ < prefix_.size()) {
      size_t k = std::min(n, prefix_.size() - pos_);
      memcpy(dst, prefix_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    return inner_->Read(dst, n);
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> inner_;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> raw) : raw_(std::move(raw)), in_(kChunk) {
    if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) throw SourceError("zlib: cannot initialise");
  }
  ~GzipSource() override { inflateEnd(&z_); }

  size_t Read(char* dst, size_t n) override {
    const uInt room = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    z_.next_out = reinterpret_cast<Bytef*>(dst);
    z_.avail_out = room;
    while (z_.avail_out == room) {  // until inflate produces something, or the data ends
      if (z_.avail_in == 0) {
        size_t got = raw_->Read(in_.data(), in_.size());
        if (got == 0) {
          if (in_member_) throw SourceError("truncated gzip data");
          break;
        }
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(got);
      }
      if (!in_member_) {  // another gzip member follows the one that ended
        inflateReset(&z_);
        in_member_ = true;
      }
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw SourceError(std::string("corrupt gzip data: ") + (z_.msg ? z_.msg : "zlib error"));
      }
    }
    return room - z_.avail_out;
  }

 private:
  std::unique_ptr<ByteSource> raw_;
  std::vector<char> in_;
  z_stream z_{};
  bool in_member_ = true;
};

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> raw)
      : raw_(std::move(raw)), in_(ZSTD_DStreamInSize()), ctx_(ZSTD_createDCtx()) {
    if (ctx_ == nullptr) throw SourceError("zstd: cannot initialise");
  }
  ~ZstdSource() override { ZSTD_freeDCtx(ctx_); }

  size_t Read(char* dst, size_t n) override {
    ZSTD_outBuffer out{dst, n, 0};
    while (out.pos == 0) {
      if (input_.pos == input_.size) {
        size_t got = raw_->Read(in_.data(), in_.size());
        if (got == 0) {
          if (frame_open_) throw SourceError("truncated zstd data");
          break;
        }
        input_ = ZSTD_inBuffer{in_.data(), got, 0};
      }
      size_t rc = ZSTD_decompressStream(ctx_, &out, &input_);
      if (ZSTD_isError(rc)) {
        throw SourceError(std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
      }
      frame_open_ = rc != 0;
    }
    return out.pos;
  }

 private:
  std::unique_ptr<ByteSource> raw_;
  std::vector<char> in_;
  ZSTD_DCtx* ctx_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  bool frame_open_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> OpenFileSource(const std::string& path) {
  if (path == "-") return std::make_unique<FileSource>(STDIN_FILENO, false);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SourceError(std::string("cannot open: ") + strerror(errno));
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::make_unique<FileSource>(fd, true);
}

std::unique_ptr<ByteSource> MakeMemorySource(std::string data) {
  return std::make_unique<MemorySource>(std::move(data));
}

std::unique_ptr<ByteSource> MakePrefixedSource(std::string prefix,
                                               std::unique_ptr<ByteSource> inner) {
  return std::make_unique<PrefixedSource>(std::move(prefix), std::move(inner));
}

std::unique_ptr<ByteSource> Decompress(std::unique_ptr<ByteSource> raw, Compression* detected) {
  std::string magic(4, '\0');
  size_t have = 0;
  while (have < magic.size()) {
    size_t got = raw->Read(magic.data() + have, magic.size() - have);
    if (got == 0) break;
    have += got;
  }
  magic.resize(have);
  auto source = std::make_unique<PrefixedSource>(magic, std::move(raw));
  if (magic.starts_with("\x1f\x8b")) {
    *detected = Compression::kGzip;
    return std::make_unique<GzipSource>(std::move(source));
  }
  if (magic == std::string("\x28\xb5\x2f\xfd", 4)) {
    *detected = Compression::kZstd;
    return std::make_unique<ZstdSource>(std::move(source));
  }
  *detected = Compression::kNone;
  return source;
}

}  // namespace goalloc::trace
