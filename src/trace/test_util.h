// Helpers shared by the trace tests: temporary files, reading a whole trace, and a source
// that hands out a few bytes per read so every refill boundary of a decoder is exercised.
#pragma once

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "src/trace/byte_source.h"
#include "src/trace/event.h"
#include "src/trace/trace_reader.h"

namespace goalloc::trace::testing {

inline std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

inline void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<Event> ReadAll(TraceReader& reader, size_t batch = 1000) {
  std::vector<Event> all, buf(batch);
  while (size_t n = reader.ReadBatch(buf)) all.insert(all.end(), buf.begin(), buf.begin() + n);
  return all;
}

// Returns at most `step` bytes per Read.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string data, size_t step) : data_(std::move(data)), step_(step) {}
  size_t Read(char* dst, size_t n) override {
    size_t k = std::min({n, step_, data_.size() - pos_});
    memcpy(dst, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string data_;
  size_t step_;
  size_t pos_ = 0;
};

}  // namespace goalloc::trace::testing
