// The error every decoder throws on malformed input (docs/trace-format.md, "bad input").
// It names the file, the event index and, where known, the byte offset or line, so the
// CLI can print it as is and exit with status 2.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace goalloc::trace {

class TraceError : public std::runtime_error {
 public:
  // `where` is "byte 1234", "line 12" or empty; the message reads
  // "FILE: event N (WHERE): WHAT", with control bytes and bytes that are not UTF-8
  // written as \xNN (text_escape.h).
  TraceError(const std::string& file, uint64_t event_index, const std::string& where,
             const std::string& what);

  const std::string& file() const { return file_; }
  uint64_t event_index() const { return event_index_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string file_;
  uint64_t event_index_;
  std::string detail_;
};

}  // namespace goalloc::trace
