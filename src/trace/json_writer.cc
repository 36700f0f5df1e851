// The JSON encoder: the canonical document of docs/trace-format.md, one event per line, keys
// in a fixed order (op, tid, id, new_id, size, align, scan, t), defaults (`scan` false, no `t`)
// left out.
#include <charconv>
#include <cstring>

#include "src/trace/encoders.h"

namespace goalloc::trace {
namespace {

char* Put(char* p, std::string_view s) {
  memcpy(p, s.data(), s.size());
  return p + s.size();
}
char* PutNumber(char* p, std::string_view key, uint64_t v) {
  p = Put(p, key);
  return std::to_chars(p, p + 20, v).ptr;
}

class JsonWriter final : public BufferedTraceWriter {
 public:
  JsonWriter(std::unique_ptr<ByteSink> sink, std::string_view meta)
      : BufferedTraceWriter(std::move(sink)) {
    Append(R"({"format":"goalloc-trace","version":1,"meta":)");
    Append(meta.empty() ? "{}" : meta);
    Append(R"(,"events":[)");
  }

  void Write(const Event& e) override {
    char* p = Out();
    p = Put(p, first_ ? "\n{\"op\":\"" : ",\n{\"op\":\"");
    first_ = false;
    p = Put(p, OpName(e.op));
    p = PutNumber(p, "\",\"tid\":", e.tid);
    p = PutNumber(p, ",\"id\":", e.id);
    if (e.op == Op::kRealloc) p = PutNumber(p, ",\"new_id\":", e.new_id);
    if (e.op != Op::kFree) p = PutNumber(p, ",\"size\":", e.size);
    if (e.op == Op::kAlignedAlloc) p = PutNumber(p, ",\"align\":", e.align);
    if (e.scan) p = Put(p, ",\"scan\":true");
    if (e.t != kNoTime) p = PutNumber(p, ",\"t\":", e.t);
    *p++ = '}';
    Commit(p);
  }

 private:
  void WriteTrailer() override { Append("\n]}\n"); }
  bool first_ = true;
};

}  // namespace

std::unique_ptr<TraceWriter> MakeJsonWriter(std::unique_ptr<ByteSink> sink, std::string_view meta) {
  return std::make_unique<JsonWriter>(std::move(sink), meta);
}

}  // namespace goalloc::trace
