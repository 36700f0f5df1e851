// The three encoders behind CreateTraceWriter, over a ByteSink, with the buffering they share:
// each event is formatted straight into a buffer that is handed to the sink in large pieces.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/trace/byte_sink.h"
#include "src/trace/trace_writer.h"

namespace goalloc::trace {

class BufferedTraceWriter : public TraceWriter {
 public:
  void Finish() override {
    WriteTrailer();
    Flush();
    sink_->Finish();
  }

 protected:
  static constexpr size_t kMaxRecord = 512;  // bytes one event may need in any encoding

  explicit BufferedTraceWriter(std::unique_ptr<ByteSink> sink)
      : sink_(std::move(sink)), buf_(kBuffer + kMaxRecord) {}
  virtual void WriteTrailer() = 0;

  // Room for kMaxRecord bytes at Out(); Commit(p) keeps what was written up to p.
  char* Out() {
    if (used_ > kBuffer) Flush();
    return buf_.data() + used_;
  }
  void Commit(char* p) { used_ = p - buf_.data(); }
  void Append(std::string_view s) {
    Flush();
    sink_->Write(s.data(), s.size());
  }

 private:
  static constexpr size_t kBuffer = 64 << 10;
  void Flush() {
    sink_->Write(buf_.data(), used_);
    used_ = 0;
  }
  std::unique_ptr<ByteSink> sink_;
  std::vector<char> buf_;
  size_t used_ = 0;
};

std::unique_ptr<TraceWriter> MakeJsonWriter(std::unique_ptr<ByteSink> sink, std::string_view meta);
std::unique_ptr<TraceWriter> MakeMtraceWriter(std::unique_ptr<ByteSink> sink);
std::unique_ptr<TraceWriter> MakeBinaryWriter(std::unique_ptr<ByteSink> sink,
                                              std::string_view meta);

}  // namespace goalloc::trace
