// The JSON decoder: a hand-written pull parser over InputBuffer, streaming, validating the
// whole document as JSON (RFC 8259 grammar; strings are not checked for valid UTF-8) while
// turning each element of "events" into an Event.
//
// Why not nlohmann/json's SAX parser: its lexer reads one character at a time through an
// input adapter and builds every key and string into a std::string, and sax_parse() runs to the
// end of the document, which does not fit ReadBatch. This parser decodes in place with no
// per-event allocation, refills only when the window is exhausted (so any byte before `pos`
// may be dropped; memory is the 1 MiB window plus the bounded `meta` text), and stops its
// scanning loops on the NUL sentinel instead of checking bounds per byte.
#include <fmt/core.h>

#include <array>
#include <cstring>
#include <limits>

#include "src/trace/decoders.h"
#include "src/trace/input_buffer.h"
#include "src/trace/trace_error.h"

namespace goalloc::trace {
namespace {

constexpr size_t kMaxMetaBytes = 1 << 20;  // as in the binary header
constexpr int kMaxDepth = 512;             // nesting of skipped values

struct CharTables {
  std::array<bool, 256> space{};
  std::array<bool, 256> plain{};  // string bytes that need no attention
  constexpr CharTables() {
    space[' '] = space['\t'] = space['\n'] = space['\r'] = true;
    for (int c = 0x20; c < 256; ++c) plain[c] = c != '"' && c != '\\';
  }
};
constexpr CharTables kChars;

std::string Describe(int c) {
  switch (c) {
    case -1:
      return "end of file";
    case '"':
      return "a string";
    case '{':
      return "an object";
    case '[':
      return "an array";
    case 't':
    case 'f':
      return "a boolean";
    case 'n':
      return "null";
    default:
      if (c == '-' || (c >= '0' && c <= '9')) return "a number";
      if (c >= 0x20 && c < 0x7f) return fmt::format("'{}'", static_cast<char>(c));
      return fmt::format("byte 0x{:02x}", c);
  }
}

enum Field : uint8_t { kOp, kTid, kId, kNewId, kSize, kAlign, kScan, kTime, kUnknown };

class JsonReader final : public TraceReader {
 public:
  JsonReader(std::string path, std::unique_ptr<ByteSource> source, Compression compression,
             size_t buffer_bytes)
      : TraceReader(std::move(path)),
        in_(std::move(source), true, buffer_bytes),
        compression_(compression) {
    Guarded([&] { Start(); });
  }

  size_t ReadBatch(std::span<Event> out) override {
    size_t n = 0;
    Guarded([&] { n = Read(out); });
    return n;
  }
  Encoding encoding() const override { return Encoding::kJson; }
  Compression compression() const override { return compression_; }

 private:
  template <typename F>
  void Guarded(F&& f) {
    ReportSourceErrors(in_, path(), events_, std::forward<F>(f));
  }

  [[noreturn]] void Fail(const char* at, const std::string& what) {
    throw TraceError(path(), events_, in_.Where(at), what);
  }
  // `at` was taken as an offset because the window may have been refilled since.
  [[noreturn]] void Fail(uint64_t at, const std::string& what) {
    throw TraceError(path(), events_, in_.WhereOffset(at), what);
  }

  // --- characters ---------------------------------------------------------------------
  bool Refill() {
    if (capture_ != nullptr) {
      capture_->append(capture_from_, in_.end);
      if (capture_->size() > kMaxMetaBytes) Fail(in_.pos, "\"meta\" is larger than 1 MiB");
    }
    size_t got = in_.Fill();
    capture_from_ = in_.pos;
    return got != 0;
  }
  int Peek() {
    if (in_.pos == in_.end && !Refill()) return -1;
    return static_cast<uint8_t>(*in_.pos);
  }
  int Get() {
    int c = Peek();
    if (c >= 0) ++in_.pos;
    return c;
  }
  void SkipSpace() {
    for (;;) {
      const char* p = in_.pos;
      while (kChars.space[static_cast<uint8_t>(*p)]) ++p;
      in_.pos = p;
      if (p != in_.end || !Refill()) return;
    }
  }
  void Expect(char c, const char* what) {
    SkipSpace();
    int got = Peek();
    if (got != c) Fail(in_.pos, fmt::format("expected {}, found {}", what, Describe(got)));
    ++in_.pos;
  }

  // --- strings ------------------------------------------------------------------------
  // Reads the string starting at `pos` (a '"'); keeps the first kSmall bytes of its value.
  void ParseString() {
    ++in_.pos;
    small_len_ = 0;
    small_long_ = false;
    for (;;) {
      const char* p = in_.pos;
      while (kChars.plain[static_cast<uint8_t>(*p)]) ++p;
      Keep(in_.pos, p - in_.pos);
      in_.pos = p;
      if (*p == '"') {
        ++in_.pos;
        return;
      }
      if (*p == '\\') {
        ++in_.pos;
        ParseEscape();
      } else if (p == in_.end) {
        if (!Refill()) Fail(in_.pos, "unterminated string");
      } else {
        Fail(p, fmt::format("control character 0x{:02x} in string", *p));
      }
    }
  }
  void Keep(const char* s, size_t n) {
    size_t room = kSmall - small_len_;
    if (n > room) {
      small_long_ = true;
      n = room;
    }
    memcpy(small_ + small_len_, s, n);
    small_len_ += n;
  }
  void ParseEscape() {
    uint64_t at = in_.Offset(in_.pos);
    int c = Get();
    char one;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        one = static_cast<char>(c);
        break;
      case 'b':
        one = '\b';
        break;
      case 'f':
        one = '\f';
        break;
      case 'n':
        one = '\n';
        break;
      case 'r':
        one = '\r';
        break;
      case 't':
        one = '\t';
        break;
      case 'u': {
        uint32_t cp = Hex4();
        if (cp >= 0xdc00 && cp < 0xe000) Fail(at, "unpaired surrogate in \\u escape");
        if (cp >= 0xd800 && cp < 0xdc00) {
          if (Get() != '\\' || Get() != 'u') Fail(at, "unpaired surrogate in \\u escape");
          uint32_t lo = Hex4();
          if (lo < 0xdc00 || lo >= 0xe000) Fail(at, "unpaired surrogate in \\u escape");
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
        KeepUtf8(cp);
        return;
      }
      case -1:
        Fail(at, "unterminated string");
      default:
        Fail(at, fmt::format("invalid escape \\{}", static_cast<char>(c)));
    }
    Keep(&one, 1);
  }
  uint32_t Hex4() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      uint64_t at = in_.Offset(in_.pos);
      int c = Get();
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) Fail(at, "invalid \\u escape");
      v = v << 4 | d;
    }
    return v;
  }
  void KeepUtf8(uint32_t cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) {
      b[0] = static_cast<char>(cp), n = 1;
    } else if (cp < 0x800) {
      b[0] = static_cast<char>(0xc0 | cp >> 6), b[1] = static_cast<char>(0x80 | (cp & 0x3f)), n = 2;
    } else if (cp < 0x10000) {
      b[0] = static_cast<char>(0xe0 | cp >> 12), b[1] = static_cast<char>(0x80 | (cp >> 6 & 0x3f));
      b[2] = static_cast<char>(0x80 | (cp & 0x3f)), n = 3;
    } else {
      b[0] = static_cast<char>(0xf0 | cp >> 18), b[1] = static_cast<char>(0x80 | (cp >> 12 & 0x3f));
      b[2] = static_cast<char>(0x80 | (cp >> 6 & 0x3f)),
      b[3] = static_cast<char>(0x80 | (cp & 0x3f));
      n = 4;
    }
    Keep(b, n);
  }
  bool SmallIs(std::string_view s) const {
    return !small_long_ && std::string_view(small_, small_len_) == s;
  }
  std::string SmallText() const {
    return std::string(small_, small_len_) + (small_long_ ? "…" : "");
  }

  // --- numbers and literals -----------------------------------------------------------
  // Consumes digits; returns how many, accumulating them into *v (wrapping; *overflow set).
  size_t Digits(uint64_t* v, bool* overflow) {
    size_t n = 0;
    for (;;) {
      const char* p = in_.pos;
      for (unsigned d; (d = static_cast<unsigned>(*p - '0')) < 10; ++p) {
        *overflow |= __builtin_mul_overflow(*v, 10, v) | __builtin_add_overflow(*v, d, v);
      }
      n += p - in_.pos;
      in_.pos = p;
      if (p != in_.end || !Refill()) return n;
    }
  }
  uint64_t ParseUnsigned(const char* field) {
    uint64_t at = in_.Offset(in_.pos);
    int c = Peek();
    if (c == '-') Fail(at, fmt::format("{} must not be negative", field));
    if (c < '0' || c > '9') {
      Fail(at, fmt::format("{} must be an unsigned integer, not {}", field, Describe(c)));
    }
    uint64_t v = 0;
    bool overflow = false;
    size_t n = Digits(&v, &overflow);
    if (c == '0' && n > 1) Fail(at, "invalid number: leading zero");
    c = Peek();
    if (c == '.') Fail(at, fmt::format("{} must be an unsigned integer, not a fraction", field));
    if (c == 'e' || c == 'E') {
      Fail(at,
           fmt::format("{} must be an unsigned integer: the exponent form is not accepted", field));
    }
    if (overflow) Fail(at, fmt::format("{} is too large", field));
    return v;
  }
  void SkipNumber() {
    uint64_t at = in_.Offset(in_.pos);
    uint64_t v = 0;
    bool overflow = false;
    if (Peek() == '-') ++in_.pos;
    int first = Peek();
    size_t n = Digits(&v, &overflow);
    if (n == 0 || (first == '0' && n > 1)) Fail(at, "invalid number");
    if (Peek() == '.') {
      ++in_.pos;
      if (Digits(&v, &overflow) == 0) Fail(at, "invalid number");
    }
    if (int c = Peek(); c == 'e' || c == 'E') {
      ++in_.pos;
      if (int s = Peek(); s == '+' || s == '-') ++in_.pos;
      if (Digits(&v, &overflow) == 0) Fail(at, "invalid number");
    }
  }
  void ExpectLiteral(std::string_view word) {
    uint64_t at = in_.Offset(in_.pos);
    for (char w : word) {
      if (Get() != w) Fail(at, "invalid literal");
    }
  }
  bool ParseBool(const char* field) {
    int c = Peek();
    if (c == 't') return ExpectLiteral("true"), true;
    if (c == 'f') return ExpectLiteral("false"), false;
    Fail(in_.pos, fmt::format("{} must be true or false, not {}", field, Describe(c)));
  }

  // --- structure ----------------------------------------------------------------------
  // Reads `"key" :` (after optional space) into the small buffer.
  void ParseKey() {
    SkipSpace();
    if (Peek() != '"') Fail(in_.pos, fmt::format("expected a key, found {}", Describe(Peek())));
    ParseString();
    Expect(':', "':' after a key");
    SkipSpace();
  }
  // Skips one JSON value of any shape, validating it.
  void SkipValue() {
    std::array<bool, kMaxDepth> is_object;
    int depth = 0;
    for (;;) {
      SkipSpace();
      int c = Peek();
      switch (c) {
        case '{':
        case '[':
          ++in_.pos;
          SkipSpace();
          if (Peek() == (c == '{' ? '}' : ']')) {
            ++in_.pos;
            break;
          }
          if (depth == kMaxDepth) Fail(in_.pos, "JSON nested too deeply");
          is_object[depth++] = c == '{';
          if (c == '{') ParseKey();
          continue;
        case '"':
          ParseString();
          break;
        case 't':
          ExpectLiteral("true");
          break;
        case 'f':
          ExpectLiteral("false");
          break;
        case 'n':
          ExpectLiteral("null");
          break;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            SkipNumber();
            break;
          }
          Fail(in_.pos, fmt::format("expected a value, found {}", Describe(c)));
      }
      // After a value: close containers until one continues with ','.
      for (;;) {
        if (depth == 0) return;
        SkipSpace();
        int d = Get();
        bool object = is_object[depth - 1];
        if (d == ',') {
          if (object) ParseKey();
          break;
        }
        if (d != (object ? '}' : ']')) {
          Fail(in_.pos - (d >= 0),
               fmt::format("expected ',' or '{}', found {}", object ? '}' : ']', Describe(d)));
        }
        --depth;
      }
    }
  }

  // --- the trace document -------------------------------------------------------------
  void Start() {
    if (Peek() == 0xEF) {  // a UTF-8 byte order mark, as some editors write, is skipped
      uint64_t at = in_.Offset(in_.pos);
      for (int b : {0xEF, 0xBB, 0xBF}) {
        if (Get() != b) Fail(at, "invalid UTF-8 byte order mark");
      }
    }
    SkipSpace();
    if (Peek() != '{') {
      Fail(in_.pos, "a JSON trace is an object with \"format\", \"version\" and \"events\"");
    }
    ++in_.pos;
    if (!ParseTopMembers()) FinishDocument();
  }

  // Reads members of the top-level object; returns true when positioned inside "events",
  // false once the object is closed.
  bool ParseTopMembers() {
    for (;;) {
      SkipSpace();
      if (Peek() == '}') {
        ++in_.pos;
        return false;
      }
      if (!top_first_) {
        Expect(',', "',' or '}' after a member of the trace object");
      }
      top_first_ = false;
      ParseKey();
      uint64_t at = in_.Offset(in_.pos);
      if (SmallIs("events")) {
        if (events_seen_) Fail(at, "duplicate \"events\"");
        events_seen_ = true;
        if (Peek() != '[')
          Fail(at, fmt::format("\"events\" must be an array, not {}", Describe(Peek())));
        ++in_.pos;
        state_ = State::kEvents;
        return true;
      }
      if (SmallIs("format")) {
        if (Peek() != '"')
          Fail(at, fmt::format("\"format\" must be a string, not {}", Describe(Peek())));
        ParseString();
        if (!SmallIs("goalloc-trace")) {
          Fail(at,
               fmt::format("not a goalloc trace: \"format\" is \"{}\", expected \"goalloc-trace\"",
                           SmallText()));
        }
        format_seen_ = true;
      } else if (SmallIs("version")) {
        uint64_t v = ParseUnsigned("\"version\"");
        if (v != 1)
          Fail(at, fmt::format("unsupported trace version {}; this reader reads version 1", v));
        version_seen_ = true;
      } else if (SmallIs("meta")) {
        std::string meta;
        capture_ = &meta;
        capture_from_ = in_.pos;
        SkipValue();
        meta.append(capture_from_, in_.pos);
        capture_ = nullptr;
        if (meta.size() > kMaxMetaBytes) Fail(at, "\"meta\" is larger than 1 MiB");
        meta_ = std::move(meta);
      } else {
        SkipValue();
      }
    }
  }

  void FinishDocument() {
    if (!format_seen_) Fail(in_.pos, "missing \"format\": not a goalloc trace");
    if (!version_seen_) Fail(in_.pos, "missing \"version\"");
    if (!events_seen_) Fail(in_.pos, "missing \"events\"");
    SkipSpace();
    if (Peek() != -1) Fail(in_.pos, "unexpected data after the trace object");
    state_ = State::kDone;
  }

  size_t Read(std::span<Event> out) {
    size_t n = 0;
    while (state_ == State::kEvents && n < out.size()) {
      SkipSpace();
      int c = Peek();
      if (c == ']') {
        ++in_.pos;
        state_ = State::kAfterEvents;
        break;
      }
      if (!events_first_) {
        if (c != ',')
          Fail(in_.pos, fmt::format("expected ',' or ']' after an event, found {}", Describe(c)));
        ++in_.pos;
        SkipSpace();
      }
      events_first_ = false;
      ParseEvent(out[n]);
      ++n;
      ++events_;
    }
    if (state_ == State::kAfterEvents) {
      ParseTopMembers();  // cannot reach a second "events": that is an error inside
      FinishDocument();
    }
    return n;
  }

  static Field Classify(std::string_view k) {
    switch (k.size()) {
      case 1:
        return k == "t" ? kTime : kUnknown;
      case 2:
        return k == "op" ? kOp : k == "id" ? kId : kUnknown;
      case 3:
        return k == "tid" ? kTid : kUnknown;
      case 4:
        return k == "size" ? kSize : k == "scan" ? kScan : kUnknown;
      case 5:
        return k == "align" ? kAlign : kUnknown;
      case 6:
        return k == "new_id" ? kNewId : kUnknown;
      default:
        return kUnknown;
    }
  }

  Op ParseOp() {
    uint64_t at = in_.Offset(in_.pos);
    if (Peek() != '"') Fail(at, fmt::format("\"op\" must be a string, not {}", Describe(Peek())));
    ParseString();
    for (Op op : {Op::kMalloc, Op::kFree, Op::kRealloc, Op::kCalloc, Op::kAlignedAlloc}) {
      if (SmallIs(OpName(op))) return op;
    }
    Fail(at, fmt::format("unknown op \"{}\"", SmallText()));
  }

  void ParseEvent(Event& out) {
    if (Peek() != '{')
      Fail(in_.pos, fmt::format("an event must be an object, not {}", Describe(Peek())));
    ++in_.pos;
    Event e;
    unsigned seen = 0;
    SkipSpace();
    if (Peek() == '}') {
      ++in_.pos;
    } else {
      for (;;) {
        ParseKey();
        Field f = small_long_ ? kUnknown : Classify(std::string_view(small_, small_len_));
        uint64_t at = in_.Offset(in_.pos);
        switch (f) {
          case kOp:
            e.op = ParseOp();
            break;
          case kTid: {
            uint64_t tid = ParseUnsigned("\"tid\"");
            if (tid > std::numeric_limits<uint32_t>::max())
              Fail(at, "\"tid\" is too large (above 2^32-1)");
            e.tid = static_cast<uint32_t>(tid);
            break;
          }
          case kId:
            e.id = ParseUnsigned("\"id\"");
            break;
          case kNewId:
            e.new_id = ParseUnsigned("\"new_id\"");
            break;
          case kSize:
            e.size = ParseUnsigned("\"size\"");
            if (e.size >= kMaxSize) Fail(at, fmt::format("\"size\" {} is not below 2^47", e.size));
            break;
          case kAlign:
            e.align = ParseUnsigned("\"align\"");
            if (!IsValidAlign(e.align)) {
              Fail(at, fmt::format("\"align\" {} is not a power of two", e.align));
            }
            break;
          case kScan:
            e.scan = ParseBool("\"scan\"");
            break;
          case kTime:
            e.t = ParseUnsigned("\"t\"");
            if (e.t >> 63) Fail(at, "\"t\" is too large (2^63 or more)");
            break;
          case kUnknown:
            SkipValue();
            break;
        }
        seen |= 1u << f;
        SkipSpace();
        int c = Get();
        if (c == ',') continue;
        if (c == '}') break;
        Fail(in_.pos - (c >= 0),
             fmt::format("expected ',' or '}}' in an event, found {}", Describe(c)));
      }
    }
    const char* close = in_.pos - 1;  // the event's '}'
    auto require = [&](Field f, const char* name) {
      if (!(seen >> f & 1)) Fail(close, fmt::format("{} event has no \"{}\"", OpName(e.op), name));
    };
    if (!(seen >> kOp & 1)) Fail(close, "event has no \"op\"");
    require(kId, "id");
    if (e.op != Op::kFree) require(kSize, "size");
    if (e.op == Op::kRealloc) require(kNewId, "new_id");
    if (e.op == Op::kAlignedAlloc) require(kAlign, "align");
    // Fields that do not belong to the op are ignored, like unknown keys.
    if (e.op != Op::kRealloc) e.new_id = 0;
    if (e.op != Op::kAlignedAlloc) e.align = 0;
    if (e.op == Op::kFree) e.size = 0;
    out = e;
  }

  enum class State { kHeader, kEvents, kAfterEvents, kDone };
  static constexpr size_t kSmall = 32;

  InputBuffer in_;
  Compression compression_;
  uint64_t events_ = 0;
  State state_ = State::kHeader;
  bool top_first_ = true, events_first_ = true;
  bool format_seen_ = false, version_seen_ = false, events_seen_ = false;
  char small_[kSmall];
  size_t small_len_ = 0;
  bool small_long_ = false;
  std::string* capture_ = nullptr;  // receives the raw text of `meta` while it is skipped
  const char* capture_from_ = nullptr;
};

}  // namespace

std::unique_ptr<TraceReader> MakeJsonReader(std::string path, std::unique_ptr<ByteSource> source,
                                            Compression compression, size_t buffer_bytes) {
  return std::make_unique<JsonReader>(std::move(path), std::move(source), compression,
                                      buffer_bytes);
}

}  // namespace goalloc::trace
