// The glibc mtrace decoder. glibc's mtrace() writes one line per call:
//   = Start
//   @ ./prog:[0x401136] + 0x4052a0 0x10        malloc/calloc/memalign: address, size
//   @ ./prog:[0x401152] - 0x4052a0             free
//   @ ./prog:[0x40116e] < 0x4052c0             realloc: the old block...
//   @ ./prog:[0x40116e] > 0x4056f0 0x40        ...and the new one, on the next line
//   @ ./prog:[0x40118a] ! 0x4056f0 0x800000    failed realloc: not an event
//   = End
// The "@ caller " prefix is optional. Addresses become ids, every event runs on thread 0,
// and a "+ (nil)" line (failed allocation) is not an event.
#include <fmt/core.h>

#include <cstring>
#include <optional>

#include "src/trace/decoders.h"
#include "src/trace/input_buffer.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {
namespace {

// "0x1f" (glibc's %p and %#lx), or "0" (%#lx of zero).
std::optional<uint64_t> ParseHex(std::string_view s) {
  if (s == "0") return 0;
  if (s.size() < 3 || s.size() > 18 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return {};
  uint64_t v = 0;
  for (char c : s.substr(2)) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return {};
    v = v << 4 | d;
  }
  return v;
}

class MtraceReader final : public TraceReader {
 public:
  MtraceReader(std::string path, std::unique_ptr<ByteSource> source, Compression compression,
               size_t buffer_bytes)
      : TraceReader(std::move(path)),
        in_(std::move(source), true, buffer_bytes),
        compression_(compression) {}

  size_t ReadBatch(std::span<Event> out) override {
    size_t n = 0;
    ReportSourceErrors(in_, path(), events_, [&] {
      std::string_view line;
      while (n < out.size() && NextLine(&line)) {
        if (ParseLine(line, &out[n])) {
          ++n;
          ++events_;
        }
      }
      if (n < out.size() && pending_) Fail(in_.pos, "the trace ends after '<' with no '>' line");
    });
    return n;
  }
  Encoding encoding() const override { return Encoding::kMtrace; }
  Compression compression() const override { return compression_; }

 private:
  [[noreturn]] void Fail(const char* at, const std::string& what) {
    throw TraceError(path(), events_, in_.Where(at), what);
  }

  // The next line without its terminator; false at the end of the data.
  bool NextLine(std::string_view* line) {
    size_t searched = 0;
    for (;;) {
      const char* nl =
          static_cast<const char*>(memchr(in_.pos + searched, '\n', in_.end - in_.pos - searched));
      if (nl != nullptr) {
        line_ = in_.pos;
        *line = std::string_view(in_.pos, nl - in_.pos);
        in_.pos = nl + 1;
        return true;
      }
      searched = in_.end - in_.pos;
      if (in_.Fill() == 0) {
        if (searched == in_.capacity()) {
          Fail(in_.pos, fmt::format("line longer than {} bytes", in_.capacity()));
        }
        if (searched == 0) return false;
        line_ = in_.pos;
        *line = std::string_view(in_.pos, searched);
        in_.pos = in_.end;
        return true;
      }
    }
  }

  // Splits off the next space-separated field.
  static std::string_view Field(std::string_view* rest) {
    size_t sp = rest->find(' ');
    std::string_view f = rest->substr(0, sp);
    *rest = sp == std::string_view::npos ? std::string_view() : rest->substr(sp + 1);
    return f;
  }
  uint64_t Address(std::string_view* rest, const char* what) {
    std::string_view f = Field(rest);
    std::optional<uint64_t> v = ParseHex(f);
    if (!v) Fail(line_, fmt::format("{} \"{}\" is not a hexadecimal address", what, f));
    return *v;
  }
  uint64_t Size(std::string_view* rest) {
    std::string_view f = Field(rest);
    std::optional<uint64_t> v = ParseHex(f);
    if (!v) Fail(line_, fmt::format("size \"{}\" is not a hexadecimal number", f));
    if (*v >= kMaxSize) Fail(line_, fmt::format("size {} is not below 2^47", *v));
    return *v;
  }
  void End(std::string_view rest) {
    if (!rest.empty())
      Fail(line_, fmt::format("unexpected text \"{}\" at the end of the line", rest));
  }

  // Returns whether the line completed an event in *e.
  bool ParseLine(std::string_view line, Event* e) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) return false;
    if (line == "= Start" || line == "= End") {
      if (pending_) Fail(line_, "'<' line not followed by a '>' line");
      return false;
    }
    std::string_view rest = line;
    if (rest.starts_with("@ ")) {  // "@ file:(sym+off)[0xcaller] ", the file may hold spaces
      size_t close = rest.rfind("] ");
      if (close == std::string_view::npos) Fail(line_, "caller after '@' does not end with \"] \"");
      rest.remove_prefix(close + 2);
    }
    if (rest.size() < 2 || rest[1] != ' ') {
      Fail(line_, fmt::format("not an mtrace line: \"{}\"", line.substr(0, 80)));
    }
    char op = rest[0];
    rest.remove_prefix(2);
    if (pending_ && op != '>') Fail(line_, "'<' line not followed by a '>' line");
    switch (op) {
      case '+': {
        bool failed = rest.starts_with("(nil) ");
        if (failed) rest.remove_prefix(6);
        uint64_t id = failed ? 0 : Address(&rest, "address");
        uint64_t size = Size(&rest);
        End(rest);
        if (failed) return false;
        *e = Event{.op = Op::kMalloc, .id = id, .size = size};
        return true;
      }
      case '-': {
        uint64_t id = Address(&rest, "address");
        End(rest);
        *e = Event{.op = Op::kFree, .id = id};
        return true;
      }
      case '<':
        pending_id_ = Address(&rest, "address");
        End(rest);
        pending_ = true;
        return false;
      case '>': {
        if (!pending_) Fail(line_, "'>' line without a '<' line before it");
        uint64_t id = Address(&rest, "address");
        uint64_t size = Size(&rest);
        End(rest);
        pending_ = false;
        *e = Event{.op = Op::kRealloc, .id = pending_id_, .new_id = id, .size = size};
        return true;
      }
      case '!':  // realloc failed: the old block stays live, nothing happened
        Address(&rest, "address");
        Size(&rest);
        End(rest);
        return false;
      default:
        Fail(line_, fmt::format("unknown mtrace operation '{}'", op));
    }
  }

  InputBuffer in_;
  Compression compression_;
  uint64_t events_ = 0;
  const char* line_ = nullptr;  // start of the current line, for messages
  bool pending_ = false;        // a '<' line waits for its '>'
  uint64_t pending_id_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> MakeMtraceReader(std::string path, std::unique_ptr<ByteSource> source,
                                              Compression compression, size_t buffer_bytes) {
  return std::make_unique<MtraceReader>(std::move(path), std::move(source), compression,
                                        buffer_bytes);
}

}  // namespace goalloc::trace
